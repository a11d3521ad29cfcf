import type { Logger } from 'pino';
import type { Clock } from '../crypto/clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { PUBLIC_ONLY, type OutboundAddressPolicy } from '../net/outbound-address-policy.ts';
import { postToPinnedTarget, type PostToPinnedTarget } from '../net/post-to-pinned-target.ts';
import { OutboundTargetError, resolveOutboundTarget, resolveWithSystem, type ResolveHost } from '../net/resolve-outbound-target.ts';
import type { DeliveryOutcome, DueDelivery, WebhookDeliveriesStore } from '../store/webhook-deliveries-store.ts';
import { formBody, TWILIO_IDEMPOTENCY_HEADER, TWILIO_SIGNATURE_HEADER, twilioSignature, twilioWebhookParams } from './twilio-webhook-format.ts';
import { signWebhook, SIGNATURE_HEADER } from './webhook-signature.ts';
import { openWebhookSecret } from './webhooks-store.ts';

export interface WebhookDispatcherOptions {
  /** The outbox's deliveries (`ctx.stores.webhookDeliveries`). */
  deliveries: WebhookDeliveriesStore;
  keyring: Keyring;
  clock: Clock;
  logger: Logger;
  /** Timeout of one HTTP delivery. */
  timeoutMs: number;
  /** Attempts before a delivery is marked `failed`. */
  maxAttempts: number;
  /** Which non-public addresses may be called (default: public addresses only). */
  addressPolicy?: OutboundAddressPolicy;
  /** DNS; every delivery resolves once and connects only to the addresses it checked. */
  resolveHost?: ResolveHost;
  /** Sends the request to the checked addresses; tests replace it to stall or fail. */
  post?: PostToPinnedTarget;
  pollIntervalMs?: number;
  /** Deliveries claimed (and sent concurrently) per poll. */
  batchSize?: number;
  /** How long a claimed delivery is reserved for this process; raised to twice timeoutMs if shorter. */
  leaseMs?: number;
  /** Source of jitter in [0, 1); tests may pin it. */
  random?: () => number;
  /**
   * Opens an account's sealed auth token (the key of X-Twilio-Signature); given by the wiring
   * (server.ts), since sealing tokens is the accounts' business. Without it, or for an account with
   * no sealed token, a Twilio-format webhook is sent in Verity's format with a warning.
   */
  openAuthToken?: (accountSid: string, sealed: string) => string;
}

/** One HTTP request of a delivery: its body and headers (besides User-Agent). */
interface DeliveryRequest {
  body: string;
  headers: Record<string, string>;
}

const MAX_RETRY_DELAY_MS = 3_600_000;
const FIRST_RETRY_DELAY_MS = 5_000;
const MAX_ERROR_LENGTH = 300;

/** Delay before the retry that follows `attempts` failed attempts: 5 s doubling, capped at 1 h, ±20 % jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  // Jitter spreads retries of many deliveries that failed together (receiver outage).
  return Math.round(base * (0.8 + 0.4 * random()));
}

interface Claimed extends DueDelivery {
  leaseUntil: number;
}

type Outcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry'; statusCode: number | null; error: string }
  /** The webhook was deleted or disabled: give up without counting an attempt. */
  | { kind: 'abandon'; error: string };

/**
 * Delivers the outbox (`webhook_deliveries`) over HTTP, at least once. Deliveries are claimed
 * with a conditional UPDATE of `lease_until`, so processes sharing a database never send the
 * same row at the same time; a process that dies mid-delivery leaves a lease that expires,
 * after which any process retries the row.
 */
export class WebhookDispatcher {
  private readonly deliveries: WebhookDeliveriesStore;
  private readonly keyring: Keyring;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly addressPolicy: OutboundAddressPolicy;
  private readonly resolveHost: ResolveHost;
  private readonly post: PostToPinnedTarget;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly random: () => number;
  private readonly openAuthToken: ((accountSid: string, sealed: string) => string) | undefined;

  private started = false;
  private polling = false;
  private wakeRequested = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly runs = new Set<Promise<number>>();

  constructor(options: WebhookDispatcherOptions) {
    this.deliveries = options.deliveries;
    this.keyring = options.keyring;
    this.clock = options.clock;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs;
    this.maxAttempts = Math.max(1, options.maxAttempts);
    this.addressPolicy = options.addressPolicy ?? PUBLIC_ONLY;
    this.resolveHost = options.resolveHost ?? resolveWithSystem;
    this.post = options.post ?? postToPinnedTarget;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchSize = Math.max(1, options.batchSize ?? 20);
    // A lease shorter than a delivery could expire while the request is still in flight.
    this.leaseMs = Math.max(options.leaseMs ?? 30_000, 2 * options.timeoutMs);
    this.random = options.random ?? Math.random;
    this.openAuthToken = options.openAuthToken;
  }

  /** Starts polling in the background; the timer does not keep the process alive. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stops polling and waits for deliveries in flight (bounded by timeoutMs). */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.runs]);
  }

  /** Polls now rather than at the next interval; call after committing an event. */
  wake(): void {
    if (!this.started) return;
    if (this.polling) this.wakeRequested = true;
    else this.schedule(0);
  }

  /** Claims due deliveries and attempts each once; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const run = this.claimAndDeliver();
    this.runs.add(run);
    try {
      return await run;
    } finally {
      this.runs.delete(run);
    }
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.polling = true;
    this.wakeRequested = false;
    let attempted = 0;
    try {
      attempted = await this.runOnce();
    } catch (err) {
      this.logger.error({ err }, 'webhook dispatcher poll failed');
    } finally {
      this.polling = false;
    }
    // A full batch suggests a backlog: keep going without waiting.
    const again = this.wakeRequested || attempted >= this.batchSize;
    this.schedule(again ? 0 : this.pollIntervalMs);
  }

  private async claimAndDeliver(): Promise<number> {
    const now = this.clock.now();
    const due = await this.deliveries.due(now, this.batchSize);

    const claimed: Claimed[] = [];
    for (const row of due) {
      const leaseUntil = now + this.leaseMs;
      // Only one process can move lease_until past `now`; the others match no row.
      if (await this.deliveries.claim(row.sid, now, leaseUntil)) claimed.push({ ...row, leaseUntil });
    }
    await Promise.all(claimed.map((delivery) => this.deliverAndRecord(delivery)));
    return claimed.length;
  }

  private async deliverAndRecord(delivery: Claimed): Promise<void> {
    try {
      const outcome = await this.deliver(delivery);
      await this.record(delivery, outcome);
    } catch (err) {
      // The lease expires and the delivery is retried, so nothing is lost.
      this.logger.error({ err, delivery: delivery.sid, webhook: delivery.webhook_sid }, 'webhook delivery bookkeeping failed');
    }
  }

  private async deliver(d: Claimed): Promise<Outcome> {
    if (d.webhook_url === null || d.secret_sealed === null) return { kind: 'abandon', error: 'webhook deleted' };
    if (d.webhook_status !== 'enabled') return { kind: 'abandon', error: 'webhook disabled' };
    let secret: string;
    try {
      secret = openWebhookSecret(this.keyring, { sid: d.webhook_sid, secret_sealed: d.secret_sealed });
    } catch {
      // Likely a master key missing from the keyring; retrying lets an operator fix it.
      return { kind: 'retry', statusCode: null, error: 'cannot open the webhook secret (unknown master key?)' };
    }
    const { body, headers: formatHeaders } = this.twilioRequest(d) ?? this.verityRequest(d, secret);
    const headers = { 'User-Agent': 'Verity-Webhooks/1', ...formatHeaders };
    // One deadline for DNS, connecting and the answer.
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const url = new URL(d.webhook_url);
      // Resolved once, every address checked, and only those connected to: a DNS answer that
      // changes after registration or between lookups (rebinding) cannot reach a refused address.
      const target = await untilAborted(resolveOutboundTarget(url.hostname, this.addressPolicy, this.resolveHost), signal);
      // Redirects are not followed: one could point a signed event at an internal address.
      const { status } = await this.post({ url, target, headers, body, signal });
      if (status >= 200 && status < 300) return { kind: 'delivered', statusCode: status };
      const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
      return { kind: 'retry', statusCode: status, error: `HTTP ${status}${redirect}` };
    } catch (err) {
      const error = describeDeliveryError(err, signal, this.timeoutMs);
      // The detail (system error code, address) is for the server's operator only, never stored:
      // operators of the API would otherwise learn which internal ports answer. No URL: it may hold a token.
      this.logger.debug({ delivery: d.sid, webhook: d.webhook_sid, error, detail: errorDetail(err) }, 'webhook delivery attempt failed');
      return { kind: 'retry', statusCode: null, error };
    }
  }

  /**
   * Twilio's format (twilio-webhook-format.ts): form body, X-Twilio-Signature keyed by the account's
   * auth token over the URL as configured. Undefined for a Verity-format webhook, or when the
   * account has no sealed token (created before tokens were sealed and not rotated since): that
   * delivery goes in Verity's format, and the warning says how to fix it.
   */
  private twilioRequest(d: Claimed): DeliveryRequest | undefined {
    if (d.webhook_format !== 'twilio' || d.webhook_url === null) return undefined;
    let authToken: string | undefined;
    try {
      authToken = d.auth_token_sealed === null || !this.openAuthToken ? undefined : this.openAuthToken(d.account_sid, d.auth_token_sealed);
    } catch {
      authToken = undefined;
    }
    if (authToken === undefined) {
      this.logger.warn(
        { delivery: d.sid, webhook: d.webhook_sid, account: d.account_sid },
        'webhook is in Twilio format but the account has no sealed auth token (created before Verity kept one, or its master key is missing): sent in Verity format instead; rotate the token (verity accounts rotate-token) to sign X-Twilio-Signature',
      );
      return undefined;
    }
    const params = twilioWebhookParams({ sid: d.event_sid, type: d.event_type, accountSid: d.account_sid, serviceSid: d.service_sid, payload: d.payload }, d.webhook_version ?? 'v2');
    return {
      body: formBody(params),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        [TWILIO_SIGNATURE_HEADER]: twilioSignature(authToken, d.webhook_url, params),
        // One per delivery (event × webhook), the same on every retry.
        [TWILIO_IDEMPOTENCY_HEADER]: d.sid,
      },
    };
  }

  /** Verity's format: the JSON envelope signed `Verity-Signature` with the webhook's own secret. */
  private verityRequest(d: Claimed, secret: string): DeliveryRequest {
    const body = JSON.stringify({
      id: d.event_sid,
      type: d.event_type,
      created: new Date(d.event_created).toISOString(),
      account_sid: d.account_sid,
      service_sid: d.service_sid,
      data: d.payload,
    });
    return {
      body,
      headers: {
        'Content-Type': 'application/json',
        'Verity-Event-Id': d.event_sid,
        'Verity-Event-Type': d.event_type,
        [SIGNATURE_HEADER]: signWebhook(secret, Math.floor(this.clock.now() / 1000), body),
      },
    };
  }

  private async record(d: Claimed, outcome: Outcome): Promise<void> {
    const now = this.clock.now();
    const attempts = outcome.kind === 'abandon' ? d.attempts : d.attempts + 1;
    const failed = outcome.kind === 'abandon' || (outcome.kind === 'retry' && attempts >= this.maxAttempts);
    let changes: DeliveryOutcome;
    if (outcome.kind === 'delivered') {
      changes = { status: 'delivered', last_status_code: outcome.statusCode, last_error: null };
    } else if (failed) {
      changes = { status: 'failed', last_status_code: outcome.kind === 'retry' ? outcome.statusCode : null, last_error: truncate(outcome.error) };
    } else {
      changes = { next_attempt_at: now + retryDelayMs(attempts, this.random), last_status_code: outcome.statusCode, last_error: truncate(outcome.error) };
    }
    // Fencing: write only if the lease is still ours (it may have expired and been re-claimed).
    const settled = await this.deliveries.settle(d.sid, d.leaseUntil, changes, attempts, now);
    const log = { delivery: d.sid, webhook: d.webhook_sid, event: d.event_sid, type: d.event_type, attempts };
    if (!settled) {
      this.logger.warn(log, 'webhook delivery lease expired before the outcome was recorded; it may be sent again');
    } else if (outcome.kind === 'delivered') {
      this.logger.debug({ ...log, statusCode: outcome.statusCode }, 'webhook delivered');
    } else {
      this.logger.warn({ ...log, error: truncate(outcome.error), final: failed }, failed ? 'webhook delivery failed' : 'webhook delivery will be retried');
    }
  }
}

/**
 * The reason stored with a delivery and shown to operators (admin console): one of a few fixed
 * phrases, never the system error. "connect ECONNREFUSED 10.0.0.5:22" versus a timeout would tell
 * whoever registered the URL which internal ports are open.
 */
function describeDeliveryError(err: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (err instanceof OutboundTargetError) return err.reason === 'refused' ? 'refused by address policy' : 'DNS lookup failed';
  if (signal.aborted) return `timed out after ${timeoutMs} ms`;
  const code = errorCode(err) ?? '';
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || TLS_ERROR_CODES.has(code)) return 'TLS handshake failed';
  return 'connection failed';
}

const TLS_ERROR_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(err: unknown): string | undefined {
  const code = err !== null && typeof err === 'object' && 'code' in err ? err.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** For the debug log: the system error's code and message (host and port, no URL path or query). */
function errorDetail(err: unknown): Record<string, unknown> {
  if (err instanceof OutboundTargetError) return { reason: err.reason, range: err.range };
  if (!(err instanceof Error)) return {};
  return { code: errorCode(err), message: err.message.slice(0, MAX_ERROR_LENGTH) };
}

/** `promise`, or the signal's reason once it aborts (a DNS lookup cannot itself be cancelled). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
