import { createSecureServer, type Http2SecureServer, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { randomUUID, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { TestCa } from './tls-test-ca.ts';

/** One notification request as the server received it (after its checks). */
export interface ApnsRequest {
  deviceToken: string;
  headers: IncomingHttpHeaders;
  payload: Record<string, any>;
  /** The provider token (JWT) it carried. */
  providerToken: string;
  /** The provider token's `iat`. */
  issuedAt: number;
  /** What the server answered. */
  status: number;
  reason: string | undefined;
}

/** An answer the test wants for a device token: e.g. `{status: 410, reason: 'Unregistered'}`. */
export interface ApnsAnswer {
  status: number;
  reason: string;
  /** For 410: when the token stopped being valid (ms since the epoch). */
  timestamp?: number;
  /** Answer this way this many times, then normally (default: always). */
  times?: number;
}

export interface ApnsServerOptions {
  ca: TestCa;
  teamId: string;
  keyId: string;
  /** The team's public key for `keyId` (the .p8 key's public half). */
  publicKey: KeyObject;
  topic: string;
  /** Seconds since the epoch, for the provider token's age check (the server's clock). */
  now?: () => number;
}

export interface ApnsServer {
  origin: string;
  host: string;
  port: number;
  requests: ApnsRequest[];
  /** Resolves with the `n`th request (1-based) once it has arrived. */
  request(n: number): Promise<ApnsRequest>;
  answer(deviceToken: string, answer: ApnsAnswer): void;
  close(): Promise<void>;
}

const error = (status: number, reason: string, extra: Record<string, unknown> = {}) => ({ status, reason, extra });

/**
 * A local APNs provider API (Apple's "Sending notification requests to APNs" and "Handling
 * notification responses from APNs"): TLS HTTP/2, `POST /3/device/{token}`, token-based
 * authentication checked by verifying the ES256 provider JWT with the team's public key, the
 * required headers checked, and Apple's error answers (`{"reason"}`, 410 with `timestamp`).
 */
export async function startApnsServer(options: ApnsServerOptions): Promise<ApnsServer> {
  const requests: ApnsRequest[] = [];
  const waiters: Array<{ n: number; resolve: (r: ApnsRequest) => void }> = [];
  const answers = new Map<string, ApnsAnswer>();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  async function judge(headers: IncomingHttpHeaders, path: string, body: string): Promise<{ status: number; reason?: string; extra?: Record<string, unknown>; record?: Omit<ApnsRequest, 'status' | 'reason'> }> {
    if (headers[':method'] !== 'POST') return error(405, 'MethodNotAllowed');
    const match = /^\/3\/device\/([0-9a-fA-F]{64,200})$/.exec(path);
    if (!match) return /^\/3\/device\//.test(path) ? error(400, 'BadDeviceToken') : error(404, 'BadPath');
    const deviceToken = match[1] as string;
    const auth = String(headers.authorization ?? '');
    if (!auth.startsWith('bearer ')) return error(403, 'MissingProviderToken');
    const providerToken = auth.slice('bearer '.length);
    let issuedAt: number;
    try {
      const header = decodeProtectedHeader(providerToken);
      if (header.alg !== 'ES256' || header.kid !== options.keyId) return error(403, 'InvalidProviderToken');
      const { payload } = await jwtVerify(providerToken, options.publicKey, { algorithms: ['ES256'], issuer: options.teamId, currentDate: new Date(now() * 1000) });
      if (typeof payload.iat !== 'number') return error(403, 'InvalidProviderToken');
      issuedAt = payload.iat;
    } catch {
      return error(403, 'InvalidProviderToken');
    }
    if (now() - issuedAt > 3600) return error(403, 'ExpiredProviderToken');
    if (headers['apns-topic'] === undefined) return error(400, 'MissingTopic');
    if (headers['apns-topic'] !== options.topic) return error(400, 'TopicDisallowed');
    if (headers['apns-push-type'] !== 'alert') return error(400, 'InvalidPushType');
    if (headers['apns-priority'] !== undefined && !['5', '10', '1'].includes(String(headers['apns-priority']))) return error(400, 'BadPriority');
    if (headers['apns-expiration'] !== undefined && !/^\d+$/.test(String(headers['apns-expiration']))) return error(400, 'BadExpirationDate');
    if (headers['apns-collapse-id'] !== undefined && Buffer.byteLength(String(headers['apns-collapse-id'])) > 64) return error(400, 'BadCollapseId');
    if (Buffer.byteLength(body) > 4096) return error(413, 'PayloadTooLarge');
    let payload: Record<string, any>;
    try {
      payload = JSON.parse(body) as Record<string, any>;
    } catch {
      return error(400, 'PayloadEmpty');
    }
    if (!payload || typeof payload.aps !== 'object') return error(400, 'PayloadEmpty');
    const record = { deviceToken, headers, payload, providerToken, issuedAt };
    const planned = answers.get(deviceToken);
    if (planned && (planned.times === undefined || planned.times > 0)) {
      if (planned.times !== undefined) planned.times -= 1;
      return { status: planned.status, reason: planned.reason, extra: planned.timestamp === undefined ? {} : { timestamp: planned.timestamp }, record };
    }
    return { status: 200, record };
  }

  function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      void judge(headers, String(headers[':path']), Buffer.concat(chunks).toString('utf8')).then((result) => {
        const apnsId = String(headers['apns-id'] ?? randomUUID());
        if (result.record) {
          const entry: ApnsRequest = { ...result.record, status: result.status, reason: result.reason };
          requests.push(entry);
          for (const w of waiters.filter((w) => w.n === requests.length)) w.resolve(entry);
        }
        if (result.status === 200) {
          stream.respond({ ':status': 200, 'apns-id': apnsId });
          stream.end();
        } else {
          stream.respond({ ':status': result.status, 'apns-id': apnsId, 'content-type': 'application/json' });
          stream.end(JSON.stringify({ reason: result.reason, ...result.extra }));
        }
      });
    });
  }

  const server: Http2SecureServer = createSecureServer({ key: options.ca.serverKey, cert: options.ca.serverCert });
  server.on('stream', handle);
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    requests,
    request: (n) => {
      const have = requests[n - 1];
      if (have) return Promise.resolve(have);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    answer: (deviceToken, answer) => answers.set(deviceToken, { ...answer }),
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
