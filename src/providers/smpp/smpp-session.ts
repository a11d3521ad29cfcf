import smpp, { type PDU, type Session } from 'smpp';
import type { Logger } from 'pino';
import type { Clock } from '../../crypto/clock.ts';
import { commandStatusName, ESME_ROK, ESME_RX_T_APPN } from './smpp-status.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * One SMPP bind to an SMSC (SMPP 3.4 §2.2): a transceiver session, or a transmitter and a receiver
 * session together (`tx+rx`, what Kannel's drive_smpp and many carriers offer). node-smpp is the PDU
 * codec and socket; this class adds what it leaves to its user: the bind handshake with a time-out,
 * `enquire_link` keep-alive whose missing answer drops the link, reconnection with exponential
 * back-off and jitter, an in-flight window, a throughput limit, and a submit_sm_resp time-out.
 */

export type BindMode = 'transceiver' | 'tx+rx';

export interface SmppBindOptions {
  /** `smpp://host:port`, or `ssmpp://host:port` for TLS. */
  url: string;
  systemId: string;
  password: string;
  systemType?: string;
  mode?: BindMode;
  tls?: { ca?: string | Buffer | undefined; verify?: boolean; servername?: string | undefined };
  /** The most submit_sm awaiting their response at once (default 10, the usual SMSC window). */
  window?: number;
  /** submit_sm a second this bind may send (default 100; 0 = no limit). */
  throughputPerSecond?: number;
  /** enquire_link every this often (default 30 s). */
  enquireLinkMs?: number;
  /** How long any request waits for its response (bind, submit, enquire_link; default 10 s). */
  responseTimeoutMs?: number;
  /** Reconnect back-off: the first delay and the cap (defaults 500 ms and 30 s), each jittered to 50–100 %. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  clock: Clock;
  /** Jitter source in [0, 1) (seeded in tests). */
  random?: () => number;
  logger: Logger;
  /** Each deliver_sm (receipts and messages from phones); its answer is the deliver_sm_resp status. */
  onDeliver(pdu: PDU): Promise<void>;
  /** A name for logs (`smpp#1`). */
  label?: string;
}

/** Where a bind is: connecting or binding, bound, waiting to reconnect, or closed for good. */
export type BindState = 'connecting' | 'bound' | 'backoff' | 'closed';

/** Why a submit failed: the SMSC's status, or no status (not sent, or no answer). */
export class SubmitFailure extends Error {
  constructor(
    message: string,
    /** True when the submit_sm certainly did not reach the SMSC (queued locally, link down before sending). */
    readonly notSent: boolean,
    /** The SMSC's command status, when it answered one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SubmitFailure';
  }
}

interface Waiting {
  fields: Record<string, unknown>;
  resolve(messageId: string): void;
  reject(error: SubmitFailure): void;
  timer: NodeJS.Timeout;
}

const DEFAULTS = { window: 10, throughputPerSecond: 100, enquireLinkMs: 30_000, responseTimeoutMs: 10_000, reconnectMinMs: 500, reconnectMaxMs: 30_000 };

export class SmppBind {
  private readonly options: Required<Omit<SmppBindOptions, 'tls' | 'systemType' | 'label'>> & SmppBindOptions;
  private readonly label: string;
  private stateValue: BindState = 'connecting';
  /** Sessions of the current connection: one (transceiver) or two (transmitter first, then receiver). */
  private sessions: Session[] = [];
  private transmitter: Session | undefined;
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  private readonly bucket: TokenBucket | undefined;
  private attempt = 0;
  private pumpTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private enquireTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();
  /** Fails each submit awaiting its response on the current transmitter, when that link goes down. */
  private readonly awaiting = new Set<() => void>();
  /** The last reason the bind went down or could not come up (for errors and logs). */
  lastError = 'not connected yet';
  /** Connections that reached `bound`, for tests and the admin view. */
  bindCount = 0;

  constructor(options: SmppBindOptions) {
    this.options = { ...DEFAULTS, mode: 'transceiver', random: Math.random, ...options } as typeof this.options;
    this.label = options.label ?? 'smpp';
    const rate = this.options.throughputPerSecond;
    // A burst of one second's worth (at least one) so a quiet bind starts a message at once.
    this.bucket = rate > 0 ? new TokenBucket(rate, Math.max(1, rate), this.options.clock) : undefined;
    this.connect();
  }

  get state(): BindState {
    return this.stateValue;
  }

  /** Calls `listener` whenever the state changes; answers a function that stops it. */
  onStateChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(state: BindState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    for (const listener of [...this.listeners]) listener();
  }

  /** Submits that wait for the window or the throughput limit, and those awaiting their response. */
  get load(): number {
    return this.queue.length + this.inFlight;
  }

  // ---- connection ------------------------------------------------------------------------------

  private openSession(onUp: (session: Session) => void, onDown: (reason: string) => void): Session {
    const { url, tls } = this.options;
    const secure = url.startsWith('ssmpp://');
    const session = smpp.connect({
      url,
      ...(secure ? { rejectUnauthorized: tls?.verify ?? true, ...(tls?.ca ? { ca: tls.ca } : {}), ...(tls?.servername ? { servername: tls.servername } : {}) } : {}),
    });
    // An idle bind does not keep the process alive (a CLI command that built the providers exits);
    // a submit or bind in progress does, through its response timer.
    session.socket.unref();
    // Each PDU is a small write answered by the SMSC: with Nagle's algorithm on (Node's default for
    // net sockets), a submit_sm can wait for the previous one's ACK, which the peer delays (~40 ms).
    session.socket.setNoDelay(true);
    // A host that drops SYNs would leave the bind connecting for minutes (the OS's time-out).
    const connectTimer = setTimeout(() => session.socket.destroy(new Error(`no connection within ${this.options.responseTimeoutMs} ms`)), this.options.responseTimeoutMs).unref();
    session.on(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(connectTimer);
      onUp(session);
    });
    session.on('close', () => clearTimeout(connectTimer));
    session.on('error', (error: Error) => onDown(error.message));
    session.on('close', () => onDown('connection closed'));
    return session;
  }

  private bindSession(session: Session, command: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver'): Promise<void> {
    const { systemId, password, systemType } = this.options;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${command}_resp within ${this.options.responseTimeoutMs} ms`)), this.options.responseTimeoutMs).unref();
      const sent = session[command]({ system_id: systemId, password, system_type: systemType ?? '', interface_version: 0x34 }, (pdu) => {
        clearTimeout(timer);
        if (pdu.command_status === ESME_ROK) resolve();
        else reject(new Error(`${command} refused: ${commandStatusName(pdu.command_status)}`));
      });
      if (!sent) {
        clearTimeout(timer);
        reject(new Error(`${command} could not be written`));
      }
    });
  }

  private connect(): void {
    this.setState('connecting');
    const commands = this.options.mode === 'tx+rx' ? (['bind_transmitter', 'bind_receiver'] as const) : (['bind_transceiver'] as const);
    let down = false;
    const sessions: Session[] = [];
    const fail = (reason: string) => {
      if (down) return;
      down = true;
      this.linkDown(sessions, reason);
    };
    const binds = commands.map(
      (command) =>
        new Promise<void>((resolve, reject) => {
          const session = this.openSession(
            (up) => void this.bindSession(up, command).then(resolve, reject),
            (reason) => reject(new Error(reason)),
          );
          // Handlers go on before the bind: an SMSC may send PDUs right behind the bind response
          // (stored receipts, messages from phones), in the same read as it.
          session.on('error', (error: Error) => fail(error.message));
          session.on('close', () => fail('connection closed'));
          session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
          session.on('unbind', (pdu: PDU) => {
            session.send(pdu.response());
            fail('the SMSC unbound');
          });
          session.on('deliver_sm', (pdu: PDU) => this.deliver(session, pdu));
          sessions.push(session);
        }),
    );
    this.sessions = sessions;
    Promise.all(binds).then(
      () => {
        if (down || this.closing) return;
        const [transmitter] = sessions as [Session];
        transmitter.once('close', () => {
          for (const fail of [...this.awaiting]) fail();
        });
        this.transmitter = transmitter;
        this.attempt = 0;
        this.bindCount++;
        this.lastError = '';
        this.options.logger.info({ bind: this.label, mode: this.options.mode }, 'SMPP bound');
        this.setState('bound');
        this.scheduleEnquireLink();
        this.pump();
      },
      (error: Error) => fail(error.message),
    );
  }

  /** The link is gone (or never came up): fail what was sent on it, keep what was queued, reconnect later. */
  private linkDown(sessions: Session[], reason: string): void {
    // While closing, unbind() ends each session itself (the other of a tx+rx pair still gets its unbind).
    if (this.closing && this.sessions === sessions) return;
    for (const session of sessions) {
      // Its close listeners fail what was in flight on it; later errors have nowhere to go.
      session.on('error', () => {});
      session.destroy();
    }
    if (this.sessions !== sessions) return;
    this.sessions = [];
    this.transmitter = undefined;
    clearTimeout(this.enquireTimer);
    this.lastError = reason;
    if (this.closing) return;
    this.options.logger.warn({ bind: this.label, reason }, 'SMPP link down');
    const { reconnectMinMs, reconnectMaxMs, random } = this.options;
    const delay = Math.min(reconnectMaxMs, reconnectMinMs * 2 ** this.attempt++);
    this.setState('backoff');
    // Jitter (50–100 % of the delay) so many binds cut by one outage do not all come back at once.
    this.reconnectTimer = setTimeout(() => this.connect(), Math.round(delay * (0.5 + random() / 2))).unref();
  }

  private dropLink(reason: string): void {
    const sessions = this.sessions;
    if (sessions.length > 0) this.linkDown(sessions, reason);
  }

  private scheduleEnquireLink(delay = this.options.enquireLinkMs): void {
    clearTimeout(this.enquireTimer);
    this.enquireTimer = setTimeout(() => {
      const session = this.transmitter;
      if (!session) return;
      const sessions = this.sessions;
      let answered = 0;
      const timeout = setTimeout(() => {
        if (this.sessions === sessions) this.dropLink(`no enquire_link_resp within ${this.options.responseTimeoutMs} ms`);
      }, this.options.responseTimeoutMs).unref();
      // Each session of the bind is kept alive on its own (a receiver may sit idle for long).
      for (const s of sessions) {
        s.enquire_link(() => {
          if (++answered < sessions.length) return;
          clearTimeout(timeout);
          if (this.sessions === sessions) this.scheduleEnquireLink();
        });
      }
    }, delay);
    this.enquireTimer.unref();
  }

  private deliver(session: Session, pdu: PDU): void {
    this.options.onDeliver(pdu).then(
      () => session.send(pdu.response()),
      (error: unknown) => {
        // A temporary application error makes the SMSC deliver it again later (SMPP 3.4 §5.1.3).
        this.options.logger.error({ bind: this.label, err: error }, 'SMPP deliver_sm not recorded');
        session.send(pdu.response({ command_status: ESME_RX_T_APPN }));
      },
    );
  }

  // ---- submitting ------------------------------------------------------------------------------

  /** Sends one submit_sm (fields as node-smpp names them) and answers the SMSC's message id. */
  submit(fields: Record<string, unknown>): Promise<string> {
    if (this.closing) return Promise.reject(new SubmitFailure('the SMPP provider is closed', true));
    return new Promise((resolve, reject) => {
      const waiting: Waiting = {
        fields,
        resolve,
        reject,
        // Waiting for the window or a token counts against the same time-out; it was never sent.
        timer: setTimeout(() => {
          const index = this.queue.indexOf(waiting);
          if (index < 0) return;
          this.queue.splice(index, 1);
          reject(new SubmitFailure(`not sent: no room in the bind's window or throughput limit within ${this.options.responseTimeoutMs} ms (${this.stateValue})`, true));
        }, this.options.responseTimeoutMs),
      };
      this.queue.push(waiting);
      this.pump();
    });
  }

  private pump(): void {
    clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    while (this.queue.length > 0 && this.transmitter && this.inFlight < this.options.window) {
      if (this.bucket && !this.bucket.tryTake()) {
        this.pumpTimer = setTimeout(() => this.pump(), this.bucket.msUntilNext());
        return;
      }
      const waiting = this.queue.shift() as Waiting;
      clearTimeout(waiting.timer);
      this.send(this.transmitter, waiting);
    }
  }

  private send(session: Session, waiting: Waiting): void {
    this.inFlight++;
    const sessions = this.sessions;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.awaiting.delete(onClose);
      this.inFlight--;
      outcome();
      this.pump();
    };
    const onClose = () => settle(() => waiting.reject(new SubmitFailure(`the link went down before the SMSC answered: ${this.lastError || 'closed'}`, false)));
    // No answer in time: the SMSC may have taken it, so it is not retried; the link is suspect, so check it.
    const timer = setTimeout(() => {
      settle(() => waiting.reject(new SubmitFailure(`no submit_sm_resp within ${this.options.responseTimeoutMs} ms`, false)));
      // An enquire_link now, whose missing answer drops the link.
      if (this.sessions === sessions) this.scheduleEnquireLink(0);
    }, this.options.responseTimeoutMs);
    this.awaiting.add(onClose);
    const written = session.submit_sm(waiting.fields, (pdu) =>
      settle(() => {
        if (pdu.command_status === ESME_ROK) waiting.resolve(String(pdu['message_id'] ?? ''));
        else waiting.reject(new SubmitFailure(`the SMSC refused the message: ${commandStatusName(pdu.command_status)}`, false, pdu.command_status));
      }),
    );
    if (!written) settle(() => waiting.reject(new SubmitFailure('not sent: the link is not writable', true)));
  }

  // ---- closing ---------------------------------------------------------------------------------

  /** Unbinds cleanly (unbind, then wait for unbind_resp or the time-out) and stops reconnecting. */
  close(): Promise<void> {
    this.closing ??= this.unbind();
    return this.closing;
  }

  private async unbind(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.enquireTimer);
    clearTimeout(this.pumpTimer);
    for (const waiting of this.queue.splice(0)) {
      clearTimeout(waiting.timer);
      waiting.reject(new SubmitFailure('not sent: the SMPP provider is closing', true));
    }
    const sessions = this.sessions;
    const bound = this.stateValue === 'bound';
    await Promise.all(
      sessions.map(
        (session) =>
          new Promise<void>((resolve) => {
            // Closed by the SMSC, by the other session of a tx+rx bind going down, or by done().
            if (session.socket.destroyed) return resolve();
            session.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            session.on('error', () => {});
            // After unbind_resp (or without a bound session) nothing more is said: the socket is closed.
            const done = () => session.destroy();
            const timer = setTimeout(done, Math.min(this.options.responseTimeoutMs, 2000));
            if (!bound || !session.unbind(() => done())) done();
          }),
      ),
    );
    this.sessions = [];
    this.transmitter = undefined;
    this.setState('closed');
  }
}
