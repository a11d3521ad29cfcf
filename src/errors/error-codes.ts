/**
 * Every error code Verity returns, declared once. Codes and HTTP statuses follow the hosted
 * Verify API where it has one; docs/errors.md lists them all (a test keeps the two in sync).
 */
export const ERROR_CODES = {
  20003: { status: 401, title: 'Authenticate', description: 'Missing or wrong HTTP Basic credentials (AccountSid:AuthToken, or an API key\'s Sid:Secret); also credentials of one account on a path naming another, and API key management with an API key (only the auth token manages keys, as on Twilio).' },
  20404: { status: 404, title: 'Not found', description: 'Unknown resource, or a verification that is approved, expired or canceled (the hosted API answers the same).' },
  20403: { status: 403, title: 'Forbidden', description: 'The request carries a web browser\'s cross-site signals (`Sec-Fetch-Site` other than `none`/`same-origin`, or an `Origin` that is not VERITY_PUBLIC_URL\'s origin): the API is for servers, and a page of another site must not use credentials the browser holds (cross-site request forgery).' },
  20429: { status: 429, title: 'Too many requests', description: 'A request rate was exceeded (token bucket): a Bucket of a Service Rate Limit named in a verification\'s `RateLimits`, the account or one of its services on the API, failed authentications from one client IP, or on the hosted pages, device API and progress streams the client IP, the hand-off session, the device or the open-stream cap. Retry-After says when to retry.' },
  20001: { status: 400, title: 'Bad request', description: 'The request body is malformed, of an unsupported media type, or too large.' },
  30008: { status: 502, title: 'Delivery failed', description: 'The provider refused or failed to deliver the code after the safe retries; the verification is marked failed.' },
  60200: { status: 400, title: 'Invalid parameter', description: 'A parameter is missing or invalid; the message names it.' },
  60202: { status: 429, title: 'Max check attempts reached', description: 'Five checks were made on this verification (also a check by `To` while that verification, `max_attempts_reached`, is the newest to `To` and its code lifetime lasts), or the destination is locked out after repeated wrong codes (Retry-After).' },
  60203: { status: 429, title: 'Max send attempts reached', description: 'Five sends to this destination within ten minutes without a completed verification.' },
  60207: { status: 400, title: 'Max rate limits per service reached', description: 'The service already has 20 Service Rate Limits; delete one before creating another.' },
  60208: { status: 400, title: 'Rate limit with that UniqueName already exists', description: 'The service already has a Service Rate Limit with this UniqueName.' },
  60209: { status: 400, title: 'UniqueName format is invalid', description: 'A Service Rate Limit UniqueName has 1 to 100 letters, digits, `-`, `_` or `.`, and is not shaped like a rate limit SID (`RK` + 32 hex).' },
  60210: { status: 400, title: 'Max Buckets per Rate limit reached', description: 'The rate limit already has 5 Buckets; delete or update one instead.' },
  60211: { status: 400, title: 'Bucket with the given Interval already exists', description: 'The rate limit already has a Bucket with this Interval; update that one instead.' },
  60300: { status: 400, title: 'Invalid Param', description: 'Entities/Factors/Challenges: a parameter is valid on its own but not here (a factor type Verity does not support yet, a factor that is not verified).' },
  60306: { status: 400, title: 'Invalid Request', description: 'Entities/Factors/Challenges: the request does not fit the resource\'s state (a challenge that is expired or already responded to, an entity that already exists).' },
  60308: { status: 429, title: 'Challenge verification attempts limit', description: 'Five wrong codes were given for this challenge, or the entity is locked out after repeated wrong codes across challenges (Retry-After).' },
  60310: { status: 429, title: 'Factor verification attempts limit', description: 'Five wrong codes were given while verifying this TOTP factor; delete it and create a new one.' },
  60212: { status: 429, title: 'Too many concurrent requests for phone number', description: 'A call to this number is still in progress; wait for it to end before calling again.' },
  60205: { status: 403, title: 'SMS is not supported by landline phone number', description: 'The service has SkipSmsToLandlines and the number is a landline by the offline numbering plan (libphonenumber `FIXED_LINE`; numbers that may be mobile, as most of North America, are sent to).' },
  60206: { status: 400, title: "'Amount' & 'Payee' params are required", description: 'The service has Psd2Enabled: a verification must give Amount and Payee, which its message shows and its check must repeat.' },
  60224: { status: 400, title: 'Missing substitutions for selected template', description: 'The template (TemplateSid or the service\'s DefaultTemplateSid) has custom variables that TemplateCustomSubstitutions does not give.' },
  60228: { status: 400, title: 'Template was not found', description: 'TemplateSid (or a service\'s DefaultTemplateSid being set) names neither a built-in template nor one of the account\'s (GET /v2/Templates lists them).' },
  60243: { status: 400, title: 'Custom messages are not supported', description: 'CustomMessage was given but the service does not allow it (its CustomMessageEnabled, a Verity extension, is off): use a template instead.' },
  60251: { status: 400, title: 'Invalid Templates parameter', description: 'Templates is not a JSON array of 1 to 10 `{"sid":"HJ…","substitutions":{…}}`.' },
  60252: { status: 400, title: 'Templates are invalid', description: 'No candidate of Templates exists for the account, supports the channel and has every substitution.' },
  60223: { status: 400, title: 'Delivery channel disabled', description: 'The channel is not enabled for this service or has no provider configured.' },
  60410: { status: 403, title: 'Verification delivery attempt blocked', description: 'Fraud guard: too many sends to this destination prefix in a short time (SMS pumping defence).' },
  60605: { status: 403, title: 'Verification delivery attempt blocked', description: "The destination's country is not in the service's geo permissions (AllowedCountries)." },
  20500: { status: 500, title: 'Internal server error', description: 'An unexpected error; details are in the server log, never in the response.' },
  60311: { status: 403, title: 'Factor verification failed', description: 'The AuthPayload that should verify a push factor is not a valid statement signed by its bound key, or the one that should verify a passkey factor is not a valid WebAuthn registration for it (challenge, origin, relying party ID, or a passkey already registered in the service).' },
  60371: { status: 400, title: 'Relying party invalid or not provided', description: 'POST …/Passkeys/Factors: `config.relying_party` is malformed (an id that is not a domain, origins that are not https origins), or neither it nor the service (`Passkeys.RelyingParty.Id`) names a relying party.' },
  60324: { status: 403, title: 'Challenge verification failed', description: 'A push response (AuthPayload) whose signature, key id, type, challenge, factor, details digests or time do not match, or a passkey assertion whose signature, challenge, origin, relying party ID or credential do not match; it counts as an attempt and as a failure of the entity.' },
  64011: { status: 400, title: 'Recording rejected', description: 'Verity: a voice recording failed a quality check (too short, too quiet, clipped, too noisy, mostly silence); `details.problems` says which, with a message to show. (An enrolment recording that does not sound like the others is dropped with `enrollment_problem` instead.)' },
  64012: { status: 429, title: 'Voiceprint locked', description: 'Verity: five consecutive voice mismatches; the next attempt must wait (Retry-After), growing with each failure (NIST SP 800-63B-4). Use another factor meanwhile.' },
  64013: { status: 429, title: 'Voiceprint challenge limit', description: 'Verity: too many voiceprint challenges for this entity since its last approved challenge (10 within 24 h). Each one draws a fresh prompt in digits mode and old prompts leave the history after 2,000 challenges, so unanswered challenges are capped; approve a challenge with any factor, or wait.' },
  64001: { status: 429, title: 'Push challenge limit', description: 'Verity: too many push challenges for this entity since its last approved challenge (Push.MaxChallengesSinceSuccess within 24 h), a defence against push fatigue.' },
  64101: { status: 400, title: 'Hand-off request malformed', description: 'Verity: the hand-off request is not a compact JWS, or a claim is missing or invalid (sub, jti, iat, exp, state over 512 characters, factors outside the supported types, acr).' },
  64102: { status: 403, title: 'Hand-off client unknown', description: 'Verity: the request\'s `iss` (or header `kid`) names no hand-off client.' },
  64103: { status: 403, title: 'Hand-off request signature invalid', description: 'Verity: the request is not signed with the client\'s secret (HS256) or a key of its JWKS (ES256/EdDSA), or uses another algorithm.' },
  64104: { status: 403, title: 'Hand-off request expired', description: 'Verity: the request\'s `exp` has passed; the application must build a fresh request.' },
  64105: { status: 400, title: 'Hand-off request lifetime too long', description: 'Verity: the request lives longer than 120 s (`exp` - `iat`, or `exp` beyond now + 120 s); such tokens are refused.' },
  64106: { status: 403, title: 'Hand-off request audience wrong', description: 'Verity: the request\'s `aud` is not this Verity\'s public URL (VERITY_PUBLIC_URL).' },
  64107: { status: 403, title: 'Hand-off request replayed', description: 'Verity: a request with this `jti` was already accepted; each request is accepted once.' },
  64108: { status: 400, title: 'Hand-off return URL not allowed', description: 'Verity: the request\'s `return_to` is not exactly one of the client\'s registered return URLs.' },
  64109: { status: 403, title: 'Hand-off request not yet valid', description: 'Verity: the request\'s `iat` is more than 30 s in the future (clock skew).' },
  64130: { status: 400, title: 'Hand-off branding colours lack contrast', description: 'Verity: a hand-off client\'s PrimaryColor and BackgroundColor cannot meet WCAG 2.x AA (4.5:1): neither white nor near-black text reaches 4.5:1 on PrimaryColor, the pages\' text does not reach it on BackgroundColor, or no shade of PrimaryColor reaches it as a link on both BackgroundColor and the white cards. `details.parameter` names the colour to change.' },
  64131: { status: 400, title: 'Hand-off logo refused', description: 'Verity: a hand-off client\'s Logo is not base64 of a PNG, JPEG or WebP image (recognised by its bytes; SVG is never taken, it can carry script), is over 64 KB, or is not 1 to 2048 pixels on each side.' },
  64201: { status: 400, title: 'Passkey registration expired', description: 'Verity: the registration options of a passkey factor are valid for 5 minutes; delete the unverified factor and create a new one.' },
  64202: { status: 403, title: 'Passkey signature counter did not increase', description: 'Verity: a passkey assertion verified but its signature counter is not above the stored one (WebAuthn §6.1.1): a replayed assertion or a cloned authenticator. Logged; for a challenge it counts as an attempt and as a failure of the entity.' },
  64203: { status: 403, title: 'Passkey sign-in failed', description: 'Verity: a usernameless sign-in response does not verify (signature, origin or relying party).' },
  64204: { status: 403, title: 'Passkey sign-in options unknown, used or expired', description: 'Verity: a usernameless sign-in response is not for options from Passkeys/AuthenticationOptions of this service, or they were already used (even by a failing response) or are over 5 minutes old; get new options.' },
  64205: { status: 403, title: 'Passkey not recognised', description: 'Verity: a usernameless sign-in response names no verified passkey of this service (deleted, never registered, or unverified), or its user handle is not that passkey\'s entity.' },
  64206: { status: 403, title: 'Passkey user verification required', description: 'Verity: the authenticator did not verify the user (no UV flag: no biometric or PIN) and this sign-in requires it (`Passkeys.UserVerification=required`, or a hosted usernameless sign-in).' },
  64301: { status: 429, title: 'Account send budget exhausted', description: 'Verity: the account sent its budget of messages and calls (all services, channels and features together; VERITY_SEND_ACCOUNT_BURST, refilled at VERITY_SEND_ACCOUNT_PER_SECOND). Nothing was sent; retry after Retry-After, or raise the budget if this is real traffic.' },
  64501: { status: 400, title: 'Webhook URL not allowed', description: 'Verity: the WebhookUrl points to an address Verity does not call: loopback, private (RFC 1918, fc00::/7), link-local (cloud metadata), carrier-grade NAT, multicast, unspecified, broadcast or reserved, written as an IP address in any spelling or as a host name that resolves to one (a defence against server-side request forgery). Use a public receiver, or see VERITY_WEBHOOK_ALLOW_LOOPBACK and VERITY_WEBHOOK_ALLOWED_NETWORKS.' },
  20503: { status: 503, title: 'Service unavailable', description: 'The server is shutting down or its database is unreachable.' },
} as const satisfies Record<number, { status: number; title: string; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes Verity added (their description starts "Verity:"): Twilio has no page for them, or a page about something else. */
export function isVerityCode(code: ErrorCode): boolean {
  return ERROR_CODES[code].description.startsWith('Verity:');
}

/** Where an error body's `more_info` points: Twilio's page for the hosted API's codes, Verity's own list (GET /docs/errors) for Verity's. */
export function moreInfoUrl(code: ErrorCode, publicUrl = ''): string {
  return isVerityCode(code) ? `${publicUrl.replace(/\/+$/, '')}/docs/errors#${code}` : `https://www.twilio.com/docs/errors/${code}`;
}
