import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import sip, { type SipCreateOptions, type SipMessage, type SipRemote } from 'sip';
import { captureSockets } from './captured-sockets.ts';
import type { SipLogger, SipTransport } from './sip-signalling.ts';

/** A datagram or a stream message larger than this is dropped (RFC 3261 §18.1.1 keeps UDP messages near the MTU). */
const MAX_MESSAGE_BYTES = 32 * 1024;
/** A stream that sends this much without yielding one message is closed (a bad Content-Length stalls the library's stream parser). */
const STREAM_BUDGET_BYTES = 2 * MAX_MESSAGE_BYTES + 1024;
const BIND_ATTEMPTS = 5;

export interface SipStackOptions {
  transport: SipTransport;
  listen: { address: string; port: number };
  publicAddress: string;
  tls?: { ca?: string; verify: boolean; servername?: string };
  logger: SipLogger;
  /** Every request that opened a server transaction (and every ACK); answer it with `respond`. */
  onRequest(request: SipMessage, remote: SipRemote): void;
}

/** A response the library made up (Timer B/F 408, 503 for a transport error) rather than received. */
type ResponseHandler = (response: SipMessage, synthetic: boolean) => void;

/** npm `sip`'s stack, made safe to run in a server: guarded sockets, strong branches, closed connections. */
export interface SipStack {
  /** The port of Verity's SIP socket (Via, Contact). */
  readonly port: number;
  /** Sends a request in a new client transaction (an ACK for a 2xx: statelessly); the hop must be an IP address. */
  request(message: SipMessage, onResponse?: ResponseHandler): void;
  /** Sends a response through the request's server transaction. */
  respond(response: SipMessage): void;
  close(): void;
}

/** `z9hG4bK` and 128 random bits (RFC 3261 §8.1.1.7: unique across space and time). */
export const newBranch = (): string => `z9hG4bK${randomBytes(16).toString('hex')}`;

/**
 * Starts npm `sip` (`sip.create`, an instance, not the global `sip.start`) on `listen` (port 0: a free
 * port, found by binding) with UDP and TCP, or TLS alone.
 */
export async function startSipStack(options: SipStackOptions): Promise<SipStack> {
  for (let attempt = 1; ; attempt++) {
    const port = options.listen.port !== 0 ? options.listen.port : await freePort(options.transport, options.listen.address);
    try {
      return await startOn(port, options);
    } catch (error) {
      if (options.listen.port !== 0 || attempt >= BIND_ATTEMPTS || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

async function startOn(port: number, options: SipStackOptions): Promise<SipStack> {
  const { logger } = options;
  const received = new WeakSet<SipMessage>();
  let delivered = false;
  // npm sip replaces a received 503 with one of its own (it tries the next address, then reports
  // 503 from nowhere): the real one is remembered here so it is not taken for a transport failure.
  const received503 = new Set<string>();
  const transactionKey = (message: SipMessage) => `${message.headers['call-id']}\n${message.headers.cseq?.seq}\n${message.headers.cseq?.method}`;
  // The library's branch is `z9hG4bK` + Math.random()*1e6: about 20 bits, so two transactions in
  // flight at one proxy collide often enough to matter (the proxy takes the second INVITE for a
  // retransmission of the first). Each request leaves with a 128-bit branch instead, and the
  // responses to it are given back the library's branch before its transaction layer matches them.
  const libraryBranchOf = new Map<string, { branch: string; method: string; at: number }>();
  const streams = new Set<net.Socket>();
  const budgets = new WeakMap<net.Socket, number>();

  const hooks: NonNullable<SipCreateOptions['logger']> = {
    send(message) {
      const via = message.headers.via?.[0];
      const branch = via?.params.branch;
      if (message.method && via && branch && /^z9hG4bK\d{1,7}$/.test(branch)) {
        const strong = newBranch();
        via.params.branch = strong;
        libraryBranchOf.set(strong, { branch, method: message.headers.cseq?.method ?? '', at: Date.now() });
      }
      logger.debug({ sip: summary(message) }, 'SIP message sent');
    },
    recv(message, remote) {
      delivered = true;
      received.add(message);
      if (remote.protocol !== 'UDP') for (const stream of streams) if (stream.remoteAddress === remote.address && stream.remotePort === remote.port) budgets.set(stream, 0);
      const via = message.headers.via?.[0];
      const mapped = message.status !== undefined && via?.params.branch ? libraryBranchOf.get(via.params.branch) : undefined;
      if (mapped && via && mapped.method === message.headers.cseq?.method) via.params.branch = mapped.branch;
      if (message.status === 503) received503.add(transactionKey(message));
      logger.debug({ sip: summary(message), from: `${remote.address}:${remote.port}`, transport: remote.protocol }, 'SIP message received');
    },
    error(error) {
      logger.warn({ err: describe(error) }, 'SIP stack error (message dropped)');
    },
  };

  const tlsOptions = options.transport === 'tls'
    ? { ...(options.tls?.ca ? { ca: options.tls.ca } : {}), rejectUnauthorized: options.tls?.verify ?? true, ...(options.tls?.servername ? { servername: options.tls.servername } : {}), minVersion: 'TLSv1.2' }
    : undefined;
  const created = captureSockets(() =>
    sip.create(
      {
        address: options.listen.address,
        port,
        publicAddress: options.publicAddress,
        udp: options.transport !== 'tls',
        tcp: options.transport !== 'tls',
        ...(tlsOptions ? { tls: tlsOptions, tls_port: port } : {}),
        maxBytesHeaders: MAX_MESSAGE_BYTES,
        maxContentLength: MAX_MESSAGE_BYTES,
        'max-forwards': 70,
        logger: hooks,
      },
      (request, remote) => options.onRequest(request, remote),
    ),
  );
  const stack = created.result;

  // Guard every socket: an `error` listener (a failed send must not end the process) and, for UDP,
  // the library's message handler run inside try/catch behind a size check.
  for (const socket of created.datagram) {
    const handlers = socket.listeners('message') as ((data: Buffer, rinfo: dgram.RemoteInfo) => void)[];
    socket.removeAllListeners('message');
    socket.on('message', (data: Buffer, rinfo: dgram.RemoteInfo) => {
      if (data.length > MAX_MESSAGE_BYTES) {
        logger.warn({ from: `${rinfo.address}:${rinfo.port}`, bytes: data.length }, 'SIP datagram too large: dropped');
        return;
      }
      delivered = false;
      try {
        for (const handler of handlers) handler.call(socket, data, rinfo);
        // The library drops what it cannot parse, or a message without Via, Call-ID, From, To or CSeq, silently.
        if (!delivered) logger.debug({ from: `${rinfo.address}:${rinfo.port}`, bytes: data.length }, 'SIP datagram that is not a SIP message: dropped');
      } catch (error) {
        logger.warn({ from: `${rinfo.address}:${rinfo.port}`, bytes: data.length, err: describe(error) }, 'SIP datagram the parser could not take: dropped');
      }
    });
  }
  const guardStream = (stream: net.Socket) => {
    streams.add(stream);
    // SIP writes small messages back to back (ACK then BYE): without this, Nagle's algorithm and the
    // peer's delayed ACK hold the second one ~40 ms.
    stream.setNoDelay(true);
    budgets.set(stream, 0);
    stream.on('error', (error) => logger.debug({ err: describe(error) }, 'SIP connection error'));
    stream.on('close', () => streams.delete(stream));
    stream.on('data', (chunk: Buffer | string) => {
      const used = (budgets.get(stream) ?? 0) + chunk.length;
      budgets.set(stream, used);
      if (used > STREAM_BUDGET_BYTES) {
        logger.warn({ from: `${stream.remoteAddress}:${stream.remotePort}`, bytes: used }, 'SIP connection sent no complete message within its budget: closed');
        stream.destroy();
      }
    });
  };
  for (const server of created.servers) server.prependListener('connection', guardStream);
  for (const stream of created.streams) guardStream(stream);

  try {
    await Promise.all([
      ...created.datagram.map((socket) => listening(socket)),
      ...created.servers.map((server) => (server.listening ? Promise.resolve() : listening(server))),
    ]);
  } catch (error) {
    stack.destroy();
    throw error;
  }
  for (const socket of [...created.datagram, ...created.servers]) socket.on('error', (error: Error) => logger.warn({ err: describe(error) }, 'SIP socket error'));

  // Forget branch mappings once their transaction is surely over (64*T1, RFC 3261 §17).
  const sweep = setInterval(() => {
    const old = Date.now() - 64_000;
    for (const [strong, entry] of libraryBranchOf) if (entry.at < old) libraryBranchOf.delete(strong);
  }, 16_000);
  sweep.unref();

  let closed = false;
  const send = (message: SipMessage, onResponse?: (response: SipMessage) => void) => {
    if (closed) return;
    const opened = captureSockets(() => stack.send(message, onResponse));
    for (const stream of opened.streams) guardStream(stream);
  };
  return {
    port,
    request(message, onResponse) {
      send(
        message,
        onResponse &&
          ((response) => {
            const key = transactionKey(response);
            const real = received.has(response) || (response.status === 503 && received503.has(key));
            if (response.status !== undefined && response.status >= 200) received503.delete(key);
            onResponse(response, !real);
          }),
      );
    },
    respond(response) {
      send(response);
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      stack.destroy();
      for (const stream of streams) stream.destroy();
    },
  };
}

/** What a log line may say about a message: its first line and transaction keys, never its body or credentials. */
function summary(message: SipMessage): Record<string, unknown> {
  return {
    ...(message.method ? { method: message.method } : { status: message.status }),
    callId: message.headers['call-id'],
    cseq: message.headers.cseq ? `${message.headers.cseq.seq} ${message.headers.cseq.method}` : undefined,
  };
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function listening(socket: dgram.Socket | net.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      socket.off('listening', done);
      socket.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    socket.once('listening', () => done());
    socket.once('error', done);
  });
}

/** A port free for the transports in use at run time: UDP (bound and released; TCP takes the same number) or TCP for TLS. */
async function freePort(transport: SipTransport, address: string): Promise<number> {
  if (transport === 'tls') {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, address, resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }
  const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, resolve);
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}
