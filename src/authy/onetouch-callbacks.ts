import type { Logger } from 'pino';
import type { Clock } from '../crypto/clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { retryDelayMs } from '../events/webhook-dispatcher.ts';
import { PUBLIC_ONLY, type OutboundAddressPolicy } from '../net/outbound-address-policy.ts';
import { postToPinnedTarget, type PostToPinnedTarget } from '../net/post-to-pinned-target.ts';
import { OutboundTargetError, resolveOutboundTarget, resolveWithSystem, type ResolveHost } from '../net/resolve-outbound-target.ts';
import type { AuthyApprovalRequestRow, ChallengeRow } from '../store/schema.ts';
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
}

const BATCH = 20;

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

/**
 * Sends the signed callbacks of decided approval requests, at least once, with the webhook outbox's
 * machinery: a conditional-UPDATE lease per request (so nodes sharing a database never send one twice at
 * the same time), retries with the webhooks' back-off, the address policy checked on every attempt, DNS
 * pinned, redirects not followed. Woken by the challenge events' outbox announcement, else it polls.
 */
export class OneTouchCallbacks {
  private readonly policy: OutboundAddressPolicy;
  private readonly resolveHost: ResolveHost;
  private readonly post: PostToPinnedTarget;
  private readonly pollIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;

  constructor(private readonly options: OneTouchCallbacksOptions) {
    this.policy = options.addressPolicy ?? PUBLIC_ONLY;
    this.resolveHost = options.resolveHost ?? resolveWithSystem;
    this.post = options.post ?? postToPinnedTarget;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
  }

  start(): void {
    this.started = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass now (or right after the one running). */
  wake(): void {
    if (!this.started) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (!this.started) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((err: unknown) => this.options.logger.error({ err }, 'onetouch callbacks pass failed'))
        .then(() => undefined)
        .finally(() => {
          this.running = undefined;
          const now = this.again;
          this.again = false;
          this.schedule(now ? 0 : this.pollIntervalMs);
        });
    }, ms);
    this.timer.unref();
  }

  /** Claims due callbacks and attempts each once; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const { stores, clock } = this.options;
    const now = clock.now();
    const leaseUntil = now + 2 * this.options.timeoutMs + 1_000;
    await stores.authyApprovals.closeUnanswerable(now);
    const due = await stores.authyApprovals.dueCallbacks(now, BATCH);
    let attempted = 0;
    await Promise.all(
      due.map(async (d) => {
        if (!(await stores.authyApprovals.claim(d.uuid, now, leaseUntil))) return;
        attempted++;
        const outcome = await this.deliver(d.uuid, d.callback_url, d.secret_sealed, d.app_sid);
        const attempts = d.callback_attempts + (outcome.kind === 'abandon' ? 0 : 1);
        const final = outcome.kind !== 'retry' || attempts >= this.options.maxAttempts;
        const state = outcome.kind === 'delivered' ? 'delivered' : final ? 'failed' : 'awaiting';
        await stores.authyApprovals.settle(d.uuid, leaseUntil, {
          callback_state: state,
          callback_attempts: attempts,
          callback_next_at: final ? now : clock.now() + retryDelayMs(attempts),
          callback_last_error: outcome.kind === 'delivered' ? null : outcome.error,
        });
        if (state !== 'awaiting') this.options.logger.info({ uuid: d.uuid, state, attempts }, 'onetouch callback settled');
      }),
    );
    return attempted;
  }

  private async deliver(uuid: string, callbackUrl: string | null, sealed: string | null, appSid: string): Promise<{ kind: 'delivered' } | { kind: 'retry' | 'abandon'; error: string }> {
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
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const url = new URL(callbackUrl);
      const target = await resolveOutboundTarget(url.hostname, this.policy, this.resolveHost);
      const { status } = await this.post({ url, target, headers, body, signal });
      return status >= 200 && status < 300 ? { kind: 'delivered' } : { kind: 'retry', error: `HTTP ${status}` };
    } catch (err) {
      // Fixed phrases only: the system error would tell the app which internal ports answer.
      if (err instanceof OutboundTargetError) return { kind: 'retry', error: err.reason === 'refused' ? 'refused by address policy' : 'DNS lookup failed' };
      return { kind: 'retry', error: signal.aborted ? 'timed out' : 'connection failed' };
    }
  }
}
