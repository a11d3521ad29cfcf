import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { invalidNetworks, type OutboundAddressPolicy } from '../net/outbound-address-policy.ts';
import type { ConfigRow, ProviderOption, ProviderSelector, SettingRows, SettingValues } from './config-rows.ts';
import { loadMessagingConfig, type MessagingConfig } from './messaging-config.ts';
import { VOICEPRINT_VARIABLES, voiceprintConfig, type VoiceprintConfig } from './voiceprint-config.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z.string().url();

/**
 * Every shared setting, its default and what it is for. With each provider's own settings (its
 * folder's `<name>-settings.ts`, handed in by the caller) this is the one source for
 * docs/configuration.md (configTable; a test checks that the document is in sync).
 */
const CONFIG_VARIABLES = {
  NODE_ENV: { schema: z.enum(['development', 'test', 'production']).default('development'), doc: 'In `production`, insecure development defaults (simulator provider, generated master key) are refused.' },
  VERITY_HOST: { schema: z.string().min(1).default('127.0.0.1'), doc: 'Interface to listen on.' },
  VERITY_PORT: { schema: int(0, 65535).default(4000), doc: 'TCP port to listen on.' },
  VERITY_PUBLIC_URL: { schema: url.optional(), doc: 'Origin clients use to reach Verity (used in `url` fields and webhooks). Defaults to `http://HOST:PORT`.' },
  VERITY_DATA_DIR: { schema: z.string().min(1).default('./data'), doc: 'Folder for the embedded SQLite database and the development master key and account.' },
  VERITY_DATABASE_URL: { schema: z.string().regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://').optional(), doc: '`sqlite:PATH` (default `sqlite:<data dir>/verity.db`) or `postgres://user:pass@host:port/db`.' },
  VERITY_DATABASE_POOL_SIZE: { schema: int(1, 200).default(10), doc: 'PostgreSQL connections per process.' },
  VERITY_MASTER_KEY: { schema: z.string().optional(), doc: 'Master key (64 hex chars or base64 of 32+ bytes) from which the keys that hash API tokens, derive codes and encrypt secrets are derived. Generated into the data folder in development; required in production.' },
  VERITY_RETIRED_MASTER_KEYS: { schema: z.string().optional(), doc: 'Comma-separated earlier master keys still accepted to decrypt secrets during a rotation.' },
  VERITY_LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), doc: 'pino log level. Logs never contain codes, tokens or secrets.' },
  VERITY_TRUST_PROXY: { schema: z.string().default('false'), doc: 'Reverse proxies whose `X-Forwarded-For` entries are believed: `false` (default: the client IP is the peer address), or a comma-separated list of proxy addresses and CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal` (e.g. `10.0.0.0/8,loopback`). The client IP is the nearest hop that is not a trusted proxy, so a client cannot pick its own IP by sending the header. `true` (trust every hop) is refused, and so is a range broader than /8 (IPv4) or /32 (IPv6), e.g. `0.0.0.0/0` or `::ffff:0:0/96`: it would trust clients as proxies. IPv4 addresses are written in plain dotted decimal.' },
  VERITY_BODY_LIMIT_BYTES: { schema: int(1024, 10_485_760).default(65_536), doc: 'Largest accepted request body; larger bodies get 413 / 20001.' },
  VERITY_WORKERS: { schema: int(1, 256).default(1), doc: 'Processes serving HTTP on the one port (`verity serve --workers N` overrides it): the primary runs migrations, forks N workers and restarts crashed ones; one worker runs the background jobs. More than 1 is refused with the simulator or SIP voice provider and with SMPP (in-memory calls, one UDP port, one SMSC bind): see docs/scaling.md.' },
  VERITY_SHUTDOWN_GRACE_MS: { schema: int(0, 600_000).default(1500), doc: 'Graceful shutdown (SIGTERM/SIGINT): how long running requests and background jobs may take to finish. Connections with no request running (idle, half-sent requests) are closed at once; after this the rest are closed and the database too.' },
  // The four selectors: their values and docs are the registered providers' names (configTable).
  VERITY_SMS_PROVIDER: { schema: z.string().optional(), doc: 'SMS delivery' },
  VERITY_VOICE_PROVIDER: { schema: z.string().optional(), doc: 'Voice calls' },
  VERITY_EMAIL_PROVIDER: { schema: z.string().optional(), doc: 'Email' },
  VERITY_WHATSAPP_PROVIDER: { schema: z.string().optional(), doc: 'WhatsApp (authentication templates)' },
  VERITY_MESSAGING_CONFIG: { schema: z.string().min(1).optional(), doc: 'Path of a JSON file declaring named provider instances (two SMPP accounts, two Vonage keys), routes per channel, E.164 prefix and service with ordered failover targets, and the circuit breaker\'s thresholds (schema: docs/messaging-config.schema.json, guide: docs/providers.md). Without it each channel sends through its VERITY_*_PROVIDER alone.' },
  VERITY_SMS_FROM: { schema: z.string().min(1).default('+15005550006'), doc: 'Sender number or alphanumeric id for SMS and caller id for calls (Twilio: a number you own, or a Messaging Service `MG…` for SMS).' },
  VERITY_EMAIL_FROM: { schema: z.string().min(3).default('Verity <no-reply@verity.localhost>'), doc: 'From address of verification emails.' },
  VERITY_EMAIL_ALLOWED_FROM: { schema: z.string().optional(), doc: 'Comma-separated sender addresses (`codes@example.com`) or whole domains (`@example.com`) that a verification\'s `ChannelConfiguration` `from` may name. Default: only the address of VERITY_EMAIL_FROM. Any other `from` is refused with 60200: the API must not let a caller send mail in another sender\'s name (spoofing), and your mail relay signs only your domains.' },
  VERITY_TEMPLATE_LINKS: { schema: bool.default(false), doc: 'Let account templates (`POST /v2/Templates`, `CustomMessage`) contain links and domain names. Default `false`: a code message with a link is the shape of phishing (and carriers filter it); turn on only if your API users are trusted to write message text.' },
  VERITY_VOICE_FROM: { schema: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number').optional(), doc: 'Caller id of verification calls (defaults to VERITY_SMS_FROM).' },
  VERITY_VOICE_RING_TIMEOUT_SECONDS: { schema: int(1, 120).default(30), doc: 'How long a verification call rings before it counts as not answered.' },
  VERITY_FLASHCALL_CALLER_IDS: { schema: z.string().regex(/^\+[1-9][0-9]{3,14}X{3,8}$/, 'must be an E.164 prefix followed by 3 to 8 X, e.g. +44203120XXXX').optional(), doc: 'Flash calls: the caller-id range, an E.164 prefix followed by `X`s (e.g. `+44203120XXXX`); the code is the digits in place of the `X`s. Flash calls are off without it, except with the simulator voice provider (`+1500555XXXX`).' },
  VERITY_FLASHCALL_RING_SECONDS: { schema: int(1, 30).default(6), doc: 'Flash calls: the call is dropped after ringing this long.' },
  VERITY_RATE_ACCOUNT_PER_SECOND: { schema: z.coerce.number().positive().default(500), doc: 'Authenticated API: token-bucket refill rate of requests per account (all its services and callers together; an application backend is not limited by its IP).' },
  VERITY_RATE_ACCOUNT_BURST: { schema: int(1, 1_000_000).default(2000), doc: 'Authenticated API: token-bucket capacity per account.' },
  VERITY_RATE_SERVICE_PER_SECOND: { schema: z.coerce.number().positive().default(250), doc: 'Authenticated API: token-bucket refill rate of requests per service (routes under /v2/Services/{sid}), so one service cannot use up its account\'s budget.' },
  VERITY_RATE_SERVICE_BURST: { schema: int(1, 1_000_000).default(1000), doc: 'Authenticated API: token-bucket capacity per service.' },
  VERITY_RATE_AUTH_FAILURES_PER_MINUTE: { schema: z.coerce.number().positive().default(10), doc: 'Refill rate (per minute) of the per-client-IP bucket of failed API authentications; once empty, that IP\'s failed attempts answer 429 (20429) with Retry-After instead of 401.' },
  VERITY_RATE_AUTH_FAILURES_BURST: { schema: int(1, 1_000_000).default(30), doc: 'Capacity of the per-client-IP bucket of failed API authentications.' },
  VERITY_RATE_IP_PER_SECOND: { schema: z.coerce.number().positive().default(50), doc: 'The push device API and the admin console\'s sign-in (one bucket per client IP shared by both): token-bucket refill rate of requests per client IP.' },
  VERITY_RATE_IP_BURST: { schema: int(1, 1_000_000).default(150), doc: 'The push device API and the admin console\'s sign-in: token-bucket capacity per client IP.' },
  VERITY_RATE_HOSTED_IP_PER_SECOND: { schema: z.coerce.number().positive().default(5), doc: 'Hosted hand-off pages (`/handoff/**`, GET and POST): token-bucket refill rate of requests per client IP. A sign-in is about 5 to 15 requests (a push set-up page polls every 2 s); the default admits a NAT of many users, not a script.' },
  VERITY_RATE_HOSTED_IP_BURST: { schema: int(1, 1_000_000).default(300), doc: 'Hosted hand-off pages: token-bucket capacity per client IP.' },
  VERITY_RATE_HOSTED_SESSION_PER_SECOND: { schema: z.coerce.number().positive().default(1), doc: 'Hosted hand-off pages: token-bucket refill rate of requests per hand-off session (the server-side session of one hand-off). A person clicks, a polling page asks every 2 s.' },
  VERITY_RATE_HOSTED_SESSION_BURST: { schema: int(1, 1_000_000).default(60), doc: 'Hosted hand-off pages: token-bucket capacity per hand-off session.' },
  VERITY_RATE_HOSTED_SEND_IP_PER_MINUTE: { schema: z.coerce.number().positive().default(6), doc: 'Hosted actions that send (text a code, call with a code, approve with a call, flash call, add a phone number): refill rate per minute of the per-client-IP bucket, stricter than page views (each send costs money).' },
  VERITY_RATE_HOSTED_SEND_IP_BURST: { schema: int(1, 1_000_000).default(20), doc: 'Hosted actions that send: capacity of the per-client-IP bucket.' },
  VERITY_RATE_HOSTED_SEND_SESSION_PER_MINUTE: { schema: z.coerce.number().positive().default(2), doc: 'Hosted actions that send: refill rate per minute of the per-session bucket (a person resends after waiting for the first code).' },
  VERITY_RATE_HOSTED_SEND_SESSION_BURST: { schema: int(1, 1_000).default(3), doc: 'Hosted actions that send: capacity of the per-session bucket.' },
  VERITY_RATE_DEVICE_FACTOR_PER_SECOND: { schema: z.coerce.number().positive().default(2), doc: 'Push device API (`/device/v1/Factors/{sid}/…`): token-bucket refill rate of requests per factor (device), on top of the per-IP limit (VERITY_RATE_IP_*). Failed device authentications spend the per-IP bucket of failed authentications (VERITY_RATE_AUTH_FAILURES_*).' },
  VERITY_RATE_DEVICE_FACTOR_BURST: { schema: int(1, 1_000_000).default(60), doc: 'Push device API: token-bucket capacity per factor.' },
  VERITY_EVENTS_MAX_STREAMS_PER_IP: { schema: int(1, 100_000).default(50), doc: 'Progress streams (`/events/v1/**`, server-sent events a waiting login page keeps open): streams one client IP may hold open at once on one Verity process; the next is refused with 20429. Opening one also spends the hosted pages\' per-IP bucket (VERITY_RATE_HOSTED_IP_*). A waiting page holds one stream for the seconds to minutes a sign-in takes; the default admits a NAT of many users signing in at once.' },
  VERITY_HANDOFF_SESSION_MAX_NUMBERS: { schema: int(1, 100).default(3), doc: 'Distinct phone numbers one hand-off session may send codes or calls to (the enrollment hub lets the user type a number). The next one is refused with a page error, nothing sent.' },
  VERITY_HANDOFF_SESSION_MAX_SENDS: { schema: int(1, 1000).default(10), doc: 'Codes and calls one hand-off session may send in all (every SMS, code call, approval call and flash call started from its pages). The next one is refused with a page error, nothing sent.' },
  VERITY_HANDOFF_SESSION_MAX_WRONG_CODES: { schema: int(1, 100).default(10), doc: 'Wrong codes (SMS, call or flash-call digits) one hand-off session may enter; then its code steps end and the user starts again from the application. Such wrong codes count toward a lock-out of that number for that user only, never for the application\'s own API checks (docs/security.md).' },
  VERITY_FRAUD_PREFIX_DIGITS: { schema: int(3, 12).default(7), doc: 'SMS-pumping guard: number of leading E.164 digits (country code included) that form a destination prefix.' },
  VERITY_FRAUD_PREFIX_MAX_SENDS: { schema: int(1, 1_000_000).default(30), doc: 'SMS-pumping guard: sends allowed to one prefix per window (per service), as a burst cap.' },
  VERITY_FRAUD_PREFIX_WINDOW_SECONDS: { schema: int(1, 86_400).default(600), doc: 'SMS-pumping guard: window over which the prefix cap refills.' },
  VERITY_SEND_ACCOUNT_PER_SECOND: { schema: z.coerce.number().positive().default(10), doc: 'Send gate: refill rate of the per-account budget of outbound messages and calls (every SMS, email, verification call, flash call and voiceprint call of all the account\'s services together; 64301 when spent). 10/s is 36,000 an hour: an app that sends 100,000 codes a day averages 1.2/s, so this covers its peak hours several times over; raise it for larger apps.' },
  VERITY_SEND_ACCOUNT_BURST: { schema: int(1, 10_000_000).default(1000), doc: 'Send gate: capacity of the per-account send budget (sends allowed at once before the refill rate applies), the ceiling on what a leaked API key or a pumping attack across many services and number ranges can cost.' },
  VERITY_WEBHOOK_TIMEOUT_MS: { schema: int(100, 60_000).default(5000), doc: 'Timeout of one webhook delivery.' },
  VERITY_WEBHOOK_LEASE_MS: { schema: int(1_000, 600_000).optional(), doc: 'How long a node reserves a claimed webhook delivery (and Authy callback): if the node dies, another sends it after this. Default and minimum: twice VERITY_WEBHOOK_TIMEOUT_MS plus 1 s.' },
  VERITY_WEBHOOK_CONCURRENCY: { schema: int(1, 256).default(8), doc: 'Requests in flight per webhook endpoint per node: a slow or dead endpoint holds at most this many of the node\'s slots, never the others\' (docs/webhooks.md).' },
  VERITY_WEBHOOK_MAX_IN_FLIGHT: { schema: int(1, 10_000).default(256), doc: 'Webhook requests in flight per node, all endpoints together.' },
  VERITY_WEBHOOK_MAX_ATTEMPTS: { schema: int(1, 50).default(12), doc: 'Webhook delivery attempts (exponential backoff from 5 s, capped at 1 h) before it is marked failed.' },
  VERITY_WEBHOOK_ALLOW_LOOPBACK: { schema: bool.optional(), doc: 'Let webhook URLs point to this host (127.0.0.0/8, ::1, `localhost`). Default `true` when NODE_ENV=development (receivers on your machine), `false` otherwise: a loopback webhook lets any API user reach services listening on the Verity host. `0.0.0.0` and `::` stay refused.' },
  VERITY_WEBHOOK_ALLOWED_NETWORKS: { schema: z.string().optional(), doc: 'Comma-separated addresses or CIDR ranges that webhook URLs may point to although they are not public (e.g. `10.1.2.0/24,fd00:1::/64` for receivers on a private network). Default: none, only public addresses are called. Every API user can then make Verity POST into these ranges, so list the receivers\' addresses, never a whole private network. Multicast, broadcast and unspecified addresses are never called.' },
  VERITY_ADMIN_SESSION_IDLE_MINUTES: { schema: int(1, 1440).default(30), doc: 'Admin console: a session unused this long ends (idle timeout); the operator signs in again.' },
  VERITY_ADMIN_SESSION_MAX_HOURS: { schema: int(1, 168).default(12), doc: 'Admin console: a session ends this long after its sign-in, however active (absolute timeout).' },
  VERITY_ADMIN_SESSION_ROTATE_MINUTES: { schema: int(1, 1440).default(15), doc: 'Admin console: the session id in the cookie is replaced by a fresh one this often while the session is used (the previous id stays valid for 60 s, for requests already under way).' },
  VERITY_ADMIN_SIGN_IN_BURST: { schema: int(1, 10_000).default(10), doc: 'Admin console: sign-in attempts allowed at once per client IP, and failed attempts per Account SID, before the hourly rate applies (database token buckets). The IP\'s bucket is spent before the credentials are checked; the Account SID\'s only by a failure, and it never refuses the right Auth Token (a success refills it).' },
  VERITY_ADMIN_SIGN_IN_PER_HOUR: { schema: int(1, 100_000).default(20), doc: 'Admin console: refill rate of the sign-in buckets (attempts per hour per client IP, and failed attempts per hour per Account SID).' },
  VERITY_METRICS_TOKEN: { schema: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(), doc: 'Bearer token that `GET /metrics` requires (`Authorization: Bearer <token>`, compared in constant time; Prometheus: `authorization: {credentials_file: …}`). Without it, /metrics answers only loopback clients that connect directly (no `X-Forwarded-For`, `Forwarded`, `X-Real-IP` or `Via`: not through a local proxy) outside production, and 404 in production.' },
  // Voice biometrics: off unless turned on (src/config/voiceprint-config.ts).
  ...VOICEPRINT_VARIABLES,
  VERITY_UNVERIFIED_FACTOR_TTL_HOURS: { schema: int(0, 8760).default(24), doc: 'Factors still `unverified` this long after their creation (an enrolment the user abandoned: a QR never scanned, a voiceprint with missing takes) are deleted, with a `factor.deleted` event. 0 keeps them.' },
  VERITY_RETENTION_DAYS: { schema: int(0, 36_500).default(30), doc: 'Records older than this many days (by their creation date) are deleted in small batches by the maintenance scheduler: decided verifications with their attempts, delivery attempts, calls and progress events; webhook events and their settled deliveries; decided challenges and Authy approval requests; simulator messages; the send gate\'s daily refusal counters. A pending verification, an undelivered webhook delivery or a live call is never deleted. The console\'s charts show at most this many days. 0 keeps everything (the tables then grow without bound).' },
  VERITY_AUDIT_RETENTION_DAYS: { schema: int(0, 36_500).default(365), doc: 'Entries of the admin console\'s audit log (operator actions, console sign-ins) older than this many days are deleted by the maintenance scheduler, in small batches. Kept longer than traffic (VERITY_RETENTION_DAYS) because it answers "who changed what". 0 keeps them forever.' },
  // Push challenges to phones (src/factors/push/platforms/, docs/push.md). Each platform is on when its key is given.
  VERITY_APNS_KEY_FILE: { schema: z.string().min(1).optional(), doc: 'APNs: path of the token-signing key (`AuthKey_XXXXXXXXXX.p8`, PKCS #8 P-256) from the Apple developer account. With VERITY_APNS_KEY_ID, VERITY_APNS_TEAM_ID and VERITY_APNS_TOPIC it turns APNs delivery of push challenges on. Read at boot; never logged.' },
  VERITY_APNS_KEY_ID: { schema: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character Key ID').optional(), doc: 'APNs: the key\'s 10-character Key ID (the provider token\'s `kid`).' },
  VERITY_APNS_TEAM_ID: { schema: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character Team ID').optional(), doc: 'APNs: the 10-character Team ID (the provider token\'s `iss`).' },
  VERITY_APNS_TOPIC: { schema: z.string().regex(/^[A-Za-z0-9.-]{1,155}$/, 'must be the app\'s bundle id').optional(), doc: 'APNs: the app\'s bundle id (`apns-topic`).' },
  VERITY_APNS_ENVIRONMENT: { schema: z.enum(['production', 'sandbox']).default('production'), doc: 'APNs: `production` (api.push.apple.com, App Store and TestFlight builds) or `sandbox` (api.sandbox.push.apple.com, development builds).' },
  VERITY_APNS_HOST: { schema: z.string().regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name or address').optional(), doc: 'APNs: a host that replaces Apple\'s (a relay, or a test server). Always TLS with the certificate checked.' },
  VERITY_APNS_PORT: { schema: int(1, 65535).default(443), doc: 'APNs: port (443; Apple also listens on 2197).' },
  VERITY_APNS_CA_FILE: { schema: z.string().min(1).optional(), doc: 'APNs: PEM file of a certificate authority trusted besides the system\'s, for a VERITY_APNS_HOST whose certificate it issued. TLS verification is never turned off.' },
  VERITY_FCM_SERVICE_ACCOUNT_FILE: { schema: z.string().min(1).optional(), doc: 'FCM: path of the Firebase project\'s service-account key file (JSON: `project_id`, `client_email`, `private_key`, `token_uri`). It turns FCM HTTP v1 delivery of push challenges on. Read at boot; never logged.' },
  VERITY_FCM_BASE_URL: { schema: url.refine((v) => v.startsWith('https://'), 'must be an https:// URL').default('https://fcm.googleapis.com'), doc: 'FCM: base URL of the HTTP v1 API (messages are posted to `{base}/v1/projects/{project_id}/messages:send`); replace it only for a relay or a test server.' },
  VERITY_FCM_TOKEN_URI: { schema: url.refine((v) => v.startsWith('https://'), 'must be an https:// URL').optional(), doc: 'FCM: OAuth 2.0 token endpoint replacing the key file\'s `token_uri` (a relay or a test server).' },
  VERITY_FCM_CA_FILE: { schema: z.string().min(1).optional(), doc: 'FCM: PEM file of a certificate authority trusted besides the system\'s, for a VERITY_FCM_BASE_URL or VERITY_FCM_TOKEN_URI whose certificate it issued. TLS verification is never turned off.' },
} as const;

type Vars = typeof CONFIG_VARIABLES;
type RawConfig = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string;
  databasePoolSize: number;
  masterKey: string | undefined;
  retiredMasterKeys: string[];
  logLevel: RawConfig['VERITY_LOG_LEVEL'];
  /** Proxy addresses, CIDR ranges or proxy-addr names whose X-Forwarded-For entries are believed; false: none. */
  trustProxy: false | string[];
  bodyLimitBytes: number;
  /** Processes serving HTTP (`serve --workers`); 1 is a single process. */
  workers: number;
  /** How long a graceful shutdown waits for running requests and background jobs. */
  shutdownGraceMs: number;
  /** The provider each selector names (a registered provider's name, or `none`). */
  providers: Record<ProviderSelector, string>;
  smsFrom: string;
  emailFrom: string;
  /** Email senders a verification's ChannelConfiguration may name: addresses, and domains written `@example.com` (lower case). */
  emailAllowedFrom: string[];
  /** Whether account templates and custom messages may contain links (VERITY_TEMPLATE_LINKS). */
  templateLinks: boolean;
  /** VERITY_MESSAGING_CONFIG: provider instances, routes and breaker thresholds; undefined: one implicit route per channel. */
  messaging: MessagingConfig | undefined;
  /** Every provider's own settings as parsed, by variable name; a provider reads its own with settingValues. */
  providerSettings: Readonly<Record<string, unknown>>;
  voice: {
    from: string;
    ringTimeoutSeconds: number;
    /** Flash calls: the E.164 prefix and how many digits follow it (the code); undefined when off. */
    flashCall: { prefix: string; codeLength: number; ringSeconds: number } | undefined;
  };
  rateLimits: {
    account: { perSecond: number; burst: number };
    service: { perSecond: number; burst: number };
    /** Failed API authentications per client IP. */
    authFailures: { perSecond: number; burst: number };
    ip: { perSecond: number; burst: number };
    prefix: { digits: number; maxSends: number; windowSeconds: number };
    /** Send gate: outbound messages and calls per account. */
    sendAccount: { perSecond: number; burst: number };
  };
  /** Hosted hand-off pages and the push device API: request limits and each hand-off session's budget (src/http/hosted-rate-limits.ts, src/handoff/session-budget.ts). */
  hostedLimits: {
    ip: { perSecond: number; burst: number };
    session: { perSecond: number; burst: number };
    sendIp: { perSecond: number; burst: number };
    sendSession: { perSecond: number; burst: number };
    deviceFactor: { perSecond: number; burst: number };
    sessionMaxNumbers: number;
    sessionMaxSends: number;
    sessionMaxWrongCodes: number;
    /** Progress streams (`/events/v1/**`) one client IP may hold open at once, per process. */
    streamsPerIp: number;
  };
  /** `addressPolicy`: which non-public addresses webhook URLs may point to (see src/net/outbound-address-policy.ts). */
  webhooks: { timeoutMs: number; maxAttempts: number; addressPolicy: OutboundAddressPolicy; leaseMs: number | undefined; concurrency: number; maxInFlight: number };
  /** Abandoned enrolments older than this are deleted (0: never). */
  unverifiedFactorTtlMs: number;
  /** Records created longer ago than this are pruned (src/maintenance/); 0: kept forever. */
  retentionMs: number;
  /** The console's audit log is pruned past this age (ms; 0 keeps it). */
  auditRetentionMs: number;
  /** Bearer token of GET /metrics; undefined: loopback only outside production, not served in production. */
  metricsToken: string | undefined;
  /** APNs and FCM delivery of push challenges (files are read by src/factors/push/platforms/create-push-platforms.ts); undefined: off. */
  push: { apns: ApnsSettings | undefined; fcm: FcmSettings | undefined };
  /** Voiceprint factors: on or off (VERITY_VOICEPRINT, src/config/voiceprint-config.ts). */
  voiceprint: VoiceprintConfig;
  /** The admin console's sessions (src/admin/admin-sessions.ts) and its sign-in throttle. */
  admin: {
    session: { idleMs: number; absoluteMs: number; rotateMs: number };
    signIn: { burst: number; perHour: number };
  };
}

interface ApnsSettings {
  keyFile: string;
  keyId: string;
  teamId: string;
  topic: string;
  /** `https://host:port`. */
  origin: string;
  caFile: string | undefined;
}

interface FcmSettings {
  serviceAccountFile: string;
  baseUrl: string;
  tokenUri: string | undefined;
  caFile: string | undefined;
}

const APNS_HOSTS = { production: 'api.push.apple.com', sandbox: 'api.sandbox.push.apple.com' } as const;

/** VERITY_APNS_*: all four of key file, key id, team id and topic, or none. */
function apnsSettings(r: RawConfig, problems: string[]): ApnsSettings | undefined {
  const given = { VERITY_APNS_KEY_FILE: r.VERITY_APNS_KEY_FILE, VERITY_APNS_KEY_ID: r.VERITY_APNS_KEY_ID, VERITY_APNS_TEAM_ID: r.VERITY_APNS_TEAM_ID, VERITY_APNS_TOPIC: r.VERITY_APNS_TOPIC };
  const missing = Object.entries(given).filter(([, v]) => v === undefined).map(([k]) => k);
  if (missing.length === 4) return undefined;
  if (missing.length) {
    problems.push(...missing.map((name) => `${name}: required when any of VERITY_APNS_KEY_FILE, VERITY_APNS_KEY_ID, VERITY_APNS_TEAM_ID, VERITY_APNS_TOPIC is set (APNs needs all four)`));
    return undefined;
  }
  const host = r.VERITY_APNS_HOST ?? APNS_HOSTS[r.VERITY_APNS_ENVIRONMENT];
  return { keyFile: r.VERITY_APNS_KEY_FILE as string, keyId: r.VERITY_APNS_KEY_ID as string, teamId: r.VERITY_APNS_TEAM_ID as string, topic: r.VERITY_APNS_TOPIC as string, origin: `https://${host}:${r.VERITY_APNS_PORT}`, caFile: r.VERITY_APNS_CA_FILE };
}

const SELECTORS: readonly ProviderSelector[] = ['sms', 'voice', 'email', 'whatsapp'];

/** The variable that selects a channel's provider: VERITY_SMS_PROVIDER, … */
function selectorVariable(selector: ProviderSelector): `VERITY_${Uppercase<ProviderSelector>}_PROVIDER` {
  return `VERITY_${selector.toUpperCase() as Uppercase<ProviderSelector>}_PROVIDER`;
}

/**
 * The whole configuration table for these providers: the shared rows, the four selectors accepting
 * the providers that serve them (and `none`), and each provider's own rows after the senders.
 */
export function configTable(providers: readonly ProviderOption[]): Readonly<Record<string, ConfigRow>> {
  const table: Record<string, ConfigRow> = {};
  for (const [name, row] of Object.entries(CONFIG_VARIABLES) as [string, ConfigRow][]) {
    const selector = SELECTORS.find((s) => selectorVariable(s) === name);
    table[name] = selector ? selectorRow(row.doc, providers.filter((p) => p.selectableBy.includes(selector))) : row;
    if (name === 'VERITY_EMAIL_FROM') for (const provider of providers) Object.assign(table, provider.settings);
  }
  return table;
}

function selectorRow(label: string, providers: readonly ProviderOption[]): ConfigRow {
  const names = providers.map((p) => p.name);
  const values = providers.map((p) => `\`${p.name}\`${p.developmentDefault ? ' (development default)' : ''}`);
  return { schema: z.enum([...names, 'none']).optional(), doc: `${label}: ${[...values, '`none`'].join(', ')}.` };
}

/** A provider's own settings, as loadConfig parsed them (`rows` is the provider's table). */
export function settingValues<Rows extends SettingRows>(config: Config, rows: Rows): SettingValues<Rows> {
  return Object.fromEntries(Object.keys(rows).map((name) => [name, config.providerSettings[name]])) as SettingValues<Rows>;
}

/** Problems of the selected providers' required settings, in the providers' and their rows' order. */
function missingSettings(providers: readonly ProviderOption[], selected: Record<ProviderSelector, string>, raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const provider of providers) {
    const by = SELECTORS.filter((selector) => selected[selector] === provider.name);
    if (by.length === 0) continue;
    for (const [name, { required }] of Object.entries(provider.settings)) {
      if (!required || raw[name]) continue;
      if (required.by && !required.by.some((selector) => by.includes(selector))) continue;
      if (required.whenAlsoGiven !== undefined && !raw[required.whenAlsoGiven]) continue;
      problems.push(`${name}: ${required.because ?? `required by the ${provider.name} provider`}`);
    }
  }
  return problems;
}

function flashCallRange(range: string | undefined, ringSeconds: number): Config['voice']['flashCall'] {
  if (range === undefined) return undefined;
  const prefix = range.replace(/X+$/, '');
  return { prefix, codeLength: range.length - prefix.length, ringSeconds };
}

/** The names @fastify/proxy-addr understands besides addresses and CIDR ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * The broadest range VERITY_TRUST_PROXY may name: an IPv4 /8 is a whole private network, an IPv6 /32
 * a whole provider's allocation. A broader range holds clients, not proxies, and every client in it
 * could choose its own IP by writing X-Forwarded-For.
 */
const BROADEST_PROXY_PREFIX = { ipv4: 8, ipv6: 32 } as const;

/**
 * One VERITY_TRUST_PROXY entry as @fastify/proxy-addr will compile it: a range name, or a canonical
 * address or `address/prefix` (so nothing accepted here can make it throw at boot); or why not.
 */
function trustedProxyEntry(entry: string): string | 'invalid' | 'too broad' {
  if (PROXY_RANGE_NAMES.includes(entry)) return entry;
  // `010.0.0.0/8` is 8.0.0.0/8 and `10.1` is 10.0.0.1 to the parser: only the plain dotted form for IPv4.
  const written = entry.split('/')[0] ?? '';
  if (ipaddr.IPv4.isValid(written) && !ipaddr.IPv4.isValidFourPartDecimal(written)) return 'invalid';
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  if (ipaddr.isValid(entry)) {
    address = ipaddr.parse(entry);
    prefix = address.kind() === 'ipv4' ? 32 : 128;
  } else if (ipaddr.isValidCIDR(entry)) {
    [address, prefix] = ipaddr.parseCIDR(entry);
  } else {
    return 'invalid';
  }
  // proxy-addr matches IPv4 peers against an IPv4-mapped range (::ffff:0:0/96 is every IPv4 address):
  // judge it, and hand it over, as the IPv4 range it is.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (prefix < 96) return 'too broad';
    address = (address as ipaddr.IPv6).toIPv4Address();
    prefix -= 96;
  }
  const kind = address.kind();
  if (prefix < BROADEST_PROXY_PREFIX[kind]) return 'too broad';
  return prefix === (kind === 'ipv4' ? 32 : 128) ? address.toString() : `${address.toString()}/${prefix}`;
}

/**
 * VERITY_TRUST_PROXY: `false`, or a list of trusted proxies. `true` would believe the leftmost
 * X-Forwarded-For entry, which the client writes itself behind a proxy that appends: refused, and so
 * are ranges broader than BROADEST_PROXY_PREFIX (`0.0.0.0/0`, `0.0.0.0/1,128.0.0.0/1`: `true` again).
 */
function parseTrustedProxies(value: string, problems: string[]): false | string[] {
  const text = value.trim().toLowerCase();
  if (text === 'false' || text === '0' || text === '') return false;
  if (text === 'true' || text === '1') {
    problems.push('VERITY_TRUST_PROXY: `true` would let any client choose its own IP (the leftmost X-Forwarded-For entry); list your proxies instead, e.g. VERITY_TRUST_PROXY=10.0.0.0/8 or loopback');
    return false;
  }
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  const parsed = entries.map(trustedProxyEntry);
  const bad = entries.filter((_, i) => parsed[i] === 'invalid');
  if (bad.length) problems.push(`VERITY_TRUST_PROXY: not an IP address, CIDR range or one of ${PROXY_RANGE_NAMES.join(', ')}: ${bad.join(', ')}`);
  const broad = entries.filter((_, i) => parsed[i] === 'too broad');
  if (broad.length) problems.push(`VERITY_TRUST_PROXY: broader than /${BROADEST_PROXY_PREFIX.ipv4} (IPv4) or /${BROADEST_PROXY_PREFIX.ipv6} (IPv6), so it would trust clients as proxies: ${broad.join(', ')}; list only your proxies' addresses or subnets`);
  return parsed.length ? parsed : false;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from environment variables, for these providers (the composition passes
 * src/providers/registry.ts's PROVIDER_OPTIONS). Every problem is collected and reported together,
 * so an operator fixes them in one pass.
 */
export function loadConfig(env: NodeJS.ProcessEnv, providers: readonly ProviderOption[]): Config {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [name, { schema }] of Object.entries(configTable(providers))) {
    const value = env[name] === '' ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) raw[name] = parsed.data;
    else problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  // Checked before the first report, so the file's problems come with every other one.
  const messaging = loadMessagingConfig(raw.VERITY_MESSAGING_CONFIG as string | undefined, { env, providers, production: raw.NODE_ENV === 'production' }, problems);
  if (problems.length) throw new ConfigError(problems);
  const r = raw as RawConfig;
  const production = r.NODE_ENV === 'production';
  const fallback = production ? 'none' : (providers.find((p) => p.developmentDefault)?.name ?? 'none');
  const selected: Record<ProviderSelector, string> = {
    sms: r.VERITY_SMS_PROVIDER ?? fallback,
    voice: r.VERITY_VOICE_PROVIDER ?? fallback,
    email: r.VERITY_EMAIL_PROVIDER ?? fallback,
    whatsapp: r.VERITY_WHATSAPP_PROVIDER ?? fallback,
  };
  const named = (name: string) => providers.find((p) => p.name === name);

  if (production) {
    if (!r.VERITY_MASTER_KEY) problems.push('VERITY_MASTER_KEY: required when NODE_ENV=production');
    for (const selector of SELECTORS) {
      const name = selected[selector];
      if (named(name)?.developmentOnly) problems.push(`${selectorVariable(selector)}: the ${name} provider is for development only (it shows codes) and is refused when NODE_ENV=production`);
    }
  }
  problems.push(...missingSettings(providers, selected, raw));
  if (r.VERITY_MASTER_KEY !== undefined && !/^([0-9a-fA-F]{64,}|[A-Za-z0-9+/=_-]{43,})$/.test(r.VERITY_MASTER_KEY.trim())) {
    problems.push('VERITY_MASTER_KEY: must be 64 hex characters or base64 of at least 32 bytes (generate one with `openssl rand -hex 32`)');
  }
  const trustProxy = parseTrustedProxies(r.VERITY_TRUST_PROXY, problems);
  const webhookNetworks = (r.VERITY_WEBHOOK_ALLOWED_NETWORKS ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const badNetworks = invalidNetworks(webhookNetworks);
  if (badNetworks.length) problems.push(`VERITY_WEBHOOK_ALLOWED_NETWORKS: not an IP address or CIDR range: ${badNetworks.join(', ')}`);
  const apns = apnsSettings(r, problems);
  if (problems.length) throw new ConfigError(problems);

  const dataDir = r.VERITY_DATA_DIR;
  return {
    env: r.NODE_ENV,
    host: r.VERITY_HOST,
    port: r.VERITY_PORT,
    publicUrl: (r.VERITY_PUBLIC_URL ?? `http://${r.VERITY_HOST.includes(':') ? `[${r.VERITY_HOST}]` : r.VERITY_HOST}:${r.VERITY_PORT}`).replace(/\/+$/, ''),
    dataDir,
    databaseUrl: r.VERITY_DATABASE_URL ?? `sqlite:${dataDir}/verity.db`,
    databasePoolSize: r.VERITY_DATABASE_POOL_SIZE,
    masterKey: r.VERITY_MASTER_KEY,
    retiredMasterKeys: (r.VERITY_RETIRED_MASTER_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: r.VERITY_LOG_LEVEL,
    trustProxy,
    bodyLimitBytes: r.VERITY_BODY_LIMIT_BYTES,
    workers: r.VERITY_WORKERS,
    shutdownGraceMs: r.VERITY_SHUTDOWN_GRACE_MS,
    providers: selected,
    smsFrom: r.VERITY_SMS_FROM,
    emailFrom: r.VERITY_EMAIL_FROM,
    emailAllowedFrom: (r.VERITY_EMAIL_ALLOWED_FROM ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    templateLinks: r.VERITY_TEMPLATE_LINKS,
    messaging,
    providerSettings: Object.fromEntries(providers.flatMap((p) => Object.keys(p.settings).map((name) => [name, raw[name]]))),
    voice: {
      from: r.VERITY_VOICE_FROM ?? r.VERITY_SMS_FROM,
      ringTimeoutSeconds: r.VERITY_VOICE_RING_TIMEOUT_SECONDS,
      flashCall: flashCallRange(r.VERITY_FLASHCALL_CALLER_IDS ?? named(selected.voice)?.flashCallRange, r.VERITY_FLASHCALL_RING_SECONDS),
    },
    rateLimits: {
      account: { perSecond: r.VERITY_RATE_ACCOUNT_PER_SECOND, burst: r.VERITY_RATE_ACCOUNT_BURST },
      service: { perSecond: r.VERITY_RATE_SERVICE_PER_SECOND, burst: r.VERITY_RATE_SERVICE_BURST },
      authFailures: { perSecond: r.VERITY_RATE_AUTH_FAILURES_PER_MINUTE / 60, burst: r.VERITY_RATE_AUTH_FAILURES_BURST },
      ip: { perSecond: r.VERITY_RATE_IP_PER_SECOND, burst: r.VERITY_RATE_IP_BURST },
      prefix: { digits: r.VERITY_FRAUD_PREFIX_DIGITS, maxSends: r.VERITY_FRAUD_PREFIX_MAX_SENDS, windowSeconds: r.VERITY_FRAUD_PREFIX_WINDOW_SECONDS },
      sendAccount: { perSecond: r.VERITY_SEND_ACCOUNT_PER_SECOND, burst: r.VERITY_SEND_ACCOUNT_BURST },
    },
    hostedLimits: {
      ip: { perSecond: r.VERITY_RATE_HOSTED_IP_PER_SECOND, burst: r.VERITY_RATE_HOSTED_IP_BURST },
      session: { perSecond: r.VERITY_RATE_HOSTED_SESSION_PER_SECOND, burst: r.VERITY_RATE_HOSTED_SESSION_BURST },
      sendIp: { perSecond: r.VERITY_RATE_HOSTED_SEND_IP_PER_MINUTE / 60, burst: r.VERITY_RATE_HOSTED_SEND_IP_BURST },
      sendSession: { perSecond: r.VERITY_RATE_HOSTED_SEND_SESSION_PER_MINUTE / 60, burst: r.VERITY_RATE_HOSTED_SEND_SESSION_BURST },
      deviceFactor: { perSecond: r.VERITY_RATE_DEVICE_FACTOR_PER_SECOND, burst: r.VERITY_RATE_DEVICE_FACTOR_BURST },
      sessionMaxNumbers: r.VERITY_HANDOFF_SESSION_MAX_NUMBERS,
      sessionMaxSends: r.VERITY_HANDOFF_SESSION_MAX_SENDS,
      sessionMaxWrongCodes: r.VERITY_HANDOFF_SESSION_MAX_WRONG_CODES,
      streamsPerIp: r.VERITY_EVENTS_MAX_STREAMS_PER_IP,
    },
    webhooks: {
      timeoutMs: r.VERITY_WEBHOOK_TIMEOUT_MS,
      maxAttempts: r.VERITY_WEBHOOK_MAX_ATTEMPTS,
      leaseMs: r.VERITY_WEBHOOK_LEASE_MS,
      concurrency: r.VERITY_WEBHOOK_CONCURRENCY,
      maxInFlight: r.VERITY_WEBHOOK_MAX_IN_FLIGHT,
      addressPolicy: { allowLoopback: r.VERITY_WEBHOOK_ALLOW_LOOPBACK ?? r.NODE_ENV === 'development', allowedNetworks: webhookNetworks },
    },
    unverifiedFactorTtlMs: r.VERITY_UNVERIFIED_FACTOR_TTL_HOURS * 3600_000,
    retentionMs: r.VERITY_RETENTION_DAYS * 86_400_000,
    auditRetentionMs: r.VERITY_AUDIT_RETENTION_DAYS * 86_400_000,
    metricsToken: r.VERITY_METRICS_TOKEN,
    push: {
      apns,
      fcm: r.VERITY_FCM_SERVICE_ACCOUNT_FILE === undefined ? undefined : { serviceAccountFile: r.VERITY_FCM_SERVICE_ACCOUNT_FILE, baseUrl: r.VERITY_FCM_BASE_URL.replace(/\/+$/, ''), tokenUri: r.VERITY_FCM_TOKEN_URI, caFile: r.VERITY_FCM_CA_FILE },
    },
    voiceprint: {
      ...voiceprintConfig(r.VERITY_VOICEPRINT, r.NODE_ENV),
      operatorModel: r.VERITY_VOICEPRINT_MODEL === undefined ? undefined : { modelPath: r.VERITY_VOICEPRINT_MODEL, cohortPath: r.VERITY_VOICEPRINT_COHORT },
    },
    admin: {
      session: { idleMs: r.VERITY_ADMIN_SESSION_IDLE_MINUTES * 60_000, absoluteMs: r.VERITY_ADMIN_SESSION_MAX_HOURS * 3600_000, rotateMs: r.VERITY_ADMIN_SESSION_ROTATE_MINUTES * 60_000 },
      signIn: { burst: r.VERITY_ADMIN_SIGN_IN_BURST, perHour: r.VERITY_ADMIN_SIGN_IN_PER_HOUR },
    },
  };
}
