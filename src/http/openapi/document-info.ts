import { ERROR_CODES } from '../../errors/error-codes.ts';
import { DEVICE_AUDIENCE, JWT_TYPES, MAX_DEVICE_TOKEN_SECONDS } from '../../factors/push/push-protocol.ts';
import { SEMANTICS, VOICE_SEMANTICS } from '../routes/verifications-schema.ts';

/** The document-level parts of the OpenAPI description: what Verity is, its tags, its credentials. */

const API_VERSION = '0.1.0';

function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, e]) => `| ${code} | ${e.status} | ${e.title} | ${e.description} |`);
  return ['| code | HTTP | title | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** The document's `info.description`: what Verity is, its wire format, authentication and errors. */
const DESCRIPTION = `
Verity is a self-hosted verification and MFA server (SMS, voice and email one-time codes; TOTP, push and voiceprint factors) wire-compatible with **Twilio Verify v2**: point the official \`twilio\` client at it and the Services, Verifications, VerificationCheck, Entities, Factors and Challenges calls work unchanged. Push devices use Verity's own device API (\`/device/v1\`, docs/push.md). Voice verifications go further than the hosted API's spoken code: calls where the user keys in the code shown on screen or presses 1 to approve, and flash calls whose caller id carries the code. Voiceprint factors (voice biometrics) are Verity's own: enrolled and answered with recordings of a pass phrase, uploaded or taken on a call, and never an entity's only factor.

**Wire format.** Requests are \`application/x-www-form-urlencoded\` with PascalCase keys (dotted for nested settings such as \`Totp.Issuer\`, repeated keys for arrays such as \`EventTypes\`; booleans are \`true\`/\`false\`); a JSON body with the same keys is accepted too. Responses are JSON with snake_case keys, dates like \`2015-07-30T20:00:00Z\` and absolute URLs. Lists take \`PageSize\` (1–1000, default 50), \`Page\` and \`PageToken\` and answer \`{<key>: [...], meta: {...}}\`.

**Authentication.** HTTP Basic \`AccountSid:AuthToken\` on every \`/v2\` route, then token buckets per account and per client IP (20429 with \`Retry-After\`). Push devices call \`/device/v1\` with bearer JWTs instead: an enrollment token, then tokens signed by their own key (see docs/push.md). A challenge's or a call verification's progress stream (\`/events/v1\`) is authorised by the token in its URL. The voice platforms' webhooks (\`/voice\`) are authenticated as each platform does (X-Twilio-Signature, or HTTP Basic for Bandwidth). The hosted hand-off pages (\`/handoff\`) take the application's signed request, then the browser's session cookie. The operations, docs and simulator routes are unauthenticated.

**Extensions.** Parameters and fields that the hosted API does not have are marked \`x-verity-extension: true\`.

${SEMANTICS}

${VOICE_SEMANTICS}

**Webhooks.** The hosted API has no webhook for verifications (only Event Streams); Verity delivers \`verification.*\` events to the service's Webhooks as signed JSON (see the \`verityEvent\` webhook).

**Errors.** Every error has the hosted API's legacy body \`{code, message, more_info, status}\`; a few Verity errors add \`details\` (64011: \`details.problems\`, what to fix in a recording):

${errorCodeTable()}
`.trim();

export const DOCUMENT_INFO = {
  title: 'Verity',
  version: API_VERSION,
  summary: 'Self-hosted verification server, wire-compatible with Twilio Verify v2.',
  description: DESCRIPTION,
  license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
};

export const TAGS: Array<{ name: string; description: string }> = [
  { name: 'Services', description: 'Verify Services: settings shared by their verifications.' },
  { name: 'Verifications', description: 'Send one-time codes and check them.' },
  { name: 'Webhooks', description: 'Signed event deliveries of a service, in Twilio\'s format (form body, `X-Twilio-Signature`) unless `Format=verity` asks for Verity\'s JSON envelope (verification lifecycle events are a Verity extension).' },
  { name: 'API keys', description: 'Twilio\'s standard API keys (`SK…`, the 2010-04-01 Keys resource): a second credential of an account, HTTP Basic `SK…:secret`. Only the auth token manages keys.' },
  { name: 'Authy', description: '**Verity extension**: a service\'s Authy application (its API key, shown once, and OneTouch callback URL) for the Authy API served under `/authy` (docs/authy.md; that API is described there, not here).' },
  { name: 'Messaging Configurations', description: 'Per service and destination country, the messaging route (of VERITY_MESSAGING_CONFIG) its SMS go through, named by the route\'s `MG…` messagingServiceSid where Twilio names a Messaging Service.' },
  { name: 'Templates', description: 'Message templates (`HJ`): the built-in ones every account lists, and (a Verity extension) an account\'s own, chosen per verification with `TemplateSid` or per service with `DefaultTemplateSid`.' },
  { name: 'Service Rate Limits', description: 'Rate limits of a service (`RK`), named by a UniqueName that a verification\'s `RateLimits` parameter gives a value for (an end user\'s IP address, a user id…).' },
  { name: 'Service Rate Limit Buckets', description: 'The buckets of a rate limit (`BL`): at most `Max` verifications per `Interval` seconds for each value; a full bucket refuses the verification with 20429.' },
  { name: 'Entities', description: 'The application\'s users (`YE`), named by their Identity.' },
  { name: 'Verification Attempts', description: 'Account-level analytics: every send of a code (`VL`, one per `send_code_attempts` entry) with its conversion, delivery status and price, and a summary counted by the database. An account sees only its own.' },
  { name: 'Safe List', description: 'An account\'s numbers (`GN`) exempt from the SMS-pumping prefix cap; the country allow-list, the per-number limit and the account\'s send budget still apply.' },
  { name: 'Forms', description: 'The static description of what a push SDK sends (`form-push`), as JSON Schema.' },
  { name: 'Factors', description: 'Authenticator factors of an entity (`YF`): TOTP, push and (a Verity extension) voiceprint; enrollment tokens (`YK`) for push devices.' },
  { name: 'Challenges', description: 'Second-factor challenges of an entity (`YC`), answered with a TOTP code, by a push device, or (a Verity extension) with a voice recording.' },
  {
    name: 'Push devices',
    description: '**Verity extension**: the API push devices call with their own signed tokens (no account credentials), and the challenge progress stream of the waiting login page. See docs/push.md.',
  },
  { name: 'Simulator', description: 'Development only: the simulated carrier\'s inboxes and phones (present only with the simulator providers).' },
  {
    name: 'Voice provider webhooks',
    description:
      'Called by the voice platforms during Verity\'s calls, never by applications: Twilio (TwiML answers, X-Twilio-Signature) or Bandwidth (BXML answers, HTTP Basic callback credentials). Only the configured provider\'s routes exist (`VERITY_VOICE_PROVIDER`); `VERITY_PUBLIC_URL` must be reachable by the platform.',
  },
  {
    name: 'Messaging provider webhooks',
    description:
      'Called by the messaging carriers and gateways with delivery receipts of the messages Verity sent, never by applications, each authenticated the way its carrier documents (a signature, or a token in the callback URL where the carrier cannot sign). They live under `/messaging/<instance>/…`; only the configured instances\' routes exist.',
  },
  { name: 'Hand-off', description: '**Verity extension**: applications send their users to Verity with a signed request and get a signed result, or a signed error, back (hand-off clients, the entry point, the hosted pages and their forms, the result-signing keys). The hosted pages keep the hand-off session on the server, bound to the browser by a cookie; every form posts a single-use form token and answers `303 See Other` to the session\'s page (POST → 303 → GET), so Back, Forward and reload repeat nothing. Every `/handoff` route is limited per client IP and per session (429 with `Retry-After`).' },
  {
    name: 'Hosted pages',
    description: '**Verity extension**: the hand-off\'s pages in the user\'s browser (`/handoff/…`): the entry point an application sends its user to, the session\'s page, each factor\'s forms, the enrollment hub, and the few JSON and upload endpoints their scripts call. They answer HTML pages and `303 See Other` redirects, never the API\'s JSON errors: a malformed form or query gets the page it always gets (the session-invalid page, the chooser again with the reason). No security scheme: the application\'s signed request, then the browser\'s session cookie and each page\'s single-use form token, are the credentials.',
  },
  { name: 'Operations', description: 'Health, readiness, metrics and this document (unauthenticated).' },
];

export const SECURITY_SCHEMES: Record<string, Record<string, string>> = {
  accountAuth: {
    type: 'http',
    scheme: 'basic',
    description: 'HTTP Basic with the account SID (`AC…`) as user name and its auth token as password, as the Twilio clients send them; or an API key\'s SID (`SK…`) and secret, which act as the key\'s account (`twilio(keySid, secret, { accountSid })`).',
  },
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `Push devices (\`/device/v1\`, a Verity extension): \`POST /device/v1/Factors\` takes the enrollment token from \`POST …/AccessTokens\` (HS256, \`typ\` ${JWT_TYPES.enrollment}); every other call a device token the device signs with its key (ES256, \`kid\` = its factor SID, \`typ\` ${JWT_TYPES.device}, \`aud\` ${DEVICE_AUDIENCE}, at most ${MAX_DEVICE_TOKEN_SECONDS} s long).`,
  },
  bandwidthCallbackAuth: {
    type: 'http',
    scheme: 'basic',
    description: 'Bandwidth\'s voice callbacks: `VERITY_BANDWIDTH_CALLBACK_USERNAME` and `VERITY_BANDWIDTH_CALLBACK_PASSWORD`, which Verity gives Bandwidth with each call and BXML verb.',
  },
};

/** Headers of error responses (error-responses.ts refers to them). */
export const RESPONSE_HEADERS = {
  RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
  WwwAuthenticate: { description: '`Basic realm="Verity"`.', schema: { type: 'string' } },
};
