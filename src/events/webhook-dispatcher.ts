import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../crypto/clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { PUBLIC_ONLY, type OutboundAddressPolicy } from '../net/outbound-address-policy.ts';
import { PinnedAgents, pooledPostToPinnedTarget, type PostToPinnedTarget } from '../net/post-to-pinned-target.ts';
import { OutboundTargetError, resolveOutboundTarget, resolveWithSystem, type ResolveHost } from '../net/resolve-outbound-target.ts';
import type { DeliveryOutcome, DeliverySettle, DueDelivery, WebhookDeliveriesStore } from '../store/webhook-deliveries-store.ts';
import { formBody, TWILIO_IDEMPOTENCY_HEADER, TWILIO_SIGNATURE_HEADER, twilioSignature, twilioWebhookParams } from './twilio-webhook-format.ts';
import { deliveriesWrittenWithin } from './record-event.ts';
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
  /** Sends the request to the checked addresses; tests replace it to stall or fail. Default: keep-alive pools per checked target. */
  post?: PostToPinnedTarget;
  /** How often the node looks for endpoints with due deliveries when nothing wakes it. */
  pollIntervalMs?: number;
  /** Deliveries claimed per endpoint by one `runOnce()` (tests). */
  batchSize?: number;
  /** How long a claimed delivery is reserved for this process; raised to 2 × timeoutMs + 1 s if shorter. */
  leaseMs?: number;
  /** Requests in flight per endpoint on this node. */
  concurrency?: number;
  /** Requests in flight on this node, all endpoints together. */
  maxInFlight?: number;
  /** Consecutive failures that open an endpoint's breaker. */
  breakerThreshold?: number;
  /** First cool-down of an open breaker, doubled at each re-opening up to `breakerMaxMs`. */
  breakerCooldownMs?: number;
  breakerMaxMs?: number;
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
/** Ready endpoints are looked up at most this often when wake-ups come in a stream. */
const MIN_REFRESH_GAP_MS = 10;
/** An `outbox` wake-up claims only if this process wrote deliveries this recently (longer than any transaction). */
const WAKE_WINDOW_MS = 5_000;
/** Outcomes written by one statement at most. */
const SETTLE_BATCH = 100;

/** Delay before the retry that follows `attempts` failed attempts: 5 s doubling, capped at 1 h, ±20 % jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  // Jitter spreads retries of many deliveries that failed together (receiver outage).
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The lease of a claim: a delivery waits at most one request of its endpoint in the buffer, then takes one itself. */
export function webhookLeaseMs(timeoutMs: number, leaseMs?: number): number {
  return Math.max(leaseMs ?? 0, 2 * timeoutMs + 1_000);
}

interface Claimed extends DueDelivery {
  token: string;
}

type Outcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry'; statusCode: number | null; error: string }
  /** The webhook was deleted or disabled: give up without counting an attempt. */
  | { kind: 'abandon'; error: string }
  /** The dispatcher is stopping: the request was cut off; the delivery is released, no attempt counted. */
  | { kind: 'stopped' };

/** One endpoint's queue on this node: what it claimed, what is in flight, and its breaker. */
interface EndpointQueue {
  readonly webhookSid: string;
  /** Claimed, waiting for one of the endpoint's slots. */
  buffer: Claimed[];
  inFlight: number;
  claiming: boolean;
  /** Due work was seen at the last refresh and the last claim was not empty. */
  ready: boolean;
  /** Consecutive failed attempts seen by this node. */
  failures: number;
  /** Consecutive openings of the shared breaker (0: closed). */
  openings: number;
  openUntil: number;
}

/**
 * Delivers the outbox (`webhook_deliveries`) over HTTP, at least once, one queue per endpoint
 * (webhook). Each queue claims the due heads of its endpoint in one statement (per subject only the
 * oldest pending delivery, so order per subject holds on any number of nodes, also across retries),
 * sends them with its own concurrency and time-out, and claims again as its slots free up: a
 * pipeline, no batch waits for its slowest request, so a slow or dead endpoint only ever holds its
 * own slots. After `breakerThreshold` consecutive failures the endpoint's breaker (shared by every
 * node through `webhooks.breaker_*`) opens: nothing is claimed for it until the cool-down ends,
 * then one probe decides. Settles are fenced by the claim's token: a node that died mid-delivery
 * leaves a lease that expires, after which any node sends the row again.
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
  private readonly agents = new PinnedAgents();
  private readonly post: PostToPinnedTarget;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly maxInFlight: number;
  private readonly breakerThreshold: number;
  private readonly breakerCooldownMs: number;
  private readonly breakerMaxMs: number;
  private readonly random: () => number;
  private readonly openAuthToken: ((accountSid: string, sealed: string) => string) | undefined;

  private readonly queues = new Map<string, EndpointQueue>();
  private readonly settles: { settle: DeliverySettle; resolve: (written: boolean) => void; reject: (err: unknown) => void }[] = [];
  /** Every promise of work in progress (claims, requests, settles), awaited by stop(). */
  private readonly work = new Set<Promise<unknown>>();
  private inFlight = 0;
  private started = false;
  private stopper = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private refreshing = false;
  private refreshAgain = false;
  private lastRefresh = Number.NEGATIVE_INFINITY;

  constructor(options: WebhookDispatcherOptions) {
    this.deliveries = options.deliveries;
    this.keyring = options.keyring;
    this.clock = options.clock;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs;
    this.maxAttempts = Math.max(1, options.maxAttempts);
    this.addressPolicy = options.addressPolicy ?? PUBLIC_ONLY;
    this.resolveHost = options.resolveHost ?? resolveWithSystem;
    this.post = options.post ?? pooledPostToPinnedTarget(this.agents);
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchSize = Math.max(1, options.batchSize ?? 20);
    // A lease shorter than a delivery could expire while the request is still in flight.
    this.leaseMs = webhookLeaseMs(options.timeoutMs, options.leaseMs);
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 256);
    this.breakerThreshold = Math.max(1, options.breakerThreshold ?? 5);
    this.breakerCooldownMs = options.breakerCooldownMs ?? 60_000;
    this.breakerMaxMs = options.breakerMaxMs ?? 600_000;
    this.random = options.random ?? Math.random;
    this.openAuthToken = options.openAuthToken;
  }

  /** Starts delivering in the background; the timer does not keep the process alive. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopper = new AbortController();
    // A look-up scheduled before a stop() never ran.
    this.refreshing = false;
    this.refreshAgain = false;
    this.requestRefresh();
  }

  /**
   * Stops promptly: requests in flight are cut off, and every delivery this node claimed but did not
   * settle is released at once (no attempt counted), so another node (or the next start) sends it.
   */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopper.abort();
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
    const buffered = [...this.queues.values()].flatMap((q) => q.buffer.splice(0));
    try {
      await this.deliveries.release(buffered);
    } catch (err) {
      this.logger.warn({ err }, 'releasing claimed webhook deliveries failed; their leases will expire');
    }
    this.agents.destroy();
  }

  /**
   * Called on every `outbox` wake-up (an event committed in this process): looks for due work now,
   * but only if this process wrote deliveries recently (or `force`: a delivery was put back in the
   * queue), so events nobody subscribes to cost nothing.
   */
  wake(force = false): void {
    if (this.started && (force || deliveriesWrittenWithin(WAKE_WINDOW_MS))) this.requestRefresh();
  }

  /** One pass (tests, tools): claims up to batchSize due deliveries per ready endpoint and attempts each once; returns how many. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const ready = await this.deliveries.readyEndpoints(now, 1_000);
    let attempted = 0;
    await Promise.all(
      ready.map(async (endpoint) => {
        const queue = this.queueOf(endpoint.webhook_sid);
        this.noteBreaker(queue, endpoint.breaker_failures, endpoint.breaker_open_until);
        const limit = this.claimLimit(queue, now, this.batchSize);
        if (limit === 0) return;
        const claimed = await this.claim(queue, limit);
        attempted += claimed.length;
        await Promise.all(claimed.map((d) => this.track(this.attempt(queue, d))));
      }),
    );
    return attempted;
  }

  private queueOf(webhookSid: string): EndpointQueue {
    let queue = this.queues.get(webhookSid);
    if (!queue) {
      queue = { webhookSid, buffer: [], inFlight: 0, claiming: false, ready: false, failures: 0, openings: 0, openUntil: 0 };
      this.queues.set(webhookSid, queue);
    }
    return queue;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.work.add(promise);
    void promise.finally(() => this.work.delete(promise)).catch(() => undefined);
    return promise;
  }

  /** Looks up the endpoints with due work (coalesced: one lookup at a time, at most one queued). */
  private requestRefresh(): void {
    if (!this.started) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    const gap = Math.max(0, this.lastRefresh + MIN_REFRESH_GAP_MS - performance.now());
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.track(this.refresh()), gap);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    this.lastRefresh = performance.now();
    try {
      const ready = await this.deliveries.readyEndpoints(this.clock.now(), 1_000);
      for (const endpoint of ready) {
        const queue = this.queueOf(endpoint.webhook_sid);
        this.noteBreaker(queue, endpoint.breaker_failures, endpoint.breaker_open_until);
        queue.ready = true;
      }
      this.forgetIdleQueues(new Set(ready.map((e) => e.webhook_sid)));
      this.pumpAll();
    } catch (err) {
      if (this.started) this.logger.error({ err }, 'webhook dispatcher could not look up due deliveries');
    } finally {
      this.refreshing = false;
      const again = this.refreshAgain;
      this.refreshAgain = false;
      if (again) this.requestRefresh();
      else if (this.started) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.requestRefresh(), this.pollIntervalMs);
        this.timer.unref();
      }
    }
  }

  private forgetIdleQueues(ready: Set<string>): void {
    for (const [sid, queue] of this.queues) {
      if (!ready.has(sid) && queue.inFlight === 0 && queue.buffer.length === 0 && !queue.claiming && queue.openings === 0 && queue.failures === 0) this.queues.delete(sid);
    }
  }

  /** The breaker as the database has it (another node may have opened or closed it). */
  private noteBreaker(queue: EndpointQueue, openings: number, openUntil: number): void {
    queue.openings = openings;
    queue.openUntil = openUntil;
  }

  /** How many deliveries the queue may claim now: 0 while the breaker is open, 1 (a probe) once it half-opens. */
  private claimLimit(queue: EndpointQueue, now: number, wanted: number): number {
    if (queue.openUntil > now) return 0;
    if (queue.openings > 0) return queue.inFlight + queue.buffer.length === 0 ? 1 : 0;
    return wanted;
  }

  private pumpAll(): void {
    for (const queue of this.queues.values()) this.pump(queue);
  }

  /** Starts buffered deliveries in free slots and claims more when half the endpoint's window is free. */
  private pump(queue: EndpointQueue): void {
    if (!this.started) return;
    this.startBuffered(queue);
    const outstanding = queue.inFlight + queue.buffer.length;
    if (!queue.ready || queue.claiming || outstanding > this.concurrency / 2 || this.inFlight >= this.maxInFlight) return;
    const limit = this.claimLimit(queue, this.clock.now(), 2 * this.concurrency - outstanding);
    if (limit === 0) return;
    queue.claiming = true;
    void this.track(
      this.claim(queue, limit)
        .then((claimed) => {
          if (!this.started) {
            // Claimed while stopping: give them back at once.
            return this.deliveries.release(claimed);
          }
          if (claimed.length === 0) queue.ready = false;
          queue.buffer.push(...claimed);
          return undefined;
        })
        .catch((err: unknown) => {
          queue.ready = false;
          if (this.started) this.logger.error({ err, webhook: queue.webhookSid }, 'webhook claim failed');
        })
        .finally(() => {
          queue.claiming = false;
          this.pump(queue);
        }),
    );
  }

  private startBuffered(queue: EndpointQueue): void {
    const limit = queue.openings > 0 ? 1 : this.concurrency;
    while (this.started && queue.buffer.length > 0 && queue.inFlight < limit && this.inFlight < this.maxInFlight) {
      const delivery = queue.buffer.shift() as Claimed;
      void this.track(this.attempt(queue, delivery)).finally(() => {
        // A freed slot: this endpoint first, then any endpoint waiting for the node-wide cap.
        this.pump(queue);
        if (this.inFlight === this.maxInFlight - 1) this.pumpAll();
      });
    }
  }

  private async claim(queue: EndpointQueue, limit: number): Promise<Claimed[]> {
    const now = this.clock.now();
    const token = randomUUID();
    const rows = await this.deliveries.claim(queue.webhookSid, now, limit, now + this.leaseMs, token);
    return rows.map((row) => ({ ...row, token }));
  }

  /** Sends one delivery and records the outcome; never throws (a failed bookkeeping leaves a lease that expires). */
  private async attempt(queue: EndpointQueue, delivery: Claimed): Promise<void> {
    queue.inFlight++;
    this.inFlight++;
    try {
      const outcome = await this.deliver(delivery);
      if (outcome.kind === 'stopped') {
        await this.deliveries.release([delivery]);
        return;
      }
      await this.record(delivery, outcome);
      await this.updateBreaker(queue, outcome);
    } catch (err) {
      // The lease expires and the delivery is retried, so nothing is lost.
      this.logger.error({ err, delivery: delivery.sid, webhook: delivery.webhook_sid }, 'webhook delivery bookkeeping failed');
    } finally {
      queue.inFlight--;
      this.inFlight--;
      // Settling a head may have made the subject's next delivery claimable: look again.
      queue.ready = true;
    }
  }

  /** Counts consecutive failures; opens the shared breaker at the threshold (or when a probe fails), closes it on a success. */
  private async updateBreaker(queue: EndpointQueue, outcome: Outcome): Promise<void> {
    if (outcome.kind === 'delivered') {
      queue.failures = 0;
      if (queue.openings > 0) {
        queue.openings = 0;
        queue.openUntil = 0;
        await this.deliveries.closeBreaker(queue.webhookSid);
        this.logger.info({ webhook: queue.webhookSid }, 'webhook endpoint answers again: breaker closed');
      }
      return;
    }
    if (outcome.kind !== 'retry') return;
    queue.failures++;
    const now = this.clock.now();
    const probeFailed = queue.openings > 0 && queue.openUntil <= now;
    if (!probeFailed && queue.failures < this.breakerThreshold) return;
    if (queue.openUntil > now) return;
    const openings = queue.openings + 1;
    const openUntil = now + Math.min(this.breakerMaxMs, this.breakerCooldownMs * 2 ** (openings - 1));
    queue.failures = 0;
    queue.openings = openings;
    queue.openUntil = openUntil;
    // Claimed but not sent: back to the queue (no attempt counted) for whoever probes later.
    await this.deliveries.release(queue.buffer.splice(0));
    if (await this.deliveries.openBreaker(queue.webhookSid, openings, openUntil, now)) {
      this.logger.warn({ webhook: queue.webhookSid, openings, openForMs: openUntil - now }, 'webhook endpoint keeps failing: breaker open');
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
    // One deadline for DNS, connecting and the answer; stop() cuts it short.
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([deadline, this.stopper.signal]);
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
      if (this.stopper.signal.aborted && !deadline.aborted) return { kind: 'stopped' };
      const error = describeDeliveryError(err, deadline, this.timeoutMs);
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

  /**
   * Outcomes finishing in the same turn of the event loop are written together (one statement per up
   * to SETTLE_BATCH): at thousands of deliveries per second a statement per delivery would be the cost.
   */
  private settleSoon(settle: DeliverySettle): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.settles.push({ settle, resolve, reject });
      if (this.settles.length === 1) setImmediate(() => void this.flushSettles());
    });
  }

  private async flushSettles(): Promise<void> {
    while (this.settles.length > 0) {
      const batch = this.settles.splice(0, SETTLE_BATCH);
      try {
        const written = await this.deliveries.settle(
          batch.map((b) => b.settle),
          this.clock.now(),
        );
        for (const b of batch) b.resolve(written.has(b.settle.sid));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
  }

  private async record(d: Claimed, outcome: Exclude<Outcome, { kind: 'stopped' }>): Promise<void> {
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
    // Fencing: write only if the claim is still ours (its lease may have expired and the row been re-claimed).
    const settled = await this.settleSoon({ sid: d.sid, token: d.token, outcome: changes, attempts });
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
