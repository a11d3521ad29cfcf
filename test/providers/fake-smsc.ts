/**
 * A scriptable SMSC for the SMPP provider's tests and benchmarks, built on node-smpp's server side
 * (the interop suite runs the same provider against SMSCs not built from node-smpp: Perl Net::SMPP and
 * Kannel's drive_smpp). It listens on 127.0.0.1 port 0 (plain or TLS), checks system id and
 * password, answers submit_sm as told (accept, throttle, queue full, refuse, stall), sends delivery
 * receipts in the styles SMSCs use (TLVs and the Appendix B text, text only, TLVs only), and can drop
 * every connection or stop answering enquire_link.
 */
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';

export type SubmitBehaviour = 'accept' | 'throttle' | 'queue-full' | 'refuse' | 'stall';
export type ReceiptStyle = 'tlv+text' | 'text' | 'tlv';

/** What the SMSC received in one submit_sm, as node-smpp's server decoded it. */
export interface ReceivedSubmit {
  /** The id answered ('' when refused or stalled). */
  messageId: string;
  /** The command status answered (-1: stalled, never answered). */
  status: number;
  sourceAddr: string;
  sourceTon: number;
  sourceNpi: number;
  destinationAddr: string;
  destTon: number;
  destNpi: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** The text as node-smpp decodes it for that data_coding (without the UDH). */
  text: string;
  /** The UDH's information elements, when the UDHI bit was set (`[[0, 3, ref, total, seq]]`). */
  udh: number[][] | undefined;
  /** The bind it came on (0-based, in the order binds arrived). */
  bind: number;
}

export interface BindAttempt {
  command: string;
  systemId: string;
  accepted: boolean;
}

export interface FakeSmscOptions {
  systemId?: string;
  password?: string;
  /** A TLS server (ssmpp://) with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Refuse bind_transceiver (as Kannel's drive_smpp does), so only tx+rx binds work. */
  noTransceiver?: boolean;
}

export interface FakeSmsc {
  url: string;
  behaviour: SubmitBehaviour;
  /** The status a `refuse` answers (default ESME_RINVDSTADR 0x0B). */
  refuseStatus: number;
  /** Send a receipt for each submit that asks for one: delivered, undelivered (`err:` 005), or none. */
  receipts: 'delivered' | 'undelivered' | 'none';
  receiptStyle: ReceiptStyle;
  /** How the receipt writes the id the submit_sm_resp gave (hex ids answered decimal in receipts…). */
  receiptId: (id: string) => string;
  /** The message id of the n-th accepted submit (default `m<n>`). */
  messageId: (n: number) => string;
  answerEnquireLink: boolean;
  /** deliver_sm sent right behind the next receiving bind's response (then forgotten). */
  pushOnBind: Record<string, unknown>[];
  readonly submits: ReceivedSubmit[];
  readonly binds: BindAttempt[];
  readonly enquireLinks: number;
  /** deliver_sm_resp command statuses, in order. */
  readonly deliverAnswers: number[];
  /** `submit` (ReceivedSubmit), `bind` (BindAttempt), `enquire_link`, `unbind`, `deliver_sm_resp` (status). */
  readonly events: EventEmitter;
  /** The sessions bound now. */
  boundSessions(): number;
  /** Waits until `n` submit_sm have arrived in all, answered or not (since the last reset). */
  submitted(n: number): Promise<ReceivedSubmit[]>;
  /** Waits until `n` deliver_sm have been answered in all; resolves with their statuses. */
  answered(n: number): Promise<number[]>;
  /** Waits until `n` sessions are bound. */
  bound(n: number): Promise<void>;
  /**
   * A receipt for `messageId` on the session it came on (else any bound receiving session); resolves
   * with the deliver_sm_resp status.
   */
  sendReceipt(messageId: string, stat: string, options?: { err?: string; style?: ReceiptStyle; messageState?: number }): Promise<number>;
  /**
   * Any deliver_sm (a message from a phone, a malformed receipt), on the session message `about` came
   * on when given; resolves with the deliver_sm_resp status.
   */
  sendDeliver(fields: Record<string, unknown>, about?: string): Promise<number>;
  /** Cuts every connection (a network failure; no unbind). */
  dropAll(): void;
  reset(): void;
  close(): Promise<void>;
}

/** Appendix B message_state values of the stat words. */
const STATES: Readonly<Record<string, number>> = { ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, UNKNOWN: 7, REJECTD: 8 };

function decoded(value: unknown): { text: string; udh: number[][] | undefined } {
  const v = value as { message?: unknown; udh?: Buffer[] } | undefined;
  const message = v?.message;
  return { text: Buffer.isBuffer(message) ? message.toString('latin1') : String(message ?? ''), udh: v?.udh?.map((ie) => [...ie]) };
}

export async function startFakeSmsc(options: FakeSmscOptions = {}): Promise<FakeSmsc> {
  const systemId = options.systemId ?? 'verity';
  const password = options.password ?? 'secret';
  const events = new EventEmitter();
  const bound = new Map<Session, { receives: boolean; index: number }>();
  let sessionCount = 0;
  let accepted = 0;
  let enquireLinks = 0;
  let receiver = 0;
  /** The session each message came on: its receipt goes back there (a transceiver bind) when it can. */
  const cameOn = new Map<string, Session>();

  const server = smpp.createServer(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}, (session) => {
    const index = sessionCount++;
    session.on('error', () => {});
    session.on('close', () => bound.delete(session));
    for (const command of ['bind_transceiver', 'bind_transmitter', 'bind_receiver'] as const) {
      session.on(command, (pdu: PDU) => {
        const ok = pdu['system_id'] === systemId && pdu['password'] === password && !(options.noTransceiver && command === 'bind_transceiver');
        const status = pdu['system_id'] !== systemId ? smpp.errors['ESME_RINVSYSID'] : pdu['password'] !== password ? smpp.errors['ESME_RINVPASWD'] : smpp.errors['ESME_RBINDFAIL'];
        const attempt = { command, systemId: String(pdu['system_id']), accepted: ok };
        fake.binds.push(attempt);
        session.send(pdu.response({ command_status: ok ? 0 : status, system_id: 'fake-smsc' }));
        if (ok) bound.set(session, { receives: command !== 'bind_transmitter', index });
        // Stored PDUs go right behind the bind response, as SMSCs push stored receipts.
        if (ok && command !== 'bind_transmitter') for (const fields of fake.pushOnBind.splice(0)) session.deliver_sm(fields);
        events.emit('bind', attempt);
      });
    }
    session.on('enquire_link', (pdu: PDU) => {
      enquireLinks++;
      events.emit('enquire_link');
      if (fake.answerEnquireLink) session.send(pdu.response());
    });
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      bound.delete(session);
      events.emit('unbind');
      session.close();
    });
    session.on('deliver_sm_resp', (pdu: PDU) => {
      fake.deliverAnswers.push(pdu.command_status);
      events.emit('deliver_sm_resp', pdu.command_status, pdu.sequence_number);
    });
    session.on('submit_sm', (pdu: PDU) => {
      const behaviour = fake.behaviour;
      const status = { accept: 0, throttle: 0x58, 'queue-full': 0x14, refuse: fake.refuseStatus, stall: -1 }[behaviour];
      const messageId = status === 0 ? fake.messageId(++accepted) : '';
      const { text, udh } = decoded(pdu['short_message']);
      const submit: ReceivedSubmit = {
        messageId,
        status,
        sourceAddr: String(pdu['source_addr']),
        sourceTon: Number(pdu['source_addr_ton']),
        sourceNpi: Number(pdu['source_addr_npi']),
        destinationAddr: String(pdu['destination_addr']),
        destTon: Number(pdu['dest_addr_ton']),
        destNpi: Number(pdu['dest_addr_npi']),
        dataCoding: Number(pdu['data_coding']),
        esmClass: Number(pdu['esm_class']),
        registeredDelivery: Number(pdu['registered_delivery']),
        text,
        udh,
        bind: bound.get(session)?.index ?? -1,
      };
      fake.submits.push(submit);
      if (messageId) cameOn.set(messageId, session);
      events.emit('submit', submit);
      if (status < 0) return;
      session.send(pdu.response({ command_status: status, message_id: messageId }));
      if (status === 0 && (submit.registeredDelivery & 0x03) !== 0 && fake.receipts !== 'none') {
        const stat = fake.receipts === 'delivered' ? 'DELIVRD' : 'UNDELIV';
        void fake.sendReceipt(messageId, stat, { err: fake.receipts === 'delivered' ? '000' : '005' }).catch(() => {});
      }
    });
  });

  const deliverOn = (fields: Record<string, unknown>, about?: string): Promise<number> => {
    const receivers = [...bound].filter(([, b]) => b.receives).map(([s]) => s);
    const origin = about === undefined ? undefined : cameOn.get(about);
    const session = origin && receivers.includes(origin) ? origin : receivers[receiver++ % Math.max(1, receivers.length)];
    if (!session) return Promise.reject(new Error('no receiving session is bound'));
    return new Promise((resolve, reject) => {
      const sent = session.deliver_sm(fields, (pdu) => resolve(pdu.command_status));
      if (!sent) reject(new Error('the receiving session is not writable'));
    });
  };

  const fake: FakeSmsc = {
    url: '',
    behaviour: 'accept',
    refuseStatus: 0x0b,
    receipts: 'delivered',
    receiptStyle: 'tlv+text',
    receiptId: (id) => id,
    messageId: (n) => `m${n}`,
    answerEnquireLink: true,
    pushOnBind: [],
    submits: [],
    binds: [],
    get enquireLinks() {
      return enquireLinks;
    },
    deliverAnswers: [],
    events,
    boundSessions: () => bound.size,
    async submitted(n) {
      while (fake.submits.length < n) await once(events, 'submit');
      return fake.submits.slice(0, n);
    },
    async answered(n) {
      while (fake.deliverAnswers.length < n) await once(events, 'deliver_sm_resp');
      return fake.deliverAnswers.slice(0, n);
    },
    async bound(n) {
      while (bound.size < n) await once(events, 'bind');
    },
    sendReceipt(messageId, stat, receiptOptions = {}) {
      const style = receiptOptions.style ?? fake.receiptStyle;
      const id = fake.receiptId(messageId);
      const text = `id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2612061200 done date:2612061201 stat:${stat} err:${receiptOptions.err ?? '000'} text:`;
      return deliverOn({
        source_addr: '15551234567',
        destination_addr: 'Verity',
        esm_class: 0x04,
        ...(style !== 'tlv' ? { short_message: text } : {}),
        ...(style !== 'text' ? { receipted_message_id: id, message_state: receiptOptions.messageState ?? STATES[stat] ?? 7 } : {}),
      }, messageId);
    },
    sendDeliver: (fields, about) => deliverOn(fields, about),
    dropAll() {
      for (const session of [...server.sessions]) session.destroy();
      bound.clear();
    },
    reset() {
      fake.behaviour = 'accept';
      fake.refuseStatus = 0x0b;
      fake.receipts = 'delivered';
      fake.receiptStyle = 'tlv+text';
      fake.receiptId = (id) => id;
      fake.answerEnquireLink = true;
      fake.pushOnBind = [];
      fake.submits.length = 0;
      fake.binds.length = 0;
      fake.deliverAnswers.length = 0;
      fake.messageId = (n) => `m${n}`;
      accepted = 0;
      cameOn.clear();
    },
    async close() {
      fake.dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `${options.tls ? 'ssmpp' : 'smpp'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
