import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeCarrier, type FakeCarrier } from './fake-carrier.ts';

export const TELNYX_API_KEY = 'KEY0123456789ABCDEF_test-telnyx-key';

export interface TelnyxRequest {
  path: string;
  body: Record<string, unknown>;
  /** The id the fake gave the message. */
  id: string;
}

/** What the fake does after validating a request; `accept` is the normal answer. */
export type TelnyxBehaviour = 'accept' | 'rate-limit' | 'server-error' | 'echo-body-422' | 'hang';

/** A message webhook as Telnyx sends it: the exact bytes and the headers that sign them. */
export interface TelnyxWebhook {
  body: string;
  headers: Record<string, string>;
}

export interface FakeTelnyx extends FakeCarrier<TelnyxRequest, TelnyxBehaviour> {
  /** The account's webhook public key as the portal shows it (base64 of the raw 32 bytes). */
  readonly publicKey: string;
  /**
   * A `message.sent` / `message.finalized` webhook for a message the fake accepted, signed at
   * `timestampSeconds` with the account key (or `key`, to forge one).
   */
  webhook(id: string, status: string, options: { timestampSeconds: number; errors?: { code: string; title: string }[]; key?: KeyObject }): TelnyxWebhook;
  /** The base64 signature of any bytes with the account key (for webhooks with hand-made bodies). */
  sign(signed: string): string;
}

/**
 * A local stand-in for Telnyx's Messaging API v2 (`POST /v2/messages`, Bearer API key), validating
 * what Telnyx documents as required (`to`, `text`, a `from` or `messaging_profile_id`), answering
 * its `data` object (id, parts, cost, to[].status `queued`) and its `errors` array on failures, and
 * signing message webhooks the way Telnyx does: Ed25519 over `${timestamp}|${body}` with a key pair
 * generated here (the test configures Verity with `publicKey`).
 */
export async function startFakeTelnyx(): Promise<FakeTelnyx> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The raw key is the last 32 bytes of its SPKI encoding (RFC 8410 §4).
  const rawPublicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
  const messages = new Map<string, Record<string, unknown>>();

  function telnyxError(res: ServerResponse, status: number, code: string, title: string, detail: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code, title, detail }] }));
  }

  function answer(fake: FakeCarrier<TelnyxRequest, TelnyxBehaviour>, req: IncomingMessage, raw: string, res: ServerResponse): void {
    if (req.headers.authorization !== `Bearer ${TELNYX_API_KEY}`) return telnyxError(res, 401, '10009', 'Authentication failed', 'Could not understand the provided credentials.');
    if (req.method !== 'POST' || req.url !== '/v2/messages') return telnyxError(res, 404, '10005', 'Resource not found', 'The requested resource or URL could not be found.');
    if (req.headers['content-type']?.split(';')[0] !== 'application/json') return telnyxError(res, 400, '10015', 'Bad Request', 'The request body must be JSON.');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return telnyxError(res, 400, '10015', 'Bad Request', 'The request body is not valid JSON.');
    }
    if (typeof body['to'] !== 'string' || !/^\+\d{6,15}$/.test(body['to'])) return telnyxError(res, 422, '40310', 'Invalid \'to\' address', 'The \'to\' address should be E.164.');
    if (typeof body['text'] !== 'string' || body['text'] === '') return telnyxError(res, 422, '40004', 'Invalid text', 'text must not be empty');
    if (typeof body['from'] !== 'string' && typeof body['messaging_profile_id'] !== 'string') return telnyxError(res, 422, '40305', 'Invalid \'from\' address', 'from or messaging_profile_id is required');
    const id = randomUUID();
    fake.received.push({ path: req.url, body, id });
    if (fake.behaviour === 'hang') return;
    if (fake.behaviour === 'rate-limit') return telnyxError(res, 429, '10011', 'Too many requests', 'Rate limit exceeded.');
    if (fake.behaviour === 'server-error') return telnyxError(res, 500, '10007', 'Unexpected error', 'An unexpected error occurred.');
    if (fake.behaviour === 'echo-body-422') return telnyxError(res, 422, '40002', 'Blocked as spam', `Message "${body['text']}" was blocked`);
    const parts = Math.max(1, Math.ceil((body['text'] as string).length / 153));
    const message = {
      record_type: 'message',
      direction: 'outbound',
      id,
      type: 'SMS',
      messaging_profile_id: body['messaging_profile_id'] ?? null,
      from: { phone_number: body['from'] ?? null },
      to: [{ phone_number: body['to'], status: 'queued', carrier: 'T-MOBILE USA, INC.', line_type: 'Wireless' }],
      text: body['text'],
      webhook_url: body['webhook_url'] ?? null,
      parts,
      cost: { amount: (0.004 * parts).toFixed(4), currency: 'USD' },
      errors: [],
    };
    messages.set(id, message);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: message }));
  }

  const fake = (await startFakeCarrier(answer)) as FakeTelnyx;
  Object.assign(fake, {
    publicKey: rawPublicKey,
    sign: (signed: string) => sign(null, Buffer.from(signed, 'utf8'), privateKey).toString('base64'),
    webhook(id: string, status: string, options: { timestampSeconds: number; errors?: { code: string; title: string }[]; key?: KeyObject }): TelnyxWebhook {
      const message = messages.get(id) ?? { id, to: [{ phone_number: '+15550000000' }], cost: null };
      const recipient = (message['to'] as Record<string, unknown>[])[0];
      const occurredAt = new Date(options.timestampSeconds * 1000).toISOString();
      const event = {
        data: {
          event_type: status === 'sent' ? 'message.sent' : 'message.finalized',
          id: randomUUID(),
          occurred_at: occurredAt,
          payload: { ...message, to: [{ ...recipient, status }], errors: options.errors ?? [], completed_at: status === 'sent' ? null : occurredAt },
          record_type: 'event',
        },
        meta: { attempt: 1, delivered_to: message['webhook_url'] ?? null },
      };
      const body = JSON.stringify(event);
      const timestamp = String(options.timestampSeconds);
      const signature = sign(null, Buffer.from(`${timestamp}|${body}`, 'utf8'), options.key ?? privateKey).toString('base64');
      return { body, headers: { 'content-type': 'application/json', 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': timestamp, 'user-agent': 'telnyx-webhooks' } };
    },
  });
  return fake;
}
