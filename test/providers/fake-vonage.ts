import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isGsm7 } from '../../src/providers/smpp/gsm7.ts';
import { vonageSignature, type VonageSignatureMethod } from '../../src/providers/vonage/vonage-signature.ts';
import { startFakeCarrier, type FakeCarrier } from './fake-carrier.ts';

export const VONAGE_API_KEY = 'a1b2c3d4';
export const VONAGE_API_SECRET = 'test-api-secret-0123';
export const VONAGE_SIGNATURE_SECRET = 'test-signature-secret-0123456789';
/** What one part costs on the fake account. */
export const VONAGE_PART_PRICE = '0.03330000';

/** One accepted `POST /sms/json`, as the fake parsed it. */
export interface VonageRequest {
  params: Record<string, string>;
  /** How it authenticated. */
  auth: 'api_secret' | 'sig';
  /** The message ids it answered, one per part. */
  messageIds: string[];
}

/**
 * What the fake does after validating a request: `accept`; answer status 1 Throttled or 7 Number
 * Barred (HTTP 200, as Vonage does); HTTP 500; accept the first part and refuse the second with 5
 * Internal Error; or never answer.
 */
export type VonageBehaviour = 'accept' | 'throttle' | 'barred' | 'server-error' | 'partial' | 'hang';

/** A DLR as Vonage would send it to the callback it was given: a GET with a query, or a POST form or JSON. */
export interface VonageDlrRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Path and query, for app.inject. */
  path: string;
  headers: Record<string, string>;
  payload?: string;
  params: Record<string, string>;
}

export interface DlrOptions {
  errCode?: string;
  /** Unix seconds of the signature (default: now). */
  timestamp?: number;
  /** Sign with another secret; `null`: do not sign at all. */
  secret?: string | null;
  as?: 'GET' | 'POST-form' | 'POST-json';
  /** Parameters to add, or (undefined) to drop, after building and before signing. */
  extra?: Record<string, string | undefined>;
}

export interface FakeVonage extends FakeCarrier<VonageRequest, VonageBehaviour> {
  /** The signature method the fake account is set to (the dashboard's), for requests and DLRs. */
  signatureMethod: VonageSignatureMethod;
  /** The DLR Vonage sends for the part `messageId` of a message it took with a callback. */
  dlr(messageId: string, status: string, options?: DlrOptions): VonageDlrRequest;
}

/**
 * A local stand-in for Vonage's SMS API (developer.vonage.com/api/sms): `POST /sms/json` with a form,
 * authenticated by `api_key` + `api_secret` or `api_key` + `timestamp` + `sig` (the signature secret),
 * answering one entry per part (GSM-7: 160 characters alone, 153 per part; `type=unicode`: 70, 67), and
 * DLRs per part to the `callback`, signed as Vonage signs webhooks.
 */
export async function startFakeVonage(): Promise<FakeVonage> {
  const sent = new Map<string, { callback: string; clientRef: string; to: string; from: string }>();

  function answerJson(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
  const refusal = (res: ServerResponse, status: string, text: string) => answerJson(res, 200, { 'message-count': '1', messages: [{ status, 'error-text': text }] });

  function answer(base: FakeCarrier<VonageRequest, VonageBehaviour>, req: IncomingMessage, body: string, res: ServerResponse): void {
    const fake = base as FakeVonage;
    if (req.method !== 'POST' || req.url !== '/sms/json') return answerJson(res, 404, { type: 'https://developer.vonage.com/api-errors#not-found', title: 'Not Found' });
    if (req.headers['content-type']?.split(';')[0] !== 'application/x-www-form-urlencoded') return refusal(res, '2', 'Missing api_key');
    const params = Object.fromEntries(new URLSearchParams(body));
    if (params['api_key'] !== VONAGE_API_KEY) return refusal(res, '4', 'Bad Credentials');
    let auth: VonageRequest['auth'];
    if (params['sig'] !== undefined) {
      if (params['api_secret'] !== undefined) return refusal(res, '32', 'Signature and API secret disallowed');
      if (params['sig'] !== vonageSignature(params, VONAGE_SIGNATURE_SECRET, fake.signatureMethod)) return refusal(res, '14', 'Invalid Signature');
      auth = 'sig';
    } else {
      if (params['api_secret'] !== VONAGE_API_SECRET) return refusal(res, '4', 'Bad Credentials');
      auth = 'api_secret';
    }
    for (const name of ['from', 'to', 'text']) if (!params[name]) return refusal(res, '2', `Missing ${name} param`);
    const type = params['type'] ?? 'text';
    if (type !== 'text' && type !== 'unicode') return refusal(res, '3', 'Invalid type');
    // Text outside GSM-7 sent as `text` would arrive garbled: the fake refuses it so a test sees it.
    if (type === 'text' && !isGsm7(params['text'] ?? '')) return refusal(res, '6', 'Invalid Message: characters outside GSM-7 with type=text');
    if (!/^\d{7,15}$/.test(params['to'] ?? '')) return refusal(res, '3', 'Invalid to param');
    if (params['status-report-req'] === '1' && !/^https?:\/\//.test(params['callback'] ?? '')) return refusal(res, '23', 'Invalid Callback Url');
    if (fake.behaviour === 'hang') return;
    if (fake.behaviour === 'server-error') return answerJson(res, 500, { type: 'https://developer.vonage.com/api-errors#internal-error', title: 'Internal Error' });
    if (fake.behaviour === 'throttle') return refusal(res, '1', 'Throughput Rate Exceeded - please wait [ 1000 ] and retry');
    if (fake.behaviour === 'barred') return refusal(res, '7', 'Number barred.');

    const text = params['text'] ?? '';
    const [single, each] = type === 'unicode' ? [70, 67] : [160, 153];
    const length = type === 'unicode' ? text.length : [...text].reduce((n, c) => n + ('^{}\\[~]|€'.includes(c) ? 2 : 1), 0);
    const count = length <= single ? 1 : Math.ceil(length / each);
    const ids = Array.from({ length: count }, () => randomBytes(8).toString('hex').toUpperCase());
    base.received.push({ params, auth, messageIds: ids });
    for (const id of ids) sent.set(id, { callback: params['callback'] ?? '', clientRef: params['client-ref'] ?? '', to: params['to'] ?? '', from: params['from'] ?? '' });
    answerJson(res, 200, {
      'message-count': String(count),
      messages: ids.map((id, i) =>
        fake.behaviour === 'partial' && i === 1
          ? { status: '5', 'error-text': 'Internal Error' }
          : { to: params['to'], 'message-id': id, status: '0', 'remaining-balance': '15.53590000', 'message-price': VONAGE_PART_PRICE, network: '23410', ...(params['client-ref'] ? { 'client-ref': params['client-ref'] } : {}) },
      ),
    });
  }

  const fake = (await startFakeCarrier(answer)) as FakeVonage;
  fake.signatureMethod = 'sha256';
  fake.dlr = (messageId, status, options = {}): VonageDlrRequest => {
    const known = sent.get(messageId);
    if (!known?.callback) throw new Error(`the fake Vonage took no message part ${messageId} with a callback`);
    // The fields of developer.vonage.com/messaging/sms/guides/delivery-receipts, then the signed webhook's.
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const when = new Date(timestamp * 1000).toISOString().replace('T', ' ').slice(0, 19);
    const built: Record<string, string | undefined> = {
      msisdn: known.to,
      to: known.from,
      'network-code': '23410',
      messageId,
      price: VONAGE_PART_PRICE,
      status,
      scts: when.replace(/[-: ]/g, '').slice(2, 12),
      'err-code': options.errCode ?? (status === 'delivered' ? '0' : '1'),
      'api-key': VONAGE_API_KEY,
      'message-timestamp': when,
      ...(known.clientRef ? { 'client-ref': known.clientRef } : {}),
      ...(options.secret === null ? {} : { timestamp: String(timestamp), nonce: randomBytes(8).toString('hex') }),
      ...options.extra,
    };
    const params = Object.fromEntries(Object.entries(built).filter((e): e is [string, string] => e[1] !== undefined));
    if (options.secret !== null) params['sig'] = vonageSignature(params, options.secret ?? VONAGE_SIGNATURE_SECRET, fake.signatureMethod);
    const url = new URL(known.callback);
    const as = options.as ?? 'POST-json';
    if (as === 'GET') {
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      const headers: Record<string, string> = {};
      return { method: 'GET', url: url.toString(), path: `${url.pathname}${url.search}`, headers, params };
    }
    const json = as === 'POST-json';
    return {
      method: 'POST',
      url: known.callback,
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
      payload: json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
      params,
    };
  };
  return fake;
}
