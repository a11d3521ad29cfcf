import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicCredentials } from '../../src/net/basic-credentials.ts';
import { startFakeCarrier, type FakeCarrier } from './fake-carrier.ts';

export const PLIVO_AUTH_ID = 'MAXXXXXXXXXXXXXXXXXX';
export const PLIVO_AUTH_TOKEN = 'test-plivo-auth-token-0123456789';

export interface PlivoRequest {
  path: string;
  body: Record<string, unknown>;
  /** The ids the fake gave the message, one per part. */
  uuids: string[];
}

/** What the fake does after validating a request; `accept` is the normal answer. */
export type PlivoBehaviour = 'accept' | 'rate-limit' | 'server-error' | 'echo-body-400' | 'hang';

/** A status callback as Plivo sends it: the form body and the headers that sign it. */
export interface PlivoCallback {
  /** The path of the message's `url` (what Verity's app is asked for). */
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface FakePlivo extends FakeCarrier<PlivoRequest, PlivoBehaviour> {
  /**
   * The status callback Plivo would send to the `url` of the message with this uuid (or any URL
   * given), signed with X-Plivo-Signature-V3 by `token` (the account's by default).
   */
  callback(uuid: string, status: string, options?: { errorCode?: string; token?: string; url?: string; extra?: Record<string, string>; omit?: string[] }): PlivoCallback;
}

/**
 * A local stand-in for Plivo's Message API (`POST /v1/Account/{auth_id}/Message/`, HTTP Basic),
 * checking what Plivo requires (`src` or `powerpack_uuid`, `dst`, `text`, a `url` with
 * `method`), answering 202 with one `message_uuid` per 153-character part as Plivo documents it,
 * and `{api_id, error}` on failures. Its status callbacks are form-encoded and signed the way
 * Plivo's SDKs check them (X-Plivo-Signature-V3: HMAC-SHA256 of URL + "?" + sorted name+value
 * pairs + "." + nonce), written out here on its own rather than with Verity's code.
 */
export async function startFakePlivo(): Promise<FakePlivo> {
  const sent = new Map<string, { url: string; body: Record<string, unknown>; units: number }>();

  function plivoError(res: ServerResponse, status: number, error: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ api_id: randomUUID(), error }));
  }

  function answer(fake: FakeCarrier<PlivoRequest, PlivoBehaviour>, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const given = basicCredentials(req.headers.authorization);
    if (!given || given.username !== PLIVO_AUTH_ID || given.password !== PLIVO_AUTH_TOKEN) return plivoError(res, 401, 'authentication failed');
    if (req.method !== 'POST' || req.url !== `/v1/Account/${PLIVO_AUTH_ID}/Message/`) return plivoError(res, 404, 'not found');
    if (req.headers['content-type']?.split(';')[0] !== 'application/json') return plivoError(res, 400, 'content type must be application/json');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return plivoError(res, 400, 'invalid JSON');
    }
    if (typeof body['src'] !== 'string' && typeof body['powerpack_uuid'] !== 'string') return plivoError(res, 400, 'src parameter not present');
    if (typeof body['dst'] !== 'string' || body['dst'] === '') return plivoError(res, 400, 'dst parameter not present');
    if (typeof body['text'] !== 'string' || body['text'] === '') return plivoError(res, 400, 'text parameter not present');
    if (body['url'] !== undefined && (typeof body['url'] !== 'string' || !/^https?:\/\//.test(body['url']))) return plivoError(res, 400, 'url is not a valid URL');
    if (body['method'] !== undefined && body['method'] !== 'POST' && body['method'] !== 'GET') return plivoError(res, 400, 'method must be GET or POST');
    const text = body['text'];
    const units = text.length <= 160 ? 1 : Math.ceil(text.length / 153);
    const uuids = Array.from({ length: units }, () => randomUUID());
    fake.received.push({ path: req.url, body, uuids });
    if (fake.behaviour === 'hang') return;
    if (fake.behaviour === 'rate-limit') return plivoError(res, 429, 'too many requests');
    if (fake.behaviour === 'server-error') return plivoError(res, 500, 'internal server error');
    if (fake.behaviour === 'echo-body-400') return plivoError(res, 400, `text "${text}" contains blocked content`);
    for (const uuid of uuids) sent.set(uuid, { url: typeof body['url'] === 'string' ? body['url'] : '', body, units });
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ api_id: randomUUID(), message: 'message(s) queued', message_uuid: uuids }));
  }

  const fake = (await startFakeCarrier(answer)) as FakePlivo;
  fake.callback = (uuid, status, options = {}) => {
    const message = sent.get(uuid);
    const url = options.url ?? message?.url ?? 'https://verity.example.com/messaging/plivo/status';
    const params: Record<string, string> = {
      From: String(message?.body['src'] ?? ''),
      To: String(message?.body['dst'] ?? '+15551234567').replace(/^\+/, ''),
      MessageUUID: uuid,
      ParentMessageUUID: uuid,
      PartInfo: '1 of 1',
      Status: status,
      Type: 'sms',
      Units: '1',
      TotalRate: '0.00650',
      TotalAmount: '0.00650',
      MCC: '310',
      MNC: '260',
      ErrorCode: options.errorCode ?? '',
      Sequence: '2',
      ...options.extra,
    };
    for (const name of options.omit ?? []) delete params[name];
    const nonce = String(BigInt(`0x${randomBytes(8).toString('hex')}`));
    const names = Object.keys(params).sort();
    const signed = `${url}?${names.map((name) => `${name}${params[name]}`).join('')}.${nonce}`;
    const signature = createHmac('sha256', options.token ?? PLIVO_AUTH_TOKEN).update(signed).digest('base64');
    return {
      path: new URL(url).pathname,
      body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': nonce, 'user-agent': 'PlivoHTTP' },
    };
  };
  return fake;
}
