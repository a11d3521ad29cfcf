import type { Clock } from '../../crypto/clock.ts';
import type { CarrierPrice, DeliveryStatus, DeliveryStatusSink, ReportOutcome } from '../../messaging/delivery-status.ts';
import type { SimMessageStatus } from '../../store/schema.ts';
import type { Channel } from '../provider.ts';
import { planDelivery, SIM_ERROR_TEXTS, type Latency, type SimPlan, type SimRule } from './delivery-rules.ts';
import type { ScheduleTimer, SimLogger } from './simulated-call.ts';
import type { SimStatusChange, SimulatorInbox } from './simulator-inbox.ts';

/**
 * What the simulated carrier charges per part, by channel (a realistic order of magnitude, in USD);
 * a channel without a price (email) reports none. One row per channel the simulator offers.
 */
const SIM_PRICES: Readonly<Record<Channel, string | undefined>> = {
  sms: '0.0079',
  call: '0.0140',
  email: undefined,
  whatsapp: '0.0135',
};

/** Delays of a carrier that retries a status callback Verity did not recognise yet (ms). */
const UNKNOWN_RETRIES_MS = [500, 2_000];

/** A status the carrier reports, with what it charged when it is final. */
interface Step {
  status: Exclude<DeliveryStatus, 'queued'>;
  /** ms after acceptance. */
  afterMs: number;
  errorCode?: string;
}

/** The statuses a plan makes the carrier report after accepting the message. */
function stepsOf(plan: SimPlan): Step[] {
  const sentAfter = Math.round(plan.latencyMs / 4);
  switch (plan.outcome.kind) {
    case 'deliver':
      return [
        { status: 'sent', afterMs: sentAfter },
        { status: 'delivered', afterMs: plan.latencyMs },
      ];
    case 'undelivered':
      return [
        { status: 'sent', afterMs: sentAfter },
        { status: 'undelivered', afterMs: plan.latencyMs, errorCode: plan.outcome.errorCode },
      ];
    case 'failed':
      return [{ status: 'failed', afterMs: sentAfter, errorCode: plan.outcome.errorCode }];
    default:
      return [];
  }
}

export interface SimulatedDeliveryOptions {
  /** The provider instance it reports as (ProviderDeps.instance). */
  instance: string;
  inbox: SimulatorInbox;
  sink: DeliveryStatusSink;
  clock: Clock;
  timers: ScheduleTimer;
  logger: SimLogger;
  rules: readonly SimRule[];
  latency: Latency;
  random: () => number;
}

/**
 * The simulated carrier's status engine: chooses what happens to each message
 * (VERITY_SIMULATOR_DELIVERY), then reports its statuses through the delivery-status sink on timers
 * (unref'd, all cancelled by close). Each step moves the stored message only from the status the
 * step before left it in, so a status set by hand (`POST /sim/v1/messages/{id}/status`) ends the
 * sequence: the later steps find the message moved on and report nothing.
 */
export class SimulatedDelivery {
  private readonly pending = new Map<string, () => void>();
  /** Steps whose timer fired and whose work (store, receipt) is under way. */
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: SimulatedDeliveryOptions) {}

  get instance(): string {
    return this.options.instance;
  }

  /** What becomes of a message to `to` (two draws of the seeded generator per message). */
  plan(to: string): SimPlan {
    const { rules, instance, latency, random } = this.options;
    return planDelivery(rules, { instance, to, latency, random });
  }

  /** Starts reporting the statuses of accepted message `id` as `plan` says. */
  start(id: string, channel: Channel, parts: number, plan: SimPlan): void {
    if (this.closed) return;
    let previous: SimMessageStatus = 'queued';
    const steps = stepsOf(plan);
    const run = (index: number) => {
      const step = steps[index];
      if (!step) {
        this.pending.delete(id);
        return;
      }
      const wait = index === 0 ? step.afterMs : step.afterMs - (steps[index - 1]?.afterMs ?? 0);
      this.schedule(id, wait, async () => {
        const from = previous;
        previous = step.status;
        const price = step.status === 'sent' ? undefined : priceOf(channel, parts);
        const changed = await this.options.inbox.advance(id, { to: step.status, from, errorCode: step.errorCode ?? null });
        if (!changed) {
          // Set by hand (or already final): the carrier's own sequence stops here.
          this.pending.delete(id);
          return;
        }
        await this.report(changed, step.errorCode, price);
        run(index + 1);
      });
    };
    run(0);
  }

  /**
   * Tells Verity about a change the inbox recorded (a step above, or a status set by hand through
   * any instance): as this carrier's receipt, under the instance that accepted the message.
   */
  async report(change: SimStatusChange, errorCode?: string, price?: CarrierPrice, attempt = 0): Promise<ReportOutcome> {
    const { message } = change;
    const status = message.status as DeliveryStatus;
    let outcome: ReportOutcome;
    try {
      outcome = await this.options.sink.report({
        provider: change.instance ?? this.options.instance,
        ...(message.id ? { providerMessageId: message.id } : {}),
        ...(change.attemptId ? { attemptId: change.attemptId } : {}),
        status,
        ...(errorCode ? { errorCode, errorMessage: SIM_ERROR_TEXTS[errorCode] ?? 'Simulated carrier error' } : {}),
        ...(price ? { price } : {}),
        at: this.options.clock.now(),
      });
    } catch (error) {
      this.options.logger.error({ err: error, messageId: message.id, status }, 'simulator: recording a delivery status failed');
      return 'unknown';
    }
    // Verity may not have stored the carrier's id yet when a fast status arrives; a carrier retries.
    const retryIn = UNKNOWN_RETRIES_MS[attempt];
    if (outcome === 'unknown' && retryIn !== undefined && message.id && !this.closed) {
      this.schedule(`${message.id}:retry:${status}`, retryIn, async () => {
        await this.report(change, errorCode, price, attempt + 1);
      });
    }
    return outcome;
  }

  /** Stops every pending step and retry (the app is closing). */
  close(): void {
    this.closed = true;
    for (const cancel of this.pending.values()) cancel();
    this.pending.clear();
  }

  /** Resolves when every step whose timer fired has ended (tests fire timers by hand, then wait for this). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Steps and retries still to come (tests). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private schedule(key: string, ms: number, task: () => Promise<void>): void {
    if (this.closed) return;
    const cancel = this.options.timers(() => {
      this.pending.delete(key);
      const step = task()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'simulator: a delivery step failed'))
        .finally(() => this.running.delete(step));
      this.running.add(step);
    }, ms);
    this.pending.set(key, cancel);
  }
}

function priceOf(channel: Channel, parts: number): CarrierPrice | undefined {
  const each = SIM_PRICES[channel];
  if (each === undefined) return undefined;
  // Decimal arithmetic on ten-thousandths: a price is a decimal string, never a float.
  const units = Math.round(Number(each) * 10_000) * Math.max(1, parts);
  return { amount: (units / 10_000).toFixed(4), currency: 'USD' };
}
