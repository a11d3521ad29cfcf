import type { Logger } from 'pino';
import type { Clock } from '../crypto/clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { newSid } from '../crypto/random.ts';
import type { Metrics } from '../observability/metrics.ts';
import { DeliveryError, type Channel, type DeliveryReceipt } from '../providers/provider.ts';
import { sendWithRetry, type RetryOptions } from '../providers/send-with-retry.ts';
import type { SendGate, SendPass } from '../send-gate/send-gate.ts';
import type { SendRequest } from '../send-gate/send-policy.ts';
import type { DeliveryAttemptRow, FailoverReason } from '../store/schema.ts';
import type { Stores } from '../store/unit-of-work.ts';
import type { DeliveryStatusRecorder } from './delivery-status-recorder.ts';
import type { AttemptOutcome, MessageRouter, RoutePlan, RouteTarget } from './route-plan.ts';
import { sealMessage, unsealMessage, type RenderedOutbound } from './sealed-message.ts';
import type { SendsInFlight } from './sends-in-flight.ts';

export interface DeliveryDispatcherDeps {
  stores: Pick<Stores, 'deliveryAttempts' | 'verifications' | 'services'>;
  clock: Clock;
  keyring: Keyring;
  logger: Pick<Logger, 'warn' | 'error'>;
  metrics: Pick<Metrics, 'failovers'>;
  router: MessageRouter;
  sendGate: Pick<SendGate, 'admitFailover'>;
  recorder: DeliveryStatusRecorder;
  inFlight: SendsInFlight;
  /** The same-target retries of a send refused as retryable (throttling): sendWithRetry's options. */
  retry?: RetryOptions;
  /** Asks the failover sweeper to look again at `at` (its in-process fast path); absent: its regular pass finds the attempt. */
  wakeAt?: (at: number) => void;
}

/** One send of a verification's code (a `send_code_attempts` entry), handed to the dispatcher once the send gate admitted it. */
export interface DispatchRequest {
  /** The gate's pass for this send (spent on the first target). */
  pass: SendPass;
  /** What the gate judged: the same checks are run again for every failover. */
  sendRequest: SendRequest;
  /** The send's `VL…` sid. */
  sendAttemptSid: string;
  message: RenderedOutbound;
}

/** Where a dispatched message went: the attempt the first provider that accepted it answered. */
export interface Dispatched {
  attempt: DeliveryAttemptRow;
  receipt: DeliveryReceipt;
  /** True when the route's first target accepted the message: `attempt` is then the send's only attempt (a caller may answer with it). */
  firstTarget: boolean;
}

/** A send's first delivery attempt, planned and written in the caller's transaction (see {@link DeliveryDispatcher.planFirst}). */
export interface PlannedAttempt {
  plan: RoutePlan;
  attempt: DeliveryAttemptRow;
}

/** The statuses an attempt may be failed over from, per reason: never from delivered. */
const FAILS_OVER_FROM = { timeout: ['queued', 'sent'], undelivered: ['undelivered', 'failed'] } as const satisfies Record<Exclude<FailoverReason, 'rejected'>, readonly DeliveryAttemptRow['status'][]>;

/** The outcome of one target's try at a message. */
type TargetResult = { ok: true; dispatched: Dispatched } | { ok: false; error: DeliveryError; attempt: DeliveryAttemptRow };

/**
 * Sends one rendered message through the targets of its route plan in order (the same message, the
 * same code, to each), recording one delivery attempt per target. The first provider that accepts
 * it ends the send's answer; a provider that refuses it hands it at once to the next target, and
 * only when every target refused does the send fail (delivery_failed, 30008, as before routing).
 * After acceptance, a receipt `undelivered`/`failed` or no final status by the plan's delivery
 * time-out (the sweeper, failover-sweeper.ts) hands it to the next untried target, while the
 * verification is still pending. Each failover passes the send gate again (SendGate.admitFailover)
 * and is told to the router (`observe`), so an unhealthy provider leaves rotation.
 */
export class DeliveryDispatcher {
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: DeliveryDispatcherDeps) {}

  /** Sends `request` through its route; resolves once one provider accepted it, else throws the last refusal (a DeliveryError). */
  async dispatch(request: DispatchRequest, planned?: PlannedAttempt): Promise<Dispatched> {
    const { message, sendRequest } = request;
    const plan = planned?.plan ?? this.deps.router.plan({ channel: message.channel, to: message.to, serviceSid: sendRequest.serviceSid });
    if (plan.targets.length === 0) throw new DeliveryError(`no ${message.channel} route has a provider`, { retryable: false });
    let lastError: DeliveryError | undefined;
    let previous: DeliveryAttemptRow | undefined;
    for (const [position, target] of plan.targets.entries()) {
      let pass = request.pass;
      if (previous) {
        await this.deps.stores.deliveryAttempts.takeFailover(previous.sid, 'rejected', ['rejected'], this.deps.clock.now());
        const admitted = await this.failoverPass(previous, 'rejected', sendRequest);
        if (!admitted) break;
        pass = admitted;
      }
      const result = await this.tryTarget(plan, position, target, pass, request, position === 0 ? planned?.attempt : undefined);
      if (result.ok) return result.dispatched;
      lastError = result.error;
      previous = result.attempt;
    }
    throw lastError ?? new DeliveryError('no route could send the message', { retryable: false });
  }

  /**
   * Plans a send's route and builds its first delivery attempt (`sending`) without writing it: the caller
   * inserts it in the transaction that records the send (one commit fewer than an insert of its own), then
   * passes it to {@link dispatch} after that commit. Undefined when the route has no target (dispatch refuses).
   */
  planFirst(send: { sendRequest: SendRequest; sendAttemptSid: string; verificationSid: string; channel: Channel; to: string }): PlannedAttempt | undefined {
    const plan = this.deps.router.plan({ channel: send.channel, to: send.to, serviceSid: send.sendRequest.serviceSid });
    const target = plan.targets[0];
    if (!target) return undefined;
    return { plan, attempt: this.newAttempt(plan, 0, target, send, this.deps.clock.now()) };
  }

  /**
   * Hands the message of an accepted attempt to the next untried target of its route (a receipt said
   * undelivered/failed, or the delivery time-out passed). Taken once per attempt across every node;
   * does nothing once the verification is no longer pending.
   */
  async failOver(attempt: DeliveryAttemptRow, reason: Exclude<FailoverReason, 'rejected'>, options: { observed?: boolean } = {}): Promise<void> {
    const { stores, clock, keyring, logger } = this.deps;
    if (!(await stores.deliveryAttempts.takeFailover(attempt.sid, reason, FAILS_OVER_FROM[reason], clock.now()))) return;
    const verification = await stores.verifications.find(attempt.service_sid, attempt.verification_sid);
    if (verification && !options.observed) this.observe(attempt, verification.destination, reason === 'timeout' ? 'timeout' : 'undelivered');
    const current = await stores.deliveryAttempts.find(attempt.sid);
    const sealed = current?.message_sealed ?? null;
    await stores.deliveryAttempts.wipeMessage(attempt.sid, clock.now());
    if (!verification || verification.status !== 'pending' || verification.expires_at <= clock.now() || sealed === null) return;
    const message = unsealMessage(keyring, attempt.sid, sealed);
    const service = await stores.services.find(attempt.account_sid, attempt.service_sid);
    if (!service) return;
    const sendRequest: SendRequest = {
      accountSid: attempt.account_sid,
      serviceSid: attempt.service_sid,
      allowedCountries: service.allowed_countries,
      destination: destinationOf(message, attempt.destination_country),
      channel: message.channel as SendRequest['channel'],
      feature: 'verification',
      requester: verification.requester,
    };
    const sent = await stores.deliveryAttempts.listForSend(attempt.send_attempt_sid);
    const tried = new Set(sent.map((a) => a.provider));
    const plan = this.deps.router.plan({ channel: message.channel, to: message.to, serviceSid: attempt.service_sid });
    // Never more messages than the plan has targets, never one provider twice.
    let messages = sent.length;
    let previous = attempt;
    let why: FailoverReason = reason;
    for (const [position, target] of plan.targets.entries()) {
      if (tried.has(target.instance)) continue;
      if (messages >= plan.targets.length) break;
      if (previous !== attempt) await stores.deliveryAttempts.takeFailover(previous.sid, 'rejected', ['rejected'], clock.now());
      const pass = await this.failoverPass(previous, why, sendRequest);
      if (!pass) return;
      tried.add(target.instance);
      messages++;
      const result = await this.tryTarget(plan, position, target, pass, { pass, sendRequest, sendAttemptSid: attempt.send_attempt_sid, message });
      if (result.ok) return;
      previous = result.attempt;
      why = 'rejected';
    }
    logger.warn({ verificationSid: attempt.verification_sid, route: plan.routeId }, 'delivery failover: no route left to try');
  }

  /** Runs a failover in the background (a receipt's webhook is answered without waiting for the next send). */
  failOverLater(attempt: DeliveryAttemptRow, reason: Exclude<FailoverReason, 'rejected'>, options: { observed?: boolean } = {}): void {
    const run = this.failOver(attempt, reason, options).catch((error: unknown) => {
      this.deps.logger.error({ attemptSid: attempt.sid, err: error instanceof Error ? { name: error.name, message: error.message } : undefined }, 'delivery failover failed');
    });
    this.background.add(run);
    void run.finally(() => this.background.delete(run));
  }

  /** Resolves once every background failover started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /** Told by the recorder of every attempt that reached a final status. */
  async onFinal(attempt: DeliveryAttemptRow): Promise<void> {
    if (attempt.status === 'rejected') return; // told by tryTarget, which fails over itself
    if (attempt.status === 'delivered') {
      const verification = await this.deps.stores.verifications.find(attempt.service_sid, attempt.verification_sid);
      if (verification) this.observe(attempt, verification.destination, 'delivered');
      return;
    }
    // Without a sealed message this was the route's last target (or its provider cannot report): nothing to fail over to.
    if (attempt.message_sealed === null) {
      const verification = await this.deps.stores.verifications.find(attempt.service_sid, attempt.verification_sid);
      if (verification) this.observe(attempt, verification.destination, 'undelivered');
      return;
    }
    this.failOverLater(attempt, 'undelivered');
  }

  private newAttempt(plan: RoutePlan, position: number, target: RouteTarget, send: { sendRequest: SendRequest; sendAttemptSid: string; verificationSid: string; channel: Channel }, now: number): DeliveryAttemptRow {
    return {
      sid: newSid('DA'),
      account_sid: send.sendRequest.accountSid,
      service_sid: send.sendRequest.serviceSid,
      verification_sid: send.verificationSid,
      send_attempt_sid: send.sendAttemptSid,
      channel: send.channel,
      // The send gate's parse of the number (destination.ts) already named its country.
      destination_country: send.sendRequest.destination.kind === 'phone' ? (send.sendRequest.destination.country ?? null) : null,
      provider: target.instance,
      route_id: plan.routeId,
      route_position: position,
      provider_message_id: null,
      parts: null,
      status: 'sending',
      status_history: [],
      error_code: null,
      error_message: null,
      price: null,
      price_unit: null,
      receipts: target.provider.receipts === true,
      message_sealed: null,
      deliver_by: null,
      lease_until: 0,
      failover_reason: null,
      version: 0,
      date_created: now,
      date_updated: now,
      date_final: null,
    };
  }

  /** One target's try; `inserted`: its attempt, already written by the caller's transaction ({@link planFirst}). */
  private async tryTarget(plan: RoutePlan, position: number, target: RouteTarget, pass: SendPass, request: DispatchRequest, inserted?: DeliveryAttemptRow): Promise<TargetResult> {
    const { stores, clock, keyring, recorder, inFlight } = this.deps;
    const { message } = request;
    const attempt = inserted ?? this.newAttempt(plan, position, target, { ...request, verificationSid: message.verificationSid, channel: message.channel }, clock.now());
    // Inserted before the send: a carrier that echoes the attempt id (Kannel's dlr-url) can report at once.
    if (!inserted) await stores.deliveryAttempts.insert(attempt);
    const done = inFlight.begin(target.instance);
    let receipt: DeliveryReceipt;
    try {
      receipt = await sendWithRetry(pass, target.provider, { ...message, attemptId: attempt.sid }, this.deps.retry);
    } catch (err) {
      done();
      const error = err instanceof DeliveryError ? err : new DeliveryError(`${target.instance} provider failed unexpectedly`, { retryable: false, cause: err });
      const { attempt: rejected } = await recorder.record(attempt, { status: 'rejected', errorMessage: error.message });
      this.observe(attempt, message.to, 'rejected');
      return { ok: false, error, attempt: rejected };
    }
    try {
      const ids = [receipt.providerMessageId, ...(receipt.partIds ?? [])];
      await stores.deliveryAttempts.addMessageIds(target.instance, attempt.sid, ids);
      inFlight.registered(target.instance, ids);
    } finally {
      done();
    }
    // The message is kept (sealed) only while a later failover may send it: the provider reports, and a target is left.
    const canFailOver = attempt.receipts && position + 1 < plan.targets.length;
    const deliverBy = canFailOver && plan.deliveryTimeoutMs !== undefined ? clock.now() + plan.deliveryTimeoutMs : null;
    const { attempt: accepted } = await recorder.record(
      attempt,
      // A provider without receipts will say no more: its attempt ends at `sent` (provider.ts).
      { status: receipt.status ?? (attempt.receipts ? 'queued' : 'sent'), price: receipt.price },
      {
        provider_message_id: receipt.providerMessageId,
        parts: receipt.parts ?? null,
        message_sealed: canFailOver ? sealMessage(keyring, attempt.sid, message) : null,
        deliver_by: deliverBy,
      },
    );
    if (deliverBy !== null && accepted.deliver_by !== null) this.deps.wakeAt?.(deliverBy);
    // A receipt `undelivered` that overtook this answer found no message to hand on yet (and told the router): hand it on now.
    if ((accepted.status === 'undelivered' || accepted.status === 'failed') && accepted.message_sealed !== null) this.failOverLater(accepted, 'undelivered', { observed: true });
    return { ok: true, dispatched: { attempt: accepted, receipt, firstTarget: position === 0 } };
  }

  /** The gate's pass for the next target after `previous`, or undefined (logged) when the gate refuses it. */
  private async failoverPass(previous: DeliveryAttemptRow, reason: FailoverReason, sendRequest: SendRequest): Promise<SendPass | undefined> {
    try {
      const pass = await this.deps.sendGate.admitFailover(sendRequest);
      this.deps.metrics.failovers.inc({ route: previous.route_id, reason });
      return pass;
    } catch (error) {
      this.deps.logger.warn({ verificationSid: previous.verification_sid, route: previous.route_id, reason, refusal: error instanceof Error ? error.message : undefined }, 'delivery failover refused by the send gate');
      return undefined;
    }
  }

  private observe(attempt: DeliveryAttemptRow, to: string, outcome: AttemptOutcome): void {
    this.deps.router.observe({ instance: attempt.provider, channel: attempt.channel as Channel, to, outcome, at: this.deps.clock.now() });
  }
}

/** The send gate's view of a failover's destination: the number and the country its first attempt recorded. */
function destinationOf(message: RenderedOutbound, country: string | null): SendRequest['destination'] {
  if (message.channel === 'email') return { kind: 'email', address: message.to };
  return { kind: 'phone', address: message.to, country: country ?? undefined };
}
