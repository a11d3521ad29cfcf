import { randomInt } from 'node:crypto';
import type { PDU } from 'smpp';
import type { Logger } from 'pino';
import type { Clock } from '../../crypto/clock.ts';
import type { DeliveryStatusReport, DeliveryStatusSink } from '../../messaging/delivery-status.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import { destinationAddress, sourceAddress } from './smpp-address.ts';
import { isReceipt, parseReceipt, receiptIdKey, submitIdKey, type ReceiptIdFormat } from './smpp-receipt.ts';
import { SmppBind, SubmitFailure, type BindMode } from './smpp-session.ts';
import { isRetryableStatus } from './smpp-status.ts';
import { encodeSms, ESM_CLASS_UDHI } from './sms-encoding.ts';

/**
 * Verity's SMPP 3.4 provider: sends each SMS as one or more `submit_sm` over one of several binds
 * (round-robin over those that are bound), and turns the SMSC's `deliver_sm` receipts into
 * delivery statuses. Everything is plain options, so tests and the interop suite build it directly:
 *
 * @example
 * const provider = createSmppProvider({
 *   url: 'smpp://127.0.0.1:2775', systemId: 'verity', password: 'secret', from: 'Verity',
 *   instance: 'smpp', deliveryStatus: sink, logger,
 * });
 * const { providerMessageId } = await provider.send(message);
 * await provider.close();
 */

/** When to ask for a receipt (`registered_delivery` 1): on every part, on the last part only, or never. */
type RegisteredDelivery = 'all' | 'last' | 'none';

export interface SmppProviderOptions {
  /** One SMSC (`smpp://host:port`, `ssmpp://host:port`) or several; each gets `bindsPerUrl` binds. */
  url: string | readonly string[];
  bindsPerUrl?: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** `transceiver` (default) or `tx+rx` (a transmitter and a receiver bind). */
  bindMode?: BindMode;
  tls?: { ca?: string | Buffer | undefined; verify?: boolean; servername?: string | undefined };
  /** The sender (VERITY_SMS_FROM): an E.164 number, a short code or an alphanumeric id. */
  from: string;
  sourceTon?: number | undefined;
  sourceNpi?: number | undefined;
  destTon?: number | undefined;
  destNpi?: number | undefined;
  registeredDelivery?: RegisteredDelivery;
  receiptIdFormat?: ReceiptIdFormat;
  forceUcs2?: boolean;
  /** Per bind (see SmppBindOptions). */
  window?: number;
  throughputPerSecond?: number;
  enquireLinkMs?: number;
  responseTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** How long a send waits for a bind that is still coming up (default 5 s). */
  bindWaitMs?: number;
  /** The provider's name (`smpp`) and the instance its receipts are reported under. */
  name?: string;
  instance?: string;
  deliveryStatus: DeliveryStatusSink;
  logger: Logger;
  /** Paces the throughput limit (default: monotonic time, performance.now). */
  clock?: Clock;
  random?: () => number;
}

const monotonicClock: Clock = { now: () => performance.now() };

/** How long a submitted id counts as recent, how many are kept, and the delays of the reports again. */
const RECENT_MS = 60_000;
const RECENT_MAX = 200_000;
const REPORT_AGAIN_MS = [50, 250, 1000, 3000];

export interface SmppProvider extends DeliveryProvider {
  /** The binds, in order (their state, for tests and the admin view). */
  readonly binds: readonly SmppBind[];
  /** Resolves once at least one bind is bound (or rejects after `bindWaitMs`). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createSmppProvider(options: SmppProviderOptions): SmppProvider {
  const name = options.name ?? 'smpp';
  const instance = options.instance ?? name;
  const logger = options.logger.child({ provider: instance });
  const clock = options.clock ?? monotonicClock;
  const receiptIdFormat = options.receiptIdFormat ?? 'same';
  const registeredDelivery = options.registeredDelivery ?? 'all';
  const bindWaitMs = options.bindWaitMs ?? 5000;
  const source = sourceAddress(options.from, { ton: options.sourceTon, npi: options.sourceNpi });
  const urls = typeof options.url === 'string' ? [options.url] : [...options.url];
  if (urls.length === 0) throw new RangeError('the SMPP provider needs at least one SMSC URL');

  const onDeliver = async (pdu: PDU): Promise<void> => {
    if (!isReceipt(pdu)) {
      // A message from a phone (MO): acknowledged; Verity takes no inbound SMS, and its text stays out of logs.
      logger.info({ to: pdu['destination_addr'], dataCoding: pdu['data_coding'] }, 'SMPP message from a phone ignored');
      return;
    }
    const receipt = parseReceipt(pdu);
    if (!receipt) return void logger.warn('SMPP receipt without a message id ignored');
    if (!receipt.status) return void logger.info({ messageId: receipt.messageId, stat: receipt.stat }, 'SMPP receipt with no status ignored');
    const report: DeliveryStatusReport = {
      provider: instance,
      providerMessageId: receiptIdKey(receipt.messageId, receiptIdFormat),
      status: receipt.status,
      ...(receipt.errorCode ? { errorCode: receipt.errorCode } : {}),
      ...(receipt.status === 'undelivered' ? { errorMessage: receipt.stat } : {}),
    };
    const outcome = await options.deliveryStatus.report(report);
    if (outcome !== 'unknown') return;
    if (recentIds.has(report.providerMessageId ?? '')) return reportAgain(report, 0);
    logger.info({ messageId: receipt.messageId, stat: receipt.stat }, 'SMPP receipt for a message Verity did not send through this provider');
  };

  /**
   * Ids this provider submitted in the last RECENT_MS: a fast SMSC's receipt can overtake the send's
   * own answer (it may arrive before send() resolves, or before the dispatcher has stored the id), so
   * a receipt the sink does not know yet for such an id is reported again a little later.
   */
  const recentIds = new Map<string, number>();
  const remember = (key: string) => {
    const now = performance.now();
    recentIds.set(key, now + RECENT_MS);
    for (const [id, until] of recentIds) {
      if (until > now && recentIds.size <= RECENT_MAX) break;
      recentIds.delete(id);
    }
  };
  const reportAgain = (report: DeliveryStatusReport, attempt: number): void => {
    const delay = REPORT_AGAIN_MS[attempt];
    if (delay === undefined) return void logger.warn({ messageId: report.providerMessageId }, 'SMPP receipt for a message the sink never learnt of, dropped');
    setTimeout(() => {
      options.deliveryStatus.report(report).then(
        (outcome) => (outcome === 'unknown' ? reportAgain(report, attempt + 1) : undefined),
        (error: unknown) => logger.error({ err: error, messageId: report.providerMessageId }, 'SMPP receipt not recorded'),
      );
    }, delay).unref();
  };

  const binds: SmppBind[] = [];
  for (const url of urls) {
    for (let i = 0; i < (options.bindsPerUrl ?? 1); i++) {
      binds.push(
        new SmppBind({
          url,
          systemId: options.systemId,
          password: options.password,
          ...(options.systemType !== undefined ? { systemType: options.systemType } : {}),
          mode: options.bindMode ?? 'transceiver',
          ...(options.tls ? { tls: options.tls } : {}),
          ...definedOnly({
            window: options.window,
            throughputPerSecond: options.throughputPerSecond,
            enquireLinkMs: options.enquireLinkMs,
            responseTimeoutMs: options.responseTimeoutMs,
            reconnectMinMs: options.reconnectMinMs,
            reconnectMaxMs: options.reconnectMaxMs,
            random: options.random,
          }),
          clock,
          logger,
          onDeliver,
          label: `${instance}#${binds.length + 1}`,
        }),
      );
    }
  }

  let next = 0;
  /** The next bound bind after the last one used. */
  const pickBound = (): SmppBind | undefined => {
    for (let i = 0; i < binds.length; i++) {
      const bind = binds[(next + i) % binds.length] as SmppBind;
      if (bind.state === 'bound') {
        next = (next + i + 1) % binds.length;
        return bind;
      }
    }
    return undefined;
  };

  /** A bound bind, waiting while one is still connecting; none when every bind is down (backing off) or after bindWaitMs. */
  const boundBind = (): Promise<SmppBind | undefined> => {
    const now = pickBound();
    if (now || binds.every((bind) => bind.state !== 'connecting')) return Promise.resolve(now);
    return new Promise((resolve) => {
      const stops: (() => void)[] = [];
      const finish = (bind: SmppBind | undefined) => {
        clearTimeout(timer);
        for (const stop of stops) stop();
        resolve(bind);
      };
      const timer = setTimeout(() => finish(undefined), bindWaitMs);
      const check = () => {
        const bound = pickBound();
        if (bound || binds.every((bind) => bind.state !== 'connecting')) finish(bound);
      };
      for (const bind of binds) stops.push(bind.onStateChange(check));
    });
  };

  // A random start, so two processes sending to one phone rarely share a concatenation reference.
  let reference = randomInt(256);

  async function send(message: OutboundMessage): Promise<DeliveryReceipt> {
    if (message.channel !== 'sms') throw new DeliveryError(`the SMPP provider sends SMS only, not ${message.channel}`, { retryable: false });
    let sms;
    try {
      sms = encodeSms(message.body, { reference: reference++ & 0xff, forceUcs2: options.forceUcs2 ?? false });
    } catch (cause) {
      throw new DeliveryError('the message is too long for SMS', { retryable: false, cause });
    }
    const bind = await boundBind();
    if (!bind) {
      const reasons = [...new Set(binds.map((b) => b.lastError))].join('; ');
      throw new DeliveryError(`no SMPP bind is up (${reasons})`, { retryable: true });
    }
    const destination = destinationAddress(message.to, { ton: options.destTon, npi: options.destNpi });
    const ids: string[] = [];
    // Parts go one after another on one bind: when a later part fails, the earlier ones were taken.
    for (const [index, part] of sms.parts.entries()) {
      const last = index === sms.parts.length - 1;
      try {
        const id = await bind.submit({
          source_addr_ton: source.ton,
          source_addr_npi: source.npi,
          source_addr: source.addr,
          dest_addr_ton: destination.ton,
          dest_addr_npi: destination.npi,
          destination_addr: destination.addr,
          esm_class: sms.udhi ? ESM_CLASS_UDHI : 0,
          registered_delivery: registeredDelivery === 'all' || (registeredDelivery === 'last' && last) ? 1 : 0,
          data_coding: sms.dataCoding,
          short_message: part,
        });
        ids.push(id);
        if (id) remember(submitIdKey(id, receiptIdFormat));
      } catch (error) {
        throw deliveryError(error, index, sms.parts.length);
      }
    }
    const keys = ids.map((id) => (id ? submitIdKey(id, receiptIdFormat) : ''));
    // An SMSC that answers no id (Kannel's drive_smpp) cannot be matched with receipts; the attempt id stands in.
    const first = keys[0] || `verity-${message.attemptId}`;
    if (!keys[0]) logger.warn({ attemptId: message.attemptId }, 'the SMSC answered submit_sm without a message id');
    return {
      providerMessageId: first,
      ...(keys.length > 1 ? { partIds: keys.slice(1).filter(Boolean) } : {}),
      parts: sms.parts.length,
      status: 'sent',
    };
  }

  return {
    name,
    receipts: registeredDelivery !== 'none',
    binds,
    send,
    async ready() {
      if (!(await boundBind())) throw new Error(`no SMPP bind came up (${binds.map((b) => b.lastError).join('; ')})`);
    },
    async close() {
      await Promise.all(binds.map((bind) => bind.close()));
    },
  };
}

/** A failed part as a DeliveryError: retryable only when no part of the message reached the SMSC. */
function deliveryError(error: unknown, index: number, total: number): DeliveryError {
  const failure = error instanceof SubmitFailure ? error : new SubmitFailure(String(error), false);
  const certainlyNotTaken = failure.notSent || (failure.status !== undefined && isRetryableStatus(failure.status));
  const where = total > 1 ? ` (part ${index + 1} of ${total}${index > 0 ? '; earlier parts were accepted' : ''})` : '';
  return new DeliveryError(`${failure.message}${where}`, { retryable: certainlyNotTaken && index === 0, cause: error });
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
