import type { Logger } from 'pino';
import type { Clock } from '../crypto/clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { retryDelayMs, webhookLeaseMs } from '../events/webhook-dispatcher.ts';
import { PUBLIC_ONLY, type OutboundAddressPolicy } from '../net/outbound-address-policy.ts';
import { PinnedAgents, pooledPostToPinnedTarget, type PostToPinnedTarget } from '../net/post-to-pinned-target.ts';
import { OutboundTargetError, resolveOutboundTarget, resolveWithSystem, type ResolveHost } from '../net/resolve-outbound-target.ts';
import type { AuthyApprovalRequestRow, ChallengeRow } from '../store/schema.ts';
import type { DueCallback } from '../store/authy-approvals-store.ts';
import type { StoreSet } from '../store/store-set.ts';
import { openAuthyKey } from './authy-keys.ts';
import { signOneTouchCallback } from './onetouch-signature.ts';

export interface OneTouchCallbacksOptions {
  stores: Pick<StoreSet, 'authyApprovals' | 'challenges'>;
  keyring: Keyring;
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
  maxAttempts: number;
  /** The webhooks' address policy (VERITY_WEBHOOK_*): the same SSRF guard applies to callbacks. */
  addressPolicy?: OutboundAddressPolicy;
  resolveHost?: ResolveHost;
  post?: PostToPinnedTarget;
  pollIntervalMs?: number;
  /** How often requests that can no longer be answered are closed (default 30 s). */
  closeIntervalMs?: number;
  /** Lease of a claimed callback (VERITY_WEBHOOK_LEASE_MS); raised to 2 × timeoutMs + 1 s if shorter. */
  leaseMs?: number;
}

/**
 * The OneTouch callback Authy sends after a user approves or denies (docs/authy.md): a JSON body with
 * `callback_action: approval_request_status`, the request's `uuid`, `status`, `authy_id`,
 * `device_uuid` and the `approval_request`. `logos` is always null: Authy's validators disagree on how
 * arrays are ordered before signing, so a body without arrays verifies under all of them.
 */
function callbackBody(approval: AuthyApprovalRequestRow, challenge: ChallengeRow): Record<string, unknown> {
  const details = Object.fromEntries(challenge.details.fields.map((f) => [f.label, f.value]));
  return {
    approval_request: {
      expiration_timestamp: Math.floor(challenge.expiration_date / 1000),
      logos: null,
      transaction: {
        created_at_time: Math.floor(approval.date_created / 1000),
        customer_uuid: approval.service_sid,
        details,
        device_details: null,
        device_geolocation: null,
        device_signing_time: challenge.date_responded === null ? 0 : Math.floor(challenge.date_responded / 1000),
        encrypted: false,
        flagged: false,
        hidden_details: challenge.hidden_details ?? {},
        message: challenge.details.message ?? '',
        reason: challenge.denied_reason,
        requester_details: null,
        status: challenge.status,
        uuid: approval.uuid,
      },
    },
    authy_id: approval.authy_id,
    callback_action: 'approval_request_status',
    device_uuid: challenge.factor_sid,
    signature: challenge.sid,
    status: challenge.status,
    uuid: approval.uuid,
  };
}

/** Callbacks in flight per node, and how many one claim takes at most. */
const MAX_IN_FLIGHT = 16;

/**
 * Sends the signed callbacks of decided approval requests, at least once, on the webhook queues'
 * machinery: claims of due callbacks in one statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
 * nodes share the work), each callback sent on its own (a slow callback URL holds one slot, never a
 * whole pass), settled only while its lease is still ours, retries with the webhooks' back-off, the
 * address policy checked on every attempt, DNS pinned, redirects not followed. Woken by challenge
 * events of this process, else it polls. Requests that can no longer be answered are closed on a
 * slower cadence (`closeIntervalMs`) and after a challenge ended here, not at every pass.
 */
export class OneTouchCallbacks {
  private readonly policy: OutboundAddressPolicy;
  private readonly resolveHost: ResolveHost;
  private readonly agents = new PinnedAgents();
  private readonly post: PostToPinnedTarget;
  private readonly pollIntervalMs: number;
  private readonly closeIntervalMs: number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private claiming = false;
  private again = false;
  private closeDue = false;
  private started = false;
  private inFlight = 0;
  private stopper = new AbortController();
  private readonly work = new Set<Promise<unknown>>();

  constructor(private readonly options: OneTouchCallbacksOptions) {
    this.policy = options.addressPolicy ?? PUBLIC_ONLY;
    this.resolveHost = options.resolveHost ?? resolveWithSystem;
    this.post = options.post ?? pooledPostToPinnedTarget(this.agents);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.closeIntervalMs = options.closeIntervalMs ?? 30_000;
    this.leaseMs = webhookLeaseMs(options.timeoutMs, options.leaseMs);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopper = new AbortController();
    this.schedule(0);
    this.closeTimer = setInterval(() => void this.track(this.closeUnanswerable()), this.closeIntervalMs);
    this.closeTimer.unref();
  }

  /** Stops promptly: requests in flight are cut off and left to their leases (another node, or the next start, sends them). */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    clearInterval(this.closeTimer);
    this.stopper.abort();
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
    this.agents.destroy();
  }

  /**
   * Claims now (or right after the claim running). Called on challenge events of this process; one
   * may have ended a challenge (`challenge.expired`), so the pass also closes what can no longer be answered.
   */
  wake(challengeEnded = false): void {
    if (!this.started) return;
    if (challengeEnded) this.closeDue = true;
    if (this.claiming) this.again = true;
    else this.schedule(0);
  }

  /** One pass (tests): closes unanswerable requests, claims due callbacks and attempts each once; returns how many. */
  async runOnce(): Promise<number> {
    await this.closeUnanswerable();
    const claimed = await this.claim(MAX_IN_FLIGHT);
    await Promise.all(claimed.map((d) => this.track(this.attempt(d))));
    return claimed.length;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.work.add(promise);
    void promise.finally(() => this.work.delete(promise)).catch(() => undefined);
    return promise;
  }

  private async closeUnanswerable(): Promise<void> {
    try {
      await this.options.stores.authyApprovals.closeUnanswerable(this.options.clock.now());
    } catch (err) {
      this.options.logger.error({ err }, 'closing unanswerable OneTouch requests failed');
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (!this.started) return;
    this.timer = setTimeout(() => void this.track(this.pass()), ms);
    this.timer.unref();
  }

  /** Claims as many due callbacks as there are free slots and starts each; a full claim claims again. */
  private async pass(): Promise<void> {
    this.claiming = true;
    let full = false;
    try {
      if (this.closeDue) {
        this.closeDue = false;
        await this.closeUnanswerable();
      }
      const free = MAX_IN_FLIGHT - this.inFlight;
      if (free > 0) {
        const claimed = await this.claim(free);
        full = claimed.length === free;
        for (const d of claimed) void this.track(this.attempt(d)).finally(() => this.wake());
      }
    } catch (err) {
      if (this.started) this.options.logger.error({ err }, 'onetouch callbacks claim failed');
    } finally {
      this.claiming = false;
      const now = this.again || full;
      this.again = false;
      this.schedule(now ? 0 : this.pollIntervalMs);
    }
  }

  private async claim(limit: number): Promise<(DueCallback & { leaseUntil: number })[]> {
    const now = this.options.clock.now();
    const leaseUntil = now + this.leaseMs;
    const due = await this.options.stores.authyApprovals.claimDue(now, limit, leaseUntil);
    return due.map((d) => ({ ...d, leaseUntil }));
  }

  private async attempt(d: DueCallback & { leaseUntil: number }): Promise<void> {
    const { stores, clock, logger } = this.options;
    this.inFlight++;
    try {
      const outcome = await this.deliver(d.uuid, d.callback_url, d.secret_sealed, d.app_sid);
      // Cut off by stop(): the lease expires and the callback is sent again, no attempt counted.
      if (outcome.kind === 'stopped') return;
      const attempts = d.callback_attempts + (outcome.kind === 'abandon' ? 0 : 1);
      const final = outcome.kind !== 'retry' || attempts >= this.options.maxAttempts;
      const state = outcome.kind === 'delivered' ? 'delivered' : final ? 'failed' : 'awaiting';
      const now = clock.now();
      await stores.authyApprovals.settle(d.uuid, d.leaseUntil, {
        callback_state: state,
        callback_attempts: attempts,
        callback_next_at: final ? now : now + retryDelayMs(attempts),
        callback_last_error: outcome.kind === 'delivered' ? null : outcome.error,
      });
      if (state !== 'awaiting') logger.info({ uuid: d.uuid, state, attempts }, 'onetouch callback settled');
    } catch (err) {
      logger.error({ err, uuid: d.uuid }, 'onetouch callback bookkeeping failed');
    } finally {
      this.inFlight--;
    }
  }

  private async deliver(uuid: string, callbackUrl: string | null, sealed: string | null, appSid: string): Promise<{ kind: 'delivered' } | { kind: 'stopped' } | { kind: 'retry' | 'abandon'; error: string }> {
    const { stores, keyring, clock } = this.options;
    if (!callbackUrl) return { kind: 'abandon', error: 'no callback URL' };
    let apiKey: string | undefined;
    try {
      apiKey = openAuthyKey(keyring, { sid: appSid, secret_sealed: sealed });
    } catch {
      return { kind: 'retry', error: 'cannot open the API key (unknown master key?)' };
    }
    if (!apiKey) return { kind: 'abandon', error: 'the application has no API key' };
    const approval = await stores.authyApprovals.findAny(uuid);
    const challenge = approval && (await stores.challenges.find(approval.entity_sid, approval.challenge_sid));
    if (!approval || !challenge) return { kind: 'abandon', error: 'approval request gone' };
    const body = JSON.stringify(callbackBody(approval, challenge));
    const nonce = String(Math.floor(clock.now() / 1000));
    const signature = signOneTouchCallback({ apiKey, nonce, method: 'POST', url: callbackUrl, body: JSON.parse(body) as unknown });
    const headers = { 'Content-Type': 'application/json', 'User-Agent': 'Verity-Authy/1', 'X-Authy-Signature': signature, 'X-Authy-Signature-Nonce': nonce };
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([deadline, this.stopper.signal]);
    try {
      const url = new URL(callbackUrl);
      const target = await resolveOutboundTarget(url.hostname, this.policy, this.resolveHost);
      const { status } = await this.post({ url, target, headers, body, signal });
      return status >= 200 && status < 300 ? { kind: 'delivered' } : { kind: 'retry', error: `HTTP ${status}` };
    } catch (err) {
      if (this.stopper.signal.aborted && !deadline.aborted) return { kind: 'stopped' };
      // Fixed phrases only: the system error would tell the app which internal ports answer.
      if (err instanceof OutboundTargetError) return { kind: 'retry', error: err.reason === 'refused' ? 'refused by address policy' : 'DNS lookup failed' };
      return { kind: 'retry', error: deadline.aborted ? 'timed out' : 'connection failed' };
    }
  }
}
