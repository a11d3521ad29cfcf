import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { newSid } from '../crypto/random.ts';
import { seal, unseal } from '../crypto/seal.ts';
import { invalidParameter } from '../errors/verity-error.ts';
import type { HandoffClientChange } from '../store/handoff-clients-store.ts';
import type { HandoffClientLogoRow, HandoffClientRow } from '../store/schema.ts';
import type { PageBrand } from './page-brand-data.ts';
import { brandTokens, checkColor, checkSupportUrl, contentVersion, parseLogo } from './client-branding.ts';
import { parseClientJwks } from './client-jwks.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type HandoffClientsDeps = Pick<AppContext, 'clock' | 'keyring' | 'stores'>;

export const HANDOFF_CLIENT_SID = /^HC[0-9a-f]{32}$/;
const MAX_RETURN_URLS = 10;

const secretContext = (sid: string): string => `handoff-client:${sid}`;

export interface CreateHandoffClientInput {
  accountSid: string;
  serviceSid: string;
  friendlyName: string;
  returnUrls: string[];
  /** The client's public JWKS (JSON); absent: an HS256 secret is generated. */
  jwks?: string | undefined;
  branding?: BrandingInput | undefined;
}

/** The branding parameters as given (API names in comments); absent: unchanged (new client: none). */
export interface BrandingInput {
  /** PrimaryColor, `#rrggbb`. */
  primaryColor?: string | undefined;
  /** BackgroundColor, `#rrggbb`; an empty value clears it. */
  backgroundColor?: string | undefined;
  /** SupportUrl, https; an empty value clears it. */
  supportUrl?: string | undefined;
  /** Logo, base64 of a PNG, JPEG or WebP. */
  logo?: string | undefined;
  /** ClearLogo=true drops the logo. */
  clearLogo?: boolean | undefined;
}

type BrandColumns = Pick<HandoffClientRow, 'primary_color' | 'background_color' | 'support_url' | 'logo_version' | 'logo_width' | 'logo_height'>;
const NO_BRAND: BrandColumns = { primary_color: null, background_color: null, support_url: null, logo_version: null, logo_width: null, logo_height: null };
type LogoChange = Omit<HandoffClientLogoRow, 'client_sid'> | null | undefined;

/**
 * The branding columns after `input` is applied to `current`, and the logo change (undefined: none,
 * null: drop). The colours are checked together: a pair that cannot meet WCAG AA is refused (64130).
 */
function applyBranding(ctx: HandoffClientsDeps, current: BrandColumns, input: BrandingInput): { columns: BrandColumns; logo: LogoChange } {
  const columns: BrandColumns = {
    primary_color: current.primary_color,
    background_color: current.background_color,
    support_url: current.support_url,
    logo_version: current.logo_version,
    logo_width: current.logo_width,
    logo_height: current.logo_height,
  };
  const cleared = (value: string | undefined): boolean => value !== undefined && value.trim() === '';
  if (input.primaryColor !== undefined) columns.primary_color = cleared(input.primaryColor) ? null : checkColor('PrimaryColor', input.primaryColor);
  if (input.backgroundColor !== undefined) columns.background_color = cleared(input.backgroundColor) ? null : checkColor('BackgroundColor', input.backgroundColor);
  if (input.supportUrl !== undefined) columns.support_url = cleared(input.supportUrl) ? null : checkSupportUrl(input.supportUrl);
  if (columns.background_color !== null && columns.primary_color === null) throw invalidParameter('BackgroundColor', 'needs a PrimaryColor');
  if (columns.primary_color !== null) brandTokens(columns.primary_color, columns.background_color ?? undefined);
  let logo: LogoChange;
  if (input.logo !== undefined && input.clearLogo === true) throw invalidParameter('ClearLogo', 'not together with Logo');
  if (input.logo !== undefined) {
    const parsed = parseLogo(input.logo);
    const version = contentVersion(parsed.type, parsed.bytes);
    logo = { content_type: parsed.type, data: parsed.bytes.toString('base64'), version, date_created: ctx.clock.now() };
    Object.assign(columns, { logo_version: version, logo_width: parsed.width, logo_height: parsed.height });
  } else if (input.clearLogo === true) {
    logo = null;
    Object.assign(columns, { logo_version: null, logo_width: null, logo_height: null });
  }
  return { columns, logo };
}

/**
 * Checks one allowed return URL: absolute, https (http only for loopback development hosts), no
 * credentials and no fragment (RFC 6749 §3.1.2 forbids one on redirect URIs for the same reason).
 */
function checkReturnUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter('ReturnUrl', 'expected an absolute https URL');
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw invalidParameter('ReturnUrl', 'https required (http only for localhost and 127.0.0.1)');
  if (url.username || url.password) throw invalidParameter('ReturnUrl', 'must not contain credentials');
  if (url.hash || value.includes('#')) throw invalidParameter('ReturnUrl', 'must not contain a fragment');
  // Stored as given: `return_to` must match it character for character.
  return value;
}

/**
 * Registers an application. HS256 clients get a 256-bit secret, returned here once and stored sealed;
 * JWKS clients sign with their own keys and Verity keeps only the public ones.
 */
export async function createHandoffClient(ctx: HandoffClientsDeps, input: CreateHandoffClientInput): Promise<{ row: HandoffClientRow; secret: string | undefined }> {
  if (input.returnUrls.length === 0) throw invalidParameter('ReturnUrl', 'required');
  if (input.returnUrls.length > MAX_RETURN_URLS) throw invalidParameter('ReturnUrl', `at most ${MAX_RETURN_URLS}`);
  const returnUrls = [...new Set(input.returnUrls.map(checkReturnUrl))];
  const brand = applyBranding(ctx, NO_BRAND, input.branding ?? {});
  const sid = newSid('HC');
  const now = ctx.clock.now();
  let secret: string | undefined;
  let row: HandoffClientRow;
  const common = { sid, account_sid: input.accountSid, service_sid: input.serviceSid, friendly_name: input.friendlyName, return_urls: returnUrls, date_created: now, date_updated: now, ...brand.columns };
  if (input.jwks !== undefined) {
    const { jwks, algorithm } = await parseClientJwks(input.jwks);
    row = { ...common, algorithm, secret_sealed: null, jwks };
  } else {
    secret = randomBytes(32).toString('base64url');
    row = { ...common, algorithm: 'HS256', secret_sealed: seal(ctx.keyring, secret, secretContext(sid)), jwks: null };
  }
  await ctx.stores.handoffClients.insert(row, brand.logo ?? undefined);
  return { row, secret };
}

/** `POST …/HandoffClients/{Sid}`: a new name and/or branding; what is not given stays. Undefined: no such client. */
export async function updateHandoffClient(ctx: HandoffClientsDeps, current: HandoffClientRow, input: { friendlyName?: string | undefined; branding: BrandingInput }): Promise<HandoffClientRow | undefined> {
  const { columns, logo } = applyBranding(ctx, current, input.branding);
  const change: HandoffClientChange = { ...columns, date_updated: ctx.clock.now(), ...(input.friendlyName !== undefined ? { friendly_name: input.friendlyName } : {}) };
  return ctx.stores.handoffClients.update(current.service_sid, current.sid, change, logo);
}

/** This server's paths of the client's brand assets (versioned by content: they cache for a year). */
export const brandStylesheetPath = (row: Pick<HandoffClientRow, 'sid' | 'primary_color' | 'background_color'>): string | undefined =>
  row.primary_color === null ? undefined : `/handoff/brand/${row.sid}/${contentVersion(row.primary_color, row.background_color ?? '')}.css`;
export const brandLogoPath = (row: Pick<HandoffClientRow, 'sid' | 'logo_version'>): string | undefined => (row.logo_version === null ? undefined : `/handoff/brand/${row.sid}/logo/${row.logo_version}`);

/** What the hosted pages show of the client (HandoffSession.brand). */
export function pageBrandOf(row: HandoffClientRow): PageBrand {
  return {
    clientSid: row.sid,
    name: row.friendly_name,
    stylesheet: brandStylesheetPath(row),
    logo: brandLogoPath(row),
    logoSize: row.logo_width !== null && row.logo_height !== null ? { width: row.logo_width, height: row.logo_height } : undefined,
    supportUrl: row.support_url ?? undefined,
  };
}

export function clientReturnUrls(row: HandoffClientRow): string[] {
  return row.return_urls;
}

/** The HS256 key: the UTF-8 bytes of the secret as handed out, as JWT libraries take a string secret. */
export function clientSecretKey(ctx: HandoffClientsDeps, row: HandoffClientRow): Uint8Array {
  if (!row.secret_sealed) throw new Error(`handoff client ${row.sid} has no secret`);
  return new TextEncoder().encode(unseal(ctx.keyring, row.secret_sealed, secretContext(row.sid)));
}
