import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { seal, unseal } from '../crypto/seal.ts';
import type { HandoffSessionRow } from '../store/schema.ts';
import type { PageLocale } from '../i18n/locales.ts';
import type { PageBrand } from './page-brand-data.ts';
import { hasMessage, translate, type MessageKey, type MessageParams } from '../i18n/translator.ts';
import type { HandoffRequest } from './handoff-claims.ts';
import type { PhoneChannel } from './factor-options.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type HandoffSessionDeps = Pick<AppContext, 'clock' | 'keyring' | 'stores'>;

/** A hand-off page stays usable this long after the request was accepted. */
export const HANDOFF_SESSION_MS = 10 * 60_000;
/** A session row is kept this long after it expired, so its page (Back, reload) says what happened and offers the way back. */
export const HANDOFF_SESSION_RETENTION_MS = 60 * 60_000;
/** A POST that held the session longer than this died mid-way: the session's pages get a fresh form nonce. */
const STALE_CLAIM_MS = 60_000;
const ROW_CONTEXT = 'handoff-session-row:v1';

/** What the user did on the enrollment hub so far (hosted-factors/enrollment-hub.ts). */
export interface EnrollmentProgress {
  /** The unverified TOTP factor created on the hub, waiting for its first code. */
  totp?: string | undefined;
  /**
   * A push enrollment token was issued at `since` (ms), valid until `until`: a push factor of the user
   * created since is this device. The token rides along (sealed) so "check" can show it again, with
   * the short code that stands for it (`XXXX-XXXX-XXXX`, src/factors/push/enrollment-codes.ts).
   */
  push?: { since: number; until: number; token: string; code?: string | undefined } | undefined;
  /** A phone number being verified by a code (Verify). */
  phone?: { number: string; channel: PhoneChannel; verificationSid: string } | undefined;
  /** The number verified on the hub: returned to the application as `phone_number` (Verity keeps no phone factor). */
  phoneNumber?: string | undefined;
  /** RFC 8176 amr of what the user proved on the hub itself (a code to the new number). */
  proven: string[];
}

/**
 * What the hosted pages work on between the GET and the POSTs: the verified request, the challenge
 * opened for each TOTP factor, the step in progress. It stays on the server (handoff_sessions, sealed
 * with AES-256-GCM under the master key, bound to its row), so nobody can read or change `sub`,
 * `state`, `return_to` or `aud`; the browser holds only the row's id (in the URL and the forms) and
 * the cookie that binds the row to it. Its `id` is spent when a result is issued: at most one.
 */
export interface HandoffSession {
  id: string;
  request: HandoffRequest;
  accountSid: string;
  /** The client's friendly name, shown on the pages. */
  appName: string;
  /** The entity of `request.subject`, if it exists. */
  entitySid: string | undefined;
  /** factor sid → the challenge opened for it (one per session: its attempt limit holds). */
  challenges: Record<string, string>;
  /** The push challenge the waiting page follows, once the user chose "Approve on your phone". */
  push?: string | undefined;
  /** The Verify verification of the code sent to `request.phone`, once the user asked for one. */
  phone?: { verificationSid: string; channel: 'sms' | 'call' } | undefined;
  /** The verification of an "Approve with a call" (press the digits shown) or a flash call to `request.phone`: see hosted-factors/phone/call-flow.ts. */
  call?: { verificationSid: string; kind: 'press_one' | 'flashcall' } | undefined;
  /**
   * Set once this session may bind new factors to the user: after the user proved a factor on these
   * pages (`amr` of that proof), or at once for a user with no factor yet whose application asked to
   * enroll (`amr: []`: the application's own sign-in is then the only proof). Every enrollment page
   * refuses a session without it (requireEnrollment).
   */
  enrollment?: { amr: string[] } | undefined;
  /** The enrollment hub's steps in progress (a new TOTP factor, a push token, a phone number): see hosted-factors/enrollment-hub.ts. */
  enrolling?: EnrollmentProgress | undefined;
  /** The voiceprint challenge opened on these pages ("Use your voice"), one per session while it is pending. */
  voiceprint?: { factorSid: string; challengeSid: string } | undefined;
  /** The unverified voiceprint factor being enrolled on these pages, take after take. */
  voiceprintEnrollment?: { factorSid: string } | undefined;
  /** The unverified passkey factor whose registration options the page holds (hosted-factors/passkey/passkey-flow.ts). */
  passkeyEnrollment?: { factorSid: string } | undefined;
  /** The pages' language, chosen once when the request arrived (i18n.ts). */
  locale?: PageLocale | undefined;
  /** The client's branding as the session began (page-brand.ts; set in startHostedHandoff): every page of the session shows it. */
  brand?: PageBrand | undefined;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}


/**
 * A refusal shown on a hosted page (not an API error: these pages answer HTML). It carries a key of
 * the `handoff-error` messages (its `message` is then the English text) or, from modules not translated yet, plain
 * text; `locale` is the session's language when there is a session, else the route negotiates one.
 */
export class HandoffPageError extends Error {
  /** The catalog key of the message, when it is one. */
  readonly key: MessageKey<'handoff-error'> | undefined;
  readonly params: MessageParams;
  readonly locale: PageLocale | undefined;
  constructor(
    readonly status: number,
    keyOrMessage: string,
    options: { locale?: PageLocale | undefined; params?: MessageParams } = {},
  ) {
    const key = hasMessage('handoff-error', keyOrMessage) ? keyOrMessage : undefined;
    super(key ? translate('en', `handoff-error.${key}`, options.params) : keyOrMessage);
    this.name = 'HandoffPageError';
    this.key = key;
    this.params = options.params ?? {};
    this.locale = options.locale;
  }

  /** The message in `locale` (plain text messages stay as they are). */
  text(locale: PageLocale | undefined): string {
    return this.key ? translate(locale, `handoff-error.${this.key}`, this.params) : this.message;
  }
}

const spentKey = (session: HandoffSession): string => `handoff-session:${session.id}`;

/** True once a result was issued for this session. */
export async function sessionCompleted(ctx: HandoffSessionDeps, session: HandoffSession): Promise<boolean> {
  return ctx.stores.spentTokens.isSpent(spentKey(session));
}

/** Marks the session used; false if another request completed it first. */
export async function completeSession(ctx: HandoffSessionDeps, session: HandoffSession): Promise<boolean> {
  return ctx.stores.spentTokens.spend(spentKey(session), session.expiresAt);
}

/** The enrollment grant of a session, or a refusal: no factor may be bound without it. */
export function requireEnrollment(session: HandoffSession): { amr: string[] } {
  if (!session.enrollment) throw new HandoffPageError(403, 'enrollmentNeedsProof', { locale: session.locale });
  return session.enrollment;
}

// The session on the server ------------------------------------------------------------------------

/**
 * A step's page as the GET shows it until the next step: rendered once by the POST that reached the
 * step (so a reload never repeats the step's effect: no second code, no new recovery codes), with
 * FORM_TOKEN_SLOT where the current form token goes.
 */
export interface HostedPage {
  html: string;
  status: number;
  script: boolean;
  /** Origins besides 'self' that the page's forms may lead to (CSP form-action). */
  formTargets: string[];
}

interface HostedState {
  session: HandoffSession;
  page?: HostedPage | undefined;
}

/** Stands for the form token in a stored page: replaced by `<session id>.<form nonce>` when served. */
export const FORM_TOKEN_SLOT = '@@handoff-form-token@@';

const TOKEN_PART = /^[A-Za-z0-9_-]{22}$/;

/** A fresh random value of 16 bytes (session ids and form nonces). */
const random16 = (): string => randomBytes(16).toString('base64url');

/** The browser binding cookie's value: 32 random bytes. */
export const newBrowserSecret = (): string => randomBytes(32).toString('base64url');

/** Only the SHA-256 of the browser secret is stored: the table alone opens no session. */
const browserHash = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export const isBrowserSecret = (value: string | undefined): value is string => value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);

/** What every form of a step posts: the session's id and the form nonce of the page it was rendered with. */
export const formToken = (id: string, nonce: string): string => `${id}.${nonce}`;

export function parseFormToken(value: unknown): { id: string; nonce: string } | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const [id, nonce, extra] = value.split('.');
  return id !== undefined && nonce !== undefined && extra === undefined && TOKEN_PART.test(id) && TOKEN_PART.test(nonce) ? { id, nonce } : undefined;
}

const requestKey = (clientSid: string, jti: string): string => createHash('sha256').update(`${clientSid}:${jti}`, 'utf8').digest('hex');

const sealState = (ctx: HandoffSessionDeps, id: string, state: HostedState): string => seal(ctx.keyring, JSON.stringify(state), `${ROW_CONTEXT}:${id}`);

function openState(ctx: HandoffSessionDeps, row: HandoffSessionRow): HostedState {
  const state = JSON.parse(unseal(ctx.keyring, row.state, `${ROW_CONTEXT}:${row.id}`)) as HostedState;
  if (state.session.id !== row.id) throw new Error(`handoff session row ${row.id} holds another session`);
  return state;
}

/** A session as its row holds it, for the browser the row is bound to. */
export interface HostedSession {
  session: HandoffSession;
  page: HostedPage | undefined;
  /** The current form nonce; undefined while a POST holds the session. */
  nonce: string | undefined;
  completedAt: number | undefined;
  expired: boolean;
}

/**
 * Stores a new session with its first page, bound to the browser whose cookie is `browserSecret`
 * (expired rows past retention are forgotten on the way).
 */
export async function createHostedSession(ctx: HandoffSessionDeps, session: HandoffSession, page: HostedPage, browserSecret: string): Promise<{ nonce: string }> {
  const store = ctx.stores.handoffSessions;
  const now = ctx.clock.now();
  const nonce = random16();
  await store.purgeExpired(now - HANDOFF_SESSION_RETENTION_MS);
  await store.insert({
    id: session.id,
    browser_hash: browserHash(browserSecret),
    request_key: requestKey(session.request.clientSid, session.request.jti),
    form_nonce: nonce,
    claimed_at: null,
    version: 1,
    state: sealState(ctx, session.id, { session, page }),
    completed_at: null,
    expires_at: session.expiresAt,
    date_created: now,
  });
  return { nonce };
}

function sameBrowser(row: HandoffSessionRow, browserSecret: string | undefined): boolean {
  if (!isBrowserSecret(browserSecret)) return false;
  return timingSafeEqual(Buffer.from(row.browser_hash, 'utf8'), Buffer.from(browserHash(browserSecret), 'utf8'));
}

/**
 * The session `id` for the browser holding `browserSecret`. Refused: an unknown (or forgotten) id
 * (404), a session bound to another browser (403): the id alone, seen in a URL or a log, opens nothing.
 */
export async function findHostedSession(ctx: HandoffSessionDeps, id: string, browserSecret: string | undefined): Promise<HostedSession> {
  const store = ctx.stores.handoffSessions;
  let row = TOKEN_PART.test(id) ? await store.find(id) : undefined;
  if (!row) throw new HandoffPageError(404, 'pageGone');
  if (!sameBrowser(row, browserSecret)) throw new HandoffPageError(403, 'otherBrowser');
  const now = ctx.clock.now();
  if (row.form_nonce === null && row.completed_at === null && (row.claimed_at ?? 0) < now - STALE_CLAIM_MS && (await store.recoverStaleClaim(row.id, now - STALE_CLAIM_MS, random16()))) {
    row = (await store.find(id)) ?? row;
  }
  const state = openState(ctx, row);
  return { session: state.session, page: state.page, nonce: row.form_nonce ?? undefined, completedAt: row.completed_at ?? undefined, expired: row.expires_at <= now };
}

/** The session a request link opened in this browser, so that reopening the link resumes it. */
export async function findSessionOfRequest(ctx: HandoffSessionDeps, clientSid: string, jti: string, browserSecret: string | undefined): Promise<string | undefined> {
  if (!isBrowserSecret(browserSecret)) return undefined;
  const row = await ctx.stores.handoffSessions.findByRequest(requestKey(clientSid, jti), browserHash(browserSecret));
  return row?.id;
}

/** Takes the session for one POST: false when the form is stale (its nonce was used) or another submission holds it. */
export async function claimHostedSession(ctx: HandoffSessionDeps, id: string, nonce: string): Promise<boolean> {
  return ctx.stores.handoffSessions.claim(id, nonce, ctx.clock.now());
}

/**
 * Gives a claimed session back. `rotate` (every step but a voice take) gives its forms a new nonce,
 * so the forms of the page before cannot act again; `completed` records that a result was issued.
 */
export async function releaseHostedSession(
  ctx: HandoffSessionDeps,
  id: string,
  change: { session: HandoffSession; page: HostedPage | undefined; nonce: string; rotate: boolean; completed?: boolean },
): Promise<string> {
  const nonce = change.rotate ? random16() : change.nonce;
  const released = await ctx.stores.handoffSessions.release(id, {
    state: sealState(ctx, id, { session: change.session, page: change.page }),
    nonce,
    completedAt: change.completed ? ctx.clock.now() : undefined,
  });
  if (!released) throw new Error(`handoff session ${id} was released by another request`);
  return nonce;
}

/** Gives a claimed session back unchanged (the step was refused): the same page and form nonce work again. */
export async function restoreHostedSession(ctx: HandoffSessionDeps, id: string, nonce: string): Promise<void> {
  await ctx.stores.handoffSessions.release(id, { nonce });
}
