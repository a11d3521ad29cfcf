import { createSecureServer, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { randomBytes, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { TestCa } from './tls-test-ca.ts';

/** One messages:send request as the server received it. */
export interface FcmRequest {
  accessToken: string;
  message: Record<string, any>;
  status: number;
  errorCode: string | undefined;
}

/** A token exchange as the server received it. */
export interface FcmTokenExchange {
  assertionHeader: Record<string, unknown>;
  claims: Record<string, unknown>;
  accessToken: string;
}

/** An error the test wants for a registration token (FCM's google.rpc.Status with an FcmError detail). */
export interface FcmAnswer {
  status: number;
  /** `status` field of the error (UNAVAILABLE, NOT_FOUND, …). */
  rpcStatus: string;
  /** FcmError.errorCode (UNREGISTERED, SENDER_ID_MISMATCH, …). */
  errorCode: string;
  message?: string;
  retryAfter?: string;
  times?: number;
}

export interface FcmServerOptions {
  ca: TestCa;
  projectId: string;
  clientEmail: string;
  /** The service account's public key (the key file's private key's public half). */
  publicKey: KeyObject;
  /** Seconds an access token lives (`expires_in`). */
  accessTokenSeconds?: number;
  /** Seconds since the epoch on the server's clock. */
  now?: () => number;
}

export interface FcmServer {
  origin: string;
  /** The token endpoint's URL (what the key file's `token_uri` names). */
  tokenUri: string;
  requests: FcmRequest[];
  exchanges: FcmTokenExchange[];
  request(n: number): Promise<FcmRequest>;
  answer(registrationToken: string, answer: FcmAnswer): void;
  /** Every access token issued so far stops working (401 UNAUTHENTICATED), as when one expires early. */
  revokeAccessTokens(): void;
  close(): Promise<void>;
}

const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

function googleError(status: number, rpcStatus: string, message: string, errorCode?: string): string {
  const details = errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [];
  return JSON.stringify({ error: { code: status, message, status: rpcStatus, details } });
}

/**
 * A local Google OAuth 2.0 token endpoint and FCM HTTP v1 API over TLS HTTP/2: the token endpoint
 * verifies the RS256 JWT bearer assertion (RFC 7523) against the service account's public key; the
 * messages:send endpoint checks the bearer access token and the message's shape, and answers FCM's
 * errors (UNREGISTERED, UNAVAILABLE with Retry-After, …) when told to.
 */
export async function startFcmServer(options: FcmServerOptions): Promise<FcmServer> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const requests: FcmRequest[] = [];
  const exchanges: FcmTokenExchange[] = [];
  const waiters: Array<{ n: number; resolve: (r: FcmRequest) => void }> = [];
  const answers = new Map<string, FcmAnswer>();
  const accessTokens = new Map<string, number>();
  let tokenUri = '';

  async function token(body: string): Promise<{ status: number; body: string }> {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, body: JSON.stringify({ error: 'unsupported_grant_type' }) };
    const assertion = form.get('assertion') ?? '';
    try {
      const header = decodeProtectedHeader(assertion);
      const { payload } = await jwtVerify(assertion, options.publicKey, { algorithms: ['RS256'], issuer: options.clientEmail, audience: tokenUri, currentDate: new Date(now() * 1000) });
      if (payload.scope !== FCM_SCOPE) return { status: 400, body: JSON.stringify({ error: 'invalid_scope' }) };
      if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp - payload.iat > 3600) return { status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT: exp too far' }) };
      const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
      const lifetime = options.accessTokenSeconds ?? 3600;
      accessTokens.set(accessToken, now() + lifetime);
      exchanges.push({ assertionHeader: header as Record<string, unknown>, claims: payload as Record<string, unknown>, accessToken });
      return { status: 200, body: JSON.stringify({ access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' }) };
    } catch {
      return { status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }) };
    }
  }

  function send(headers: IncomingHttpHeaders, body: string): { status: number; body: string; headers?: Record<string, string>; record?: Omit<FcmRequest, 'status' | 'errorCode'> } {
    const auth = String(headers.authorization ?? '');
    const accessToken = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    let message: Record<string, any>;
    try {
      message = (JSON.parse(body) as { message: Record<string, any> }).message;
    } catch {
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.') };
    }
    const expires = accessTokens.get(accessToken);
    if (expires === undefined || expires <= now()) return { status: 401, body: googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'), record: { accessToken, message } };
    const bad = (why: string) => ({ status: 400, body: googleError(400, 'INVALID_ARGUMENT', why, 'INVALID_ARGUMENT') });
    if (!message || typeof message.token !== 'string') return bad('Recipient of the message is not set.');
    if (message.data && Object.values(message.data).some((value) => typeof value !== 'string')) return bad('Invalid value at \'message.data\': values must be strings');
    if (message.android?.priority !== undefined && !['normal', 'high'].includes(message.android.priority)) return bad('Invalid value at \'message.android.priority\'');
    if (message.android?.ttl !== undefined && !/^\d+(\.\d{1,9})?s$/.test(message.android.ttl)) return bad('Invalid value at \'message.android.ttl\'');
    if (!/^[A-Za-z0-9_:-]{32,}$/.test(message.token)) return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token', 'INVALID_ARGUMENT') };
    const record = { accessToken, message };
    const planned = answers.get(message.token);
    if (planned && (planned.times === undefined || planned.times > 0)) {
      if (planned.times !== undefined) planned.times -= 1;
      return { status: planned.status, body: googleError(planned.status, planned.rpcStatus, planned.message ?? planned.errorCode, planned.errorCode), ...(planned.retryAfter ? { headers: { 'retry-after': planned.retryAfter } } : {}), record };
    }
    return { status: 200, body: JSON.stringify({ name: `projects/${options.projectId}/messages/${randomBytes(8).toString('hex')}` }), record };
  }

  function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = String(headers[':path']);
      const reply = (status: number, text: string, extra: Record<string, string> = {}) => {
        stream.respond({ ':status': status, 'content-type': 'application/json; charset=UTF-8', ...extra });
        stream.end(text);
      };
      if (headers[':method'] !== 'POST') return reply(405, googleError(405, 'METHOD_NOT_ALLOWED', 'POST only'));
      if (path === '/token') {
        void token(body).then((r) => reply(r.status, r.body));
        return;
      }
      if (path !== `/v1/projects/${options.projectId}/messages:send`) return reply(404, googleError(404, 'NOT_FOUND', 'Requested entity was not found.'));
      const result = send(headers, body);
      if (result.record) {
        let errorCode: string | undefined;
        try {
          const error = JSON.parse(result.body).error;
          errorCode = result.status === 200 ? undefined : ((error.details[0]?.errorCode ?? error.status) as string | undefined);
        } catch {
          errorCode = undefined;
        }
        const entry: FcmRequest = { ...result.record, status: result.status, errorCode };
        requests.push(entry);
        for (const w of waiters.filter((w) => w.n === requests.length)) w.resolve(entry);
      }
      reply(result.status, result.body, result.headers);
    });
  }

  const server = createSecureServer({ key: options.ca.serverKey, cert: options.ca.serverCert });
  server.on('stream', handle);
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
  tokenUri = `${origin}/token`;
  return {
    origin,
    tokenUri,
    requests,
    exchanges,
    request: (n) => {
      const have = requests[n - 1];
      if (have) return Promise.resolve(have);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    answer: (registrationToken, answer) => answers.set(registrationToken, { ...answer }),
    revokeAccessTokens: () => accessTokens.clear(),
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
