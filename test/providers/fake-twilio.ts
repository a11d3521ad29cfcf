import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicCredentials } from '../../src/net/basic-credentials.ts';
import twilio from 'twilio';
import { startFakeCarrier, type FakeCarrier } from './fake-carrier.ts';

export const TWILIO_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TWILIO_AUTH_TOKEN = 'test-auth-token-0123456789';
export const TWILIO_API_KEY_SID = `SK${'fedcba9876543210'.repeat(2)}`;
export const TWILIO_API_KEY_SECRET = 'test-api-key-secret-0123';

export interface TwilioRequest {
  method: string;
  path: string;
  /** `Messages` or `Calls` for a create, `Call` for an update, `Recording` for a download. */
  resource: 'Messages' | 'Calls' | 'Call' | 'Recording';
  form: URLSearchParams;
}

/** What the fake does after validating a request; `accept` is the normal answer. */
export type TwilioBehaviour = 'accept' | 'rate-limit' | 'server-error' | 'echo-body-400' | 'call-over' | 'hang';

/** A status callback as Twilio would POST it: to the StatusCallback URL it was given, form-encoded, signed. */
export interface TwilioCallback {
  url: string;
  /** `url`'s path (what an app.inject needs). */
  path: string;
  headers: { 'content-type': string; 'x-twilio-signature': string };
  params: Record<string, string>;
  payload: string;
}

export interface FakeTwilio extends FakeCarrier<TwilioRequest, TwilioBehaviour> {
  /**
   * The status callback Twilio sends for the message `sid` (created here with a StatusCallback):
   * MessageStatus `status`, ErrorCode when given, signed with `authToken` (default the account's).
   * Calls created with a StatusCallback get a CallStatus callback instead.
   */
  statusCallback(sid: string, status: string, options?: { errorCode?: string; authToken?: string; extra?: Record<string, string | undefined> }): TwilioCallback;
}

/**
 * A local stand-in for the Twilio REST API that validates requests the way Twilio does, for the
 * parts Verity uses: Messages and Calls (create with Url or inline Twiml, update with Status) and
 * recording media, with HTTP Basic of the account SID or an API key.
 */
export async function startFakeTwilio(): Promise<FakeTwilio> {
  const credentials = new Map([[TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN], [TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET]]);
  const calls = new Map<string, string>();
  /** Each created message or call with a StatusCallback: its callback URL and what Twilio echoes in callbacks. */
  const callbacks = new Map<string, { url: string; to: string; from: string }>();

  function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  }

  function answer(fake: FakeCarrier<TwilioRequest, TwilioBehaviour>, req: IncomingMessage, body: string, res: ServerResponse): void {
    const path = req.url ?? '';

    const given = basicCredentials(req.headers.authorization);
    if (!given || credentials.get(given.username) !== given.password) {
      return twilioError(res, 401, 20003, 'Authenticate');
    }

    const recording = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})\.wav$/.exec(path);
    if (req.method === 'GET' && recording) {
      fake.received.push({ method: 'GET', path, resource: 'Recording', form: new URLSearchParams() });
      if (fake.recordingMissingFor > 0) {
        fake.recordingMissingFor--;
        return twilioError(res, 404, 20404, 'The requested resource was not found');
      }
      res.writeHead(200, { 'content-type': 'audio/x-wav' });
      res.end(fake.wav);
      return;
    }

    const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/(?:(Messages)\.json|Calls(?:\/(CA[0-9a-f]{32}))?\.json)$/.exec(path);
    if (req.method !== 'POST' || !match) return twilioError(res, 404, 20404, 'The requested resource was not found');
    if (match[1] !== TWILIO_ACCOUNT_SID) return twilioError(res, 403, 20003, 'Permission denied');
    if (req.headers['content-type']?.split(';')[0] !== 'application/x-www-form-urlencoded') {
      return twilioError(res, 400, 20001, 'Unsupported content type');
    }
    const form = new URLSearchParams(body);
    const callSid = match[3];
    const resource = match[2] === 'Messages' ? 'Messages' : callSid === undefined ? 'Calls' : 'Call';
    if (resource === 'Messages') {
      if (!form.get('To')) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
      if (!form.get('Body')) return twilioError(res, 400, 21602, 'Message body is required.');
      if (!form.get('From') && !form.get('MessagingServiceSid')) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    } else if (resource === 'Calls') {
      if (!form.get('To')) return twilioError(res, 400, 21201, "No 'To' number is specified");
      if (!form.get('From')) return twilioError(res, 400, 21213, "No 'From' number is specified");
      if (!form.get('Url') && !form.get('Twiml')) return twilioError(res, 400, 21205, 'Url parameter is required.');
    }
    fake.received.push({ method: 'POST', path, resource, form });
    if (fake.behaviour === 'hang') return; // never answers
    if (fake.behaviour === 'rate-limit') return twilioError(res, 429, 20429, 'Too Many Requests');
    if (fake.behaviour === 'server-error') return twilioError(res, 500, 20500, 'Internal Server Error');

    if (resource === 'Call') {
      // Update: only Status=completed|canceled is used by Verity.
      if (!calls.has(callSid ?? '')) return twilioError(res, 404, 20404, 'The requested resource was not found');
      if (!['completed', 'canceled'].includes(form.get('Status') ?? '')) return twilioError(res, 400, 21218, 'Invalid Status');
      if (fake.behaviour === 'call-over') return twilioError(res, 400, 21220, 'Call is not in-progress. Cannot redirect.');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: callSid, status: 'completed' }));
      return;
    }
    if (fake.behaviour === 'echo-body-400') return twilioError(res, 400, 21617, `The concatenated message body exceeds the 1600 character limit: ${form.get('Body')}`);
    const sid = `${resource === 'Messages' ? 'SM' : 'CA'}${randomBytes(16).toString('hex')}`;
    if (resource === 'Calls') calls.set(sid, form.get('To') ?? '');
    const statusCallback = form.get('StatusCallback');
    if (statusCallback) {
      if (!/^https?:\/\//.test(statusCallback)) return twilioError(res, 400, 21609, 'Invalid StatusCallback URL');
      callbacks.set(sid, { url: statusCallback, to: form.get('To') ?? '', from: form.get('From') ?? form.get('MessagingServiceSid') ?? '' });
    }
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sid, account_sid: TWILIO_ACCOUNT_SID, to: form.get('To'), status: 'queued' }));
  }

  const fake = (await startFakeCarrier(answer)) as FakeTwilio;
  fake.statusCallback = (sid, status, options = {}) => {
    const known = callbacks.get(sid);
    if (!known) throw new Error(`the fake Twilio created no message or call ${sid} with a StatusCallback`);
    // The parameters of twilio.com/docs/messaging/guides/track-outbound-message-status (and, for a
    // call, of the Calls StatusCallback), in the order Twilio sends them; signed by the official
    // twilio package, not by the code under test.
    const base: Record<string, string | undefined> = sid.startsWith('CA')
      ? { Called: known.to, CallSid: sid, CallStatus: status, AccountSid: TWILIO_ACCOUNT_SID, Direction: 'outbound-api', To: known.to, From: known.from, ApiVersion: '2010-04-01' }
      : {
          ...(options.errorCode ? { ErrorCode: options.errorCode } : {}),
          SmsSid: sid,
          SmsStatus: status,
          MessageStatus: status,
          To: known.to,
          MessageSid: sid,
          AccountSid: TWILIO_ACCOUNT_SID,
          From: known.from,
          ApiVersion: '2010-04-01',
        };
    const params = Object.fromEntries(Object.entries({ ...base, ...options.extra }).filter((e): e is [string, string] => e[1] !== undefined));
    const url = new URL(known.url);
    return {
      url: known.url,
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(options.authToken ?? TWILIO_AUTH_TOKEN, known.url, params) },
      params,
      payload: new URLSearchParams(params).toString(),
    };
  };
  return fake;
}

/** An origin where nothing listens: a request to it is refused before it is sent. */
export async function closedPortBase(): Promise<string> {
  // A port below the range the system hands out for port 0 (so, unlike a port 0 server closed again,
  // no other test process's server can get it meanwhile), unassigned, and not one fetch refuses to use.
  return 'http://127.0.0.1:47';
}
