import type { HealthSettings } from '../../config/messaging-config.ts';
import type { AttemptOutcome } from '../route-plan.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What the console shows of one breaker (all times ms since the epoch). */
export interface BreakerView {
  state: BreakerState;
  /** Why it is in this state, one sentence for operators. */
  reason: string;
  /** When it entered this state. */
  since: number;
  /** Open: when probing may start. */
  halfOpenAt: number | undefined;
  window: { samples: number; delivered: number; deliveryRate: number | null };
  consecutiveRejections: number;
  probes: { delivered: number; needed: number };
}

/**
 * The health of one provider instance towards one country: closed (in rotation) until its delivery
 * rate over a sliding window of final outcomes falls below the threshold (with enough samples) or
 * it rejects several sends in a row; then open (out of rotation) for a cool-down; then half-open,
 * when one send in `probeEvery` tries it first: `closeAfterProbes` delivered probes close it, one
 * failed probe opens it again. A timeout (no final status in time) counts as a failure.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private since: number;
  private reason = 'in rotation';
  /** Final outcomes, oldest first. */
  private window: { at: number; delivered: boolean }[] = [];
  private consecutiveRejections = 0;
  private probesDelivered = 0;
  private probeTurn = 0;

  constructor(private readonly settings: HealthSettings, now: number) {
    this.since = now;
  }

  /** The state at `now`: an open breaker whose cool-down is over is half-open. */
  stateAt(now: number): BreakerState {
    const halfOpenAt = this.since + this.settings.cooldownSeconds * 1000;
    if (this.state === 'open' && now >= halfOpenAt) {
      this.enter('half-open', halfOpenAt, `cool-down over: probing (${this.reason})`);
      this.probesDelivered = 0;
      this.probeTurn = 0;
    }
    return this.state;
  }

  /** Half-open: whether this send probes the target (the first of every `probeEvery` asks). */
  takeProbe(now: number): boolean {
    if (this.stateAt(now) !== 'half-open') return false;
    return this.probeTurn++ % this.settings.probeEvery === 0;
  }

  /** Records how an attempt ended. */
  record(outcome: AttemptOutcome, at: number): void {
    const state = this.stateAt(at);
    const delivered = outcome === 'delivered';
    if (state === 'open') return; // late outcomes of sends made before it opened change nothing
    if (state === 'half-open') {
      if (!delivered) {
        this.open(at, `a probe was ${outcome}`);
      } else if (++this.probesDelivered >= this.settings.closeAfterProbes) {
        this.window = [];
        this.consecutiveRejections = 0;
        this.enter('closed', at, `${this.probesDelivered} probes delivered`);
      }
      return;
    }
    this.window.push({ at, delivered });
    this.prune(at);
    this.consecutiveRejections = outcome === 'rejected' ? this.consecutiveRejections + 1 : 0;
    const { minSamples, openBelowRate, openAfterRejections } = this.settings;
    if (this.consecutiveRejections >= openAfterRejections) {
      this.open(at, `${this.consecutiveRejections} sends rejected in a row`);
      return;
    }
    const rate = this.rate();
    if (this.window.length >= minSamples && rate !== null && rate < openBelowRate) this.open(at, `delivery rate ${rate.toFixed(2)} < ${openBelowRate} over ${this.window.length} outcomes`);
  }

  view(now: number): BreakerView {
    const state = this.stateAt(now);
    this.prune(now);
    return {
      state,
      reason: this.reason,
      since: this.since,
      halfOpenAt: state === 'open' ? this.since + this.settings.cooldownSeconds * 1000 : undefined,
      window: { samples: this.window.length, delivered: this.window.filter((o) => o.delivered).length, deliveryRate: this.rate() },
      consecutiveRejections: this.consecutiveRejections,
      probes: { delivered: this.probesDelivered, needed: this.settings.closeAfterProbes },
    };
  }

  private open(at: number, reason: string): void {
    this.enter('open', at, reason);
  }

  private enter(state: BreakerState, at: number, reason: string): void {
    this.state = state;
    this.since = at;
    this.reason = reason;
  }

  private rate(): number | null {
    if (this.window.length === 0) return null;
    return this.window.filter((o) => o.delivered).length / this.window.length;
  }

  private prune(now: number): void {
    const oldest = now - this.settings.windowSeconds * 1000;
    while (this.window.length > 0 && (this.window.length > this.settings.windowSize || (this.window[0]?.at ?? now) < oldest)) this.window.shift();
  }
}
