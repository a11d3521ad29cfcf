import type { Clock } from '../crypto/clock.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { StoreSet } from '../store/store-set.ts';
import type { Stores } from '../store/unit-of-work.ts';
import { API_REQUESTER, hostedSendBucketKey, prefixBucketKey, sendBucketKey } from '../verify/limits.ts';
import { accountSendBucketKey, type SendChannel, type SendFeature, type SendGatePolicy, type SendRequest } from './send-policy.ts';

/** The stores the gate reads and spends in (the caller's transaction, or its own). */
type GateStores = Pick<StoreSet, 'rateLimits' | 'safeList'>;

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
  stores: Pick<Stores, 'transaction'>;
  clock: Clock;
  metrics: Pick<Metrics, 'rateLimited'>;
  policy: SendGatePolicy;
}

/**
 * The one gate every outbound message and call passes (SMS, email, verification and flash calls,
 * voiceprint calls; push notifications go to a registered device, not a number, and do not).
 * In order, with stable codes: the service's country allow-list (60605), the per-destination send
 * budget shared by every feature (the API's; or a hosted user's and all hosted users' together;
 * 60203), the per-prefix pumping cap (60410), the per-account send budget (64301). Budgets are database token buckets, one conditional upsert each, so they hold
 * across nodes; they are spent in one transaction, so a refusal by a later check spends nothing.
 */
export class SendGate {
  constructor(private readonly deps: SendGateDeps) {}

  /** The country allow-list alone, spending nothing: lets a caller refuse before any other work. */
  screen(request: SendRequest): void {
    const { destination, allowedCountries } = request;
    if (destination.kind !== 'phone' || !allowedCountries) return;
    if (destination.country && allowedCountries.includes(destination.country)) return;
    this.deps.metrics.rateLimited.inc({ limit: 'geo' });
    throw new DomainError('country_blocked', 'Verification delivery attempt blocked: the destination country is not allowed for this service');
  }

  /**
   * Runs every check and spends every budget, then issues the pass for one delivery. Give `tx` (the stores of a transaction) when
   * the send is recorded in a transaction of the caller (the budgets then commit or roll back with
   * it; a refusal must be let through so the transaction rolls back); without it the gate uses its own.
   * Deliver only after that transaction committed.
   */
  async admit(request: SendRequest, tx?: GateStores): Promise<SendPass> {
    this.screen(request);
    if (!tx) return this.deps.stores.transaction((own) => this.admit(request, own));
    const { policy, metrics } = this.deps;
    const now = this.deps.clock.now();
    const buckets = tx.rateLimits;
    const { destination } = request;

    // The application's API and the hosted pages' users spend separate per-destination budgets, so
    // hosted sessions (which anyone the application lets sign in can open) cannot spend the
    // application's sends to a number; all hosted users of a number share one more, so together
    // they cannot bomb it either.
    const requester = request.requester ?? API_REQUESTER;
    const destinationKeys = [sendBucketKey(request.serviceSid, destination.address, requester)];
    if (requester !== API_REQUESTER) destinationKeys.push(hostedSendBucketKey(request.serviceSid, destination.address));
    for (const key of destinationKeys) {
      const perDestination = await buckets.take(key, policy.perDestination, now);
      if (!perDestination.allowed) {
        metrics.rateLimited.inc({ limit: 'send' });
        throw new DomainError('send_limit', 'Max send attempts reached', { retryAfterSeconds: perDestination.retryAfterSeconds });
      }
    }
    return this.admitCosts(request, tx);
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
  async admitFailover(request: SendRequest, tx?: GateStores): Promise<SendPass> {
    this.screen(request);
    if (!tx) return this.deps.stores.transaction((own) => this.admitFailover(request, own));
    return this.admitCosts(request, tx);
  }

  /**
   * The prefix cap and the account budget, then the pass. A number on the account's SafeList skips
   * the prefix cap only: that cap is Verity's fraud guard (SMS pumping), which the hosted SafeList
   * exists to overrule. The country allow-list and the account budget still apply: the hosted
   * SafeList also passes Geo permissions, but in Verity the allow-list and the budget are the
   * operator's bounds on where messages go and what they cost, and the API credentials that manage
   * the SafeList must not be able to lift them (docs/compatibility.md). The destination's budget
   * (60203) is the hosted API's per-number limit, which the SafeList does not lift either.
   */
  private async admitCosts(request: SendRequest, buckets: GateStores): Promise<SendPass> {
    const { policy, metrics } = this.deps;
    const now = this.deps.clock.now();
    const { destination } = request;
    if (destination.kind === 'phone' && !(await buckets.safeList.find(request.accountSid, destination.address))) {
      const prefix = await buckets.rateLimits.take(prefixBucketKey(request.serviceSid, destination.address, policy.prefix.digits), policy.prefix.bucket, now);
      if (!prefix.allowed) {
        metrics.rateLimited.inc({ limit: 'prefix' });
        throw new DomainError('prefix_blocked', 'Verification delivery attempt blocked: too many recent sends to this number range', { retryAfterSeconds: prefix.retryAfterSeconds });
      }
    }
    const account = await buckets.rateLimits.take(accountSendBucketKey(request.accountSid), policy.perAccount, now);
    if (!account.allowed) {
      metrics.rateLimited.inc({ limit: 'send_account' });
      throw new DomainError('account_budget_exhausted', 'Account send budget exhausted: this account has sent its allowance of messages and calls; retry later', { retryAfterSeconds: account.retryAfterSeconds });
    }
    return mint({ accountSid: request.accountSid, serviceSid: request.serviceSid, to: destination.address, channel: request.channel, feature: request.feature });
  }
}
