import { z } from 'zod';
import { HANDOFF_FACTORS, MAX_DISPLAY_NAME_LENGTH, MAX_HANDOFF_TOKEN_SECONDS, MAX_STATE_LENGTH } from '../../handoff/handoff-claims.ts';
import { HANDOFF_SESSION_MS } from '../../handoff/handoff-session.ts';
import { friendlyNameProblem } from '../../services/friendly-name.ts';
import { PageQuery } from '../pagination.ts';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, extension, listOf, pathSid, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { ServicePath } from './services-schema.ts';

/** Hand-off clients (a Verity extension): the applications that may send their users to Verity, and Verity's result-signing keys. */

/** What a hand-off is, for the client operations and the hosted entry point. */
export const HANDOFF_SEMANTICS = `An application (a hand-off client, \`HC…\`) sends its user to \`GET /handoff?request=<JWT>\` with a request it signed (HS256 with the client's secret, or ES256/EdDSA with a key of its JWKS; header \`typ\` \`verity-handoff-request+jwt\` or absent): header \`kid\` and claim \`iss\` = the client sid, \`aud\` = Verity's public URL, \`sub\` = the entity identity, \`iat\`, \`exp\` (at most ${MAX_HANDOFF_TOKEN_SECONDS} s after \`iat\` and after now), a \`jti\` accepted once, \`state\` (opaque, ≤ ${MAX_STATE_LENGTH} characters), \`return_to\` (exactly one of the client's return URLs), \`factors\` (among ${HANDOFF_FACTORS.join(', ')}), an optional \`acr\` and an optional \`phone\` (E.164: the number the application trusts for the user, to which \`sms\`/\`call\` send a code, \`call\` also an approval by a call and \`flashcall\` a flash call; shown with all but its last 2 digits hidden), an optional \`name\` (the user's display name, OIDC Core §5.1; the SDK's \`displayName\`: what people see as their account, while \`sub\` is an id and never shown: the authenticator app's \`otpauth://\` label \`Issuer:<name>\`, the passkey's WebAuthn \`user.name\` and \`user.displayName\` (\`user.id\` stays the opaque entity handle), the push enrollment token's \`account_name\`, "Account: <name>" on the hub; without it, the method's own name. A label only: every check stays on \`sub\`. A string, NFC, trimmed, 1 to ${MAX_DISPLAY_NAME_LENGTH} characters, without control, line or paragraph separator, format (bidirectional overrides and isolates, zero-width space; U+200C/U+200D allowed), private-use or surrogate characters, else 64101; every page escapes it), an optional \`allow_remove_last\` (boolean, default \`false\`; the SDK's \`allowRemoveLast\`: with \`true\` the enrollment hub may remove the user's last sign-in method, which it otherwise refuses), an optional \`ui_locales\` (space-separated BCP 47 tags: the pages' language), and an optional \`purpose\`: \`authenticate\` (default), \`enroll\` (the enrollment hub, docs/handoff.md; its result may carry \`phone_number\`) or \`identify\` (a usernameless passkey sign-in: no \`sub\` in the request, the result names the user). Verity answers on \`return_to\` with \`result\` and \`state\`: a result signed ES256 (header \`typ\` \`verity-handoff-result+jwt\`) by a key published at \`/.well-known/jwks.json\`: \`iss\` = Verity's public URL, \`aud\` = the client sid, \`sub\`, \`nonce\` = the request's \`state\`, \`amr\` (RFC 8176), \`acr\`, \`auth_time\`, \`jti\`, \`iat\`, \`exp\` = \`iat\` + ${MAX_HANDOFF_TOKEN_SECONDS} s. Every page that ends without a result offers the way back, when Verity knows the application (a live session, or a refused request whose signature and \`return_to\` check out): \`return_to?error=<code>&state=<state>&error_result=<JWT>\`, \`error\` being \`access_denied\` (the user left, or had no usable method), \`expired\` (the request link, or the pages' ${HANDOFF_SESSION_MS / 60_000}-minute session), \`already_completed\` (the result was already sent; the user came back with Back and continued) or \`invalid_request\` (the request was refused). \`error_result\` is signed like a result but with \`typ\` \`verity-handoff-error+jwt\` (a result verifier refuses it by its \`typ\`): \`iss\`, \`aud\` = the client sid, \`nonce\` = \`state\`, \`sub\` when the request named one, \`error\`, \`error_description\` (the developer's reason in English, never shown on the pages, also in Verity's log), \`jti\`, \`iat\`, \`exp\` = \`iat\` + ${MAX_HANDOFF_TOKEN_SECONDS} s; it grants nothing: verify it to log its reason, and show your user your own words. A return with neither \`result\` nor \`error\` (a plain cancel link) is a cancel. The \`@verity/sdk\` functions \`buildHandoffRequestUrl\` and \`verifyHandoffResult\` do both sides for the application.`;

const tag = 'Hand-off';
const FRIENDLY_NAME_MAX = 64;

const FRIENDLY_NAME_DOC = 'A name for the application, shown on the hosted pages and spoken in approval calls: no links, domain names, line breaks, invisible characters or markup, at most 3 digits.';
const safeName = (name: unknown, ctx: z.RefinementCtx): void => {
  const problem = typeof name === 'string' ? friendlyNameProblem(name, FRIENDLY_NAME_MAX) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: name });
};

/** The largest Logo parameter: base64 of 64 KB, with room for line breaks (the size itself is checked on the bytes: 64131). */
const LOGO_PARAM_MAX = 100_000;
/** The create and update routes take a body this large (a logo), whatever VERITY_BODY_LIMIT_BYTES says for the rest of the API. */
export const BRANDING_BODY_LIMIT = 262_144;

/** The branding parameters of create and update (src/handoff/client-branding.ts checks them). */
const brandingParams = {
  PrimaryColor: field.string({ max: 7 }).meta({
    description: 'The application\'s colour, `#rrggbb`: the hosted pages\' primary buttons. Their text is white or near-black, whichever reaches 4.5:1 (WCAG AA); links and focus rings use this colour, darkened or lightened until it reaches 4.5:1 on the page. A colour on which neither text colour reaches 4.5:1 is refused (64130). Empty: Verity\'s colours again.',
  }),
  BackgroundColor: field.string({ max: 7 }).meta({
    description: 'The light pages\' background, `#rrggbb` (needs PrimaryColor). The pages\' text and secondary text must reach 4.5:1 on it, and a shade of PrimaryColor as a link on both it and the white cards, else 64130. Empty: the pages\' own.',
  }),
  SupportUrl: field.string({ max: 2048 }).meta({ description: 'The application\'s help page, linked as "Help" on every hosted page: https (http only for localhost and 127.0.0.1), no credentials. Empty: no link.' }),
  Logo: field.string({ max: LOGO_PARAM_MAX }).meta({
    description: 'The application\'s logo: base64 of a PNG, JPEG or WebP image of at most 64 KB and 2048 pixels a side, recognised by its bytes (never SVG: it can carry script), else 64131. Shown 32 pixels high beside the name, served by this server with its exact type.',
  }),
  ClearLogo: field.boolean().meta({ description: '`true` removes the logo (not together with Logo).' }),
};

const HandoffClientCreateParams = extension(
  field.fields({
    // Shown on the hosted pages and spoken in approval calls: the same rules as a service's name.
    FriendlyName: field
      .required({ max: FRIENDLY_NAME_MAX })
      .superRefine(safeName)
      .meta({ description: FRIENDLY_NAME_DOC }),
    ...brandingParams,
    Jwks: field.string({ max: 16_384 }).meta({
      description: 'The application\'s public keys as a JSON JWKS: 1–10 keys, all EC P-256 (ES256) or all Ed25519 (EdDSA), a distinct `kid` each when several; no private keys. Absent: Verity generates an HS256 secret.',
    }),
    ReturnUrl: field.list().meta({
      description: 'Allowed return URLs, as repeated keys (1–10): https (http only for localhost and 127.0.0.1), no credentials, no fragment. A request\'s `return_to` must equal one exactly. Required.',
    }),
  }),
  '',
).meta({ id: 'HandoffClientCreateParams' });

const HandoffClientUpdateParams = extension(
  field.fields({
    FriendlyName: field
      .string({ max: FRIENDLY_NAME_MAX })
      .superRefine(safeName)
      .meta({ description: FRIENDLY_NAME_DOC }),
    ...brandingParams,
  }),
  '',
).meta({ id: 'HandoffClientUpdateParams' });

const client = {
  sid: sid('HC', 'Hand-off client SID: the `iss` and `kid` of its requests, the `aud` of its results.'),
  account_sid: sid('AC', 'Account SID.'),
  service_sid: sid('VA', 'Service SID.'),
  friendly_name: z.string(),
  return_urls: z.array(z.string().meta({ format: 'uri' })).meta({ description: 'The allowed `return_to` values (exact match).' }),
  algorithm: z.enum(['HS256', 'ES256', 'EdDSA']).meta({ description: 'How its requests are signed: with the generated secret (HS256) or a key of its JWKS.' }),
  jwks: z
    .object({ keys: z.array(z.record(z.string(), z.unknown())) })
    .nullable()
    .meta({ description: 'The client\'s public JWKS (ES256/EdDSA clients), else null.' }),
  branding: z
    .object({
      primary_color: z.string().nullable().meta({ description: '`#rrggbb`, or null: Verity\'s colours.' }),
      background_color: z.string().nullable().meta({ description: '`#rrggbb` of the light pages\' background, or null.' }),
      support_url: z.string().nullable().meta({ format: 'uri', description: 'The help page linked from every hosted page, or null.' }),
      logo_url: z.string().nullable().meta({ format: 'uri', description: 'Where this server serves the logo (versioned: a new logo is a new URL), or null.' }),
    })
    .meta({ description: 'What the hosted pages show of the application besides its name (docs/handoff.md, "Branding").' }),
  date_created: dateTime('When the client was created,'),
  date_updated: dateTime('When the client last changed,'),
  url: absoluteUrl('Absolute URL of this client.'),
};

const HandoffClient = extension(z.object(client), 'An application that may send its users to Verity with a signed hand-off request.').meta({ id: 'HandoffClient' });

const HandoffClientCreated = extension(
  z.object({
    ...client,
    secret: z
      .string()
      .optional()
      .meta({ description: 'HS256 clients only: the 256-bit signing secret (base64url; the HMAC key is its UTF-8 text). Stored sealed: keep it, it cannot be read again.' }),
  }),
  'The client as created; an HS256 client also gets its secret, shown only in this response.',
).meta({ id: 'HandoffClientCreated' });

const HandoffClientList = listOf('handoff_clients', HandoffClient, 'HandoffClientList', 'A page of hand-off clients, oldest first (without secrets).');

const HandoffJwks = extension(
  z.object({
    keys: z.array(
      z.object({
        kty: z.literal('EC'),
        crv: z.literal('P-256'),
        x: z.string(),
        y: z.string(),
        kid: z.string().meta({ description: 'RFC 7638 thumbprint.' }),
        alg: z.literal('ES256'),
        use: z.literal('sig'),
      }),
    ),
  }),
  'Verity\'s result-signing keys (RFC 7517 §5): the current one and, for 24 h after a rotation, the previous ones.',
).meta({ id: 'HandoffJwks' });

const HandoffClientPath = ServicePath.extend({ clientSid: pathSid('HC', 'Hand-off client SID (`HC` + 32 hex).') });

const clientNotFound: ErrorCase = {
  code: 20404,
  when: 'unknown service, or no hand-off client with this `Sid` in the service.',
  message: 'The requested resource /Services/VA…/HandoffClients/HC… was not found',
};

const brandingErrors: ErrorCase[] = [
  {
    code: 64130,
    when: 'PrimaryColor/BackgroundColor cannot meet WCAG AA 4.5:1 (button text, page text, or links).',
    message: 'Branding colours refused: PrimaryColor (neither white nor near-black text reaches 4.5:1 on it)',
  },
  { code: 64131, when: 'Logo not base64 of a PNG, JPEG or WebP (by its bytes; never SVG), over 64 KB, or over 2048 pixels a side.', message: 'Logo refused: only PNG, JPEG or WebP images (not SVG), recognised by their content' },
];

export const createHandoffClientSchema = operation({
  operationId: 'createHandoffClient',
  tag,
  summary: 'Create a hand-off client',
  description: `**Verity extension.** Registers an application that may send its users to Verity for a second factor. Without \`Jwks\` the client signs HS256 and the response carries its \`secret\` once. ${HANDOFF_SEMANTICS}`,
  caller: 'account',
  params: ServicePath,
  body: HandoffClientCreateParams,
  ok: { 201: { description: 'The new client (with its secret when HS256).', schema: HandoffClientCreated } },
  errors: [
    {
      code: 60200,
      when: 'FriendlyName missing, over 64 characters or not a safe name; no ReturnUrl, more than 10, or one that is not https (http only for loopback), has credentials or a fragment; Jwks not a JWKS of 1–10 public EC P-256 or Ed25519 keys of one type; a colour not #rrggbb, BackgroundColor without PrimaryColor, SupportUrl not https, Logo with ClearLogo.',
      message: 'Invalid parameter: ReturnUrl (https required (http only for localhost and 127.0.0.1))',
    },
    ...brandingErrors,
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const listHandoffClientsSchema = operation({
  operationId: 'listHandoffClients',
  tag,
  summary: 'List hand-off clients',
  description: '**Verity extension.** Lists the service\'s hand-off clients, oldest first (secrets are never listed).',
  caller: 'account',
  params: ServicePath,
  querystring: PageQuery,
  ok: { 200: { description: 'A page of hand-off clients.', schema: HandoffClientList } },
  errors: [...PAGE_ERRORS, SERVICE_NOT_FOUND, ...API_ERRORS],
});

export const fetchHandoffClientSchema = operation({
  operationId: 'fetchHandoffClient',
  tag,
  summary: 'Fetch a hand-off client',
  description: '**Verity extension.** Fetches one hand-off client (without its secret).',
  caller: 'account',
  params: HandoffClientPath,
  ok: { 200: { description: 'The client.', schema: HandoffClient } },
  errors: [clientNotFound, ...API_ERRORS],
});

export const updateHandoffClientSchema = operation({
  operationId: 'updateHandoffClient',
  tag,
  summary: 'Update a hand-off client',
  description:
    '**Verity extension.** Changes the client\'s name or branding (colours, support link, logo); what is not given stays. Sessions already open keep the branding they began with. Return URLs, secret and keys do not change: create a new client for those.',
  caller: 'account',
  params: HandoffClientPath,
  body: HandoffClientUpdateParams,
  ok: { 200: { description: 'The client as changed.', schema: HandoffClient } },
  errors: [
    { code: 60200, when: 'FriendlyName not a safe name; a colour not #rrggbb; BackgroundColor without PrimaryColor; SupportUrl not https; Logo with ClearLogo.', message: 'Invalid parameter: PrimaryColor (expected a colour as #rrggbb)' },
    ...brandingErrors,
    clientNotFound,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const deleteHandoffClientSchema = operation({
  operationId: 'deleteHandoffClient',
  tag,
  summary: 'Delete a hand-off client',
  description: '**Verity extension.** Deletes the client: its requests are refused from now on (64102).',
  caller: 'account',
  params: HandoffClientPath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [clientNotFound, ...API_ERRORS],
});

export const handoffJwksSchema = operation({
  operationId: 'handoffJwks',
  tag,
  summary: 'Verity\'s result-signing keys',
  description:
    '**Verity extension.** The public ES256 keys that sign hand-off results: the current key and, for 24 h after a rotation, the previous ones. Cached for 5 minutes (`Cache-Control`); a verifier meeting an unknown `kid` should refetch once. Unauthenticated.',
  caller: 'none',
  ok: { 200: { description: 'The JWKS.', schema: HandoffJwks } },
  errors: [],
});
