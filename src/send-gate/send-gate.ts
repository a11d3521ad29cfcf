import type { Logger } from 'pino';
import type { Clock } from '../crypto/clock.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { Metrics } from '../observability/metrics.ts';
import { BucketCharges } from '../store/rate-limit-store.ts';
import type { SendRefusalReason } from '../store/send-refusals-store.ts';
import type { StoreSet } from '../store/store-set.ts';
import type { Stores } from '../store/unit-of-work.ts';
import { API_REQUESTER, hostedSendBucketKey, prefixBucketKey, sendBucketKey } from '../verify/limits.ts';
import { accountSendBucketKey, type SendChannel, type SendFeature, type SendGatePolicy, type SendRequest } from './send-policy.ts';

/** Passes issued by the gate and not used yet; only `mint` below adds to it. */
const unspent = new WeakSet<SendPass>();
let mint: (fields: SendPassFields) => SendPass;

interface SendPassFields {
  accountSid: string;
  serviceSid: string;
  to: string;
  channel: SendChannel;
  feature: SendFeature;
}

/**
 * Permission for exactly one message or call to `to`, issued by {@link SendGate.admit} after every
 * check passed and every budget was spent. `sendWithRetry` and the call engine refuse to deliver
 * without one ({@link redeemSendPass}), so no feature can reach a provider around the gate: the
 * constructor is private and the ES private field keeps look-alike objects out.
 */
export class SendPass implements Readonly<SendPassFields> {
  readonly #issuedByTheGate = true;
  readonly accountSid: string;
  readonly serviceSid: string;
  readonly to: string;
  readonly channel: SendChannel;
  readonly feature: SendFeature;

  static {
    mint = (fields) => {
      const pass = new SendPass(fields);
      unspent.add(pass);
      return pass;
    };
  }

  private constructor(fields: SendPassFields) {
    this.accountSid = fields.accountSid;
    this.serviceSid = fields.serviceSid;
    this.to = fields.to;
    this.channel = fields.channel;
    this.feature = fields.feature;
  }

  /** True for a pass the gate issued (whether or not it was used). */
  static isGenuine(value: unknown): value is SendPass {
    return typeof value === 'object' && value !== null && #issuedByTheGate in value;
  }
}

/** What a delivery is about to do, checked against its pass. */
export interface SendUse {
  to: string;
  /** `message`: an SMS or email (sendWithRetry); `call`: a verification, flash or voiceprint call (the call engine). */
  medium: 'message' | 'call';
  /** Calls know their service; the pass must be for it. */
  serviceSid?: string;
}

const MEDIUM: Record<SendChannel, SendUse['medium']> = { sms: 'message', email: 'message', whatsapp: 'message', call: 'call', flashcall: 'call' };

/**
 * Spends `pass` on one delivery. A missing, forged, already used or mismatched pass is a
 * programming error (some code tried to send around the gate): it throws, and nothing is sent.
 */
export function redeemSendPass(pass: SendPass, use: SendUse): void {
  if (!SendPass.isGenuine(pass) || !unspent.has(pass)) throw new Error('send refused: every message and call needs an unused pass from the send gate (src/send-gate)');
  if (pass.to !== use.to || MEDIUM[pass.channel] !== use.medium || (use.serviceSid !== undefined && use.serviceSid !== pass.serviceSid)) {
    throw new Error(`send refused: the send gate's pass is for another ${pass.to !== use.to ? 'destination' : use.medium === MEDIUM[pass.channel] ? 'service' : 'kind of delivery'}`);
  }
  unspent.delete(pass);
}

export interface SendGateDeps {
  /** `rateLimits` and `safeList` outside any transaction: the prefix and account budgets are taken in statements of their own. */
  stores: Pick<Stores, 'transaction' | 'rateLimits' | 'safeList' | 'sendRefusals'>;
  clock: Clock;
  metrics: Pick<Metrics, 'rateLimited'>;
  policy: SendGatePolicy;
  /** Where a failed write of a refusal counter is reported (it never fails the refusal). */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * The prefix cap and the account budget of one send, taken by {@link SendGate.reserve} before the
 * caller's transaction. A refusal is kept, not thrown, so the per-destination budget (taken later, in the
 * transaction) still answers first, as it always has. Whoever reserved must {@link release} it when
 * the send does not happen (a refusal, a rolled-back transaction): a refused send spends nothing.
 */
export class SendReservation {
  /** @internal built by the gate only. */
  constructor(
    readonly charges: BucketCharges,
    readonly refusal: DomainError | undefined,
    private readonly counted: (() => void) | undefined,
  ) {}

  /** Throws the kept refusal (counting it), if any. */
  throwIfRefused(): void {
    if (!this.refusal) return;
    this.counted?.();
    throw this.refusal;
  }

  /** Gives back what the reservation took (once). */
  async release(): Promise<void> {
    await this.charges.refund();
  }
}

/**
 * The one gate every outbound message and call passes (SMS, email, verification and flash calls,
 * voiceprint calls; push notifications go to a registered device, not a number, and do not).
 * In order, with stable codes: the service's country allow-list (60605), the per-destination send
 * budget shared by every feature (the API's; or a hosted user's and all hosted users' together;
 * 60203), the per-prefix pumping cap (60410), the per-account send budget (64301). Budgets are database
 * token buckets, one conditional upsert each, so they hold across nodes. The prefix and account buckets
 * are shared by many requests, so they are taken in statements of their own before the caller's
 * transaction ({@link reserve}: a row lock held for one statement, not for a whole create) and given back
 * when the send is refused or rolled back; the per-destination bucket is taken in that transaction. Either
 * way a refusal by any check spends nothing.
 */
export class SendGate {
  /** Refusal counter writes not finished yet ({@link refusalsRecorded}). */
  private readonly counterWrites = new Set<Promise<void>>();

  constructor(private readonly deps: SendGateDeps) {}

  /** Resolves once every refusal counted so far is written (or its write failed and was logged): for tests and shutdown. */
  async refusalsRecorded(): Promise<void> {
    await Promise.all([...this.counterWrites]);
  }

  /**
   * Counts a refusal: the process-wide metric, and the account's daily counter (send_refusals, the
   * console's fraud blocks). The counter is written on its own, not awaited: a refusal inside the
   * caller's transaction must not roll it back (nor wait for it), and a failed write is only logged.
   */
  private refused(request: SendRequest, reason: SendRefusalReason): void {
    this.deps.metrics.rateLimited.inc({ limit: reason });
    const country = request.destination.kind === 'phone' ? request.destination.country : undefined;
    const write = this.deps.stores.sendRefusals
      .increment({ accountSid: request.accountSid, serviceSid: request.serviceSid, reason, country, at: this.deps.clock.now() })
      .catch((error: unknown) => {
        this.deps.logger?.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : undefined, reason }, 'could not count a send refusal');
      })
      .finally(() => this.counterWrites.delete(write));
    this.counterWrites.add(write);
  }

  /** The country allow-list alone, spending nothing: lets a caller refuse before any other work. */
  screen(request: SendRequest): void {
    const { destination, allowedCountries } = request;
    if (destination.kind !== 'phone' || !allowedCountries) return;
    if (destination.country && allowedCountries.includes(destination.country)) return;
    this.refused(request, 'geo');
    throw new DomainError('country_blocked', 'Verification delivery attempt blocked: the destination country is not allowed for this service');
  }

  /**
   * Runs every check and spends every budget, then issues the pass for one delivery, in transactions of
   * its own. A caller that records the send in a transaction uses {@link reserve} before it and
   * {@link admitReserved} inside it instead.
   */
  async admit(request: SendRequest): Promise<SendPass> {
    const reservation = await this.reserve(request);
    try {
      return await this.deps.stores.transaction((own) => this.admitReserved(request, reservation, own));
    } catch (error) {
      await reservation.release();
      throw error;
    }
  }

  /**
   * Screens the country, then takes the prefix cap and the account budget, each in its own statement
   * (outside any transaction). A refusal is kept in the reservation (nothing stays taken) and thrown by
   * {@link admitReserved}. Release the reservation unless the send's transaction committed.
   */
  async reserve(request: SendRequest): Promise<SendReservation> {
    this.screen(request);
    return this.reserveCosts(request);
  }

  /**
   * Inside the caller's transaction `tx`: the per-destination budget(s), then the reservation's refusal if
   * it had one, then the pass. A refusal must be let through so the transaction rolls back (and the caller
   * releases the reservation). Deliver only after that transaction committed.
   */
  async admitReserved(request: SendRequest, reservation: SendReservation, tx: Pick<StoreSet, 'rateLimits'>): Promise<SendPass> {
    const { policy } = this.deps;
    const now = this.deps.clock.now();
    const { destination } = request;

    // The application's API and the hosted pages' users spend separate per-destination budgets, so
    // hosted sessions (which anyone the application lets sign in can open) cannot spend the
    // application's sends to a number; all hosted users of a number share one more, so together
    // they cannot bomb it either.
    const requester = request.requester ?? API_REQUESTER;
    const destinationKeys = [sendBucketKey(request.serviceSid, destination.address, requester)];
    if (requester !== API_REQUESTER) destinationKeys.push(hostedSendBucketKey(request.serviceSid, destination.address));
    for (const key of destinationKeys) {
      const perDestination = await tx.rateLimits.take(key, policy.perDestination, now);
      if (!perDestination.allowed) {
        this.refused(request, 'send');
        throw new DomainError('send_limit', 'Max send attempts reached', { retryAfterSeconds: perDestination.retryAfterSeconds });
      }
    }
    reservation.throwIfRefused();
    return this.mintFor(request);
  }

  /**
   * Issues the pass for a failover: the same message (the same code) sent again through the next
   * target of a route, for a send that already passed {@link admit} (its first provider refused it,
   * reported it undelivered, or never reported it in time). It is another message to the number, so
   * it passes the checks that guard what messages cost and where they go: the country allow-list,
   * the prefix pumping cap and the account's send budget. The destination's budget is not spent
   * again: it counts the sends a user asked for, and the route plan bounds the failovers of one send
   * (the messaging dispatcher sends at most once per target, src/messaging/).
   */
  async admitFailover(request: SendRequest): Promise<SendPass> {
    const reservation = await this.reserve(request);
    reservation.throwIfRefused();
    return this.mintFor(request);
  }

  /**
   * The prefix cap and the account budget. A number on the account's SafeList skips
   * the prefix cap only: that cap is Verity's fraud guard (SMS pumping), which the hosted SafeList
   * exists to overrule. The country allow-list and the account budget still apply: the hosted
   * SafeList also passes Geo permissions, but in Verity the allow-list and the budget are the
   * operator's bounds on where messages go and what they cost, and the API credentials that manage
   * the SafeList must not be able to lift them (docs/compatibility.md). The destination's budget
   * (60203) is the hosted API's per-number limit, which the SafeList does not lift either.
   */
  private async reserveCosts(request: SendRequest): Promise<SendReservation> {
    const { policy, stores } = this.deps;
    const now = this.deps.clock.now();
    const { destination } = request;
    const charges = new BucketCharges(stores.rateLimits);
    if (destination.kind === 'phone' && !(await stores.safeList.find(request.accountSid, destination.address))) {
      const prefix = await charges.take(prefixBucketKey(request.serviceSid, destination.address, policy.prefix.digits), policy.prefix.bucket, now);
      if (!prefix.allowed) {
        const refusal = new DomainError('prefix_blocked', 'Verification delivery attempt blocked: too many recent sends to this number range', { retryAfterSeconds: prefix.retryAfterSeconds });
        return new SendReservation(charges, refusal, () => this.refused(request, 'prefix'));
      }
    }
    const account = await charges.take(accountSendBucketKey(request.accountSid), policy.perAccount, now);
    if (!account.allowed) {
      await charges.refund();
      const refusal = new DomainError('account_budget_exhausted', 'Account send budget exhausted: this account has sent its allowance of messages and calls; retry later', { retryAfterSeconds: account.retryAfterSeconds });
      return new SendReservation(charges, refusal, () => this.refused(request, 'send_account'));
    }
    return new SendReservation(charges, undefined, undefined);
  }

  private mintFor(request: SendRequest): SendPass {
    return mint({ accountSid: request.accountSid, serviceSid: request.serviceSid, to: request.destination.address, channel: request.channel, feature: request.feature });
  }
}
