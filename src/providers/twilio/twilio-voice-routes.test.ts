import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import twilio from 'twilio';
import { twilioVoiceRoutes } from './twilio-voice-routes.ts';
import { voiceRoutesApp } from '../../../test/support/voice-routes-app.ts';
import { TWIML_VERBS, elements, parseVoiceXml } from '../../../test/support/voice-xml.ts';

const AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';
const PUBLIC_URL = 'https://verity.example.com';
// A gather timeout, recordings (downloaded, absent, undownloadable), unknown calls and a forged
// signature's refusal are in the shared provider contract (test/providers/provider-contract.ts);
// these are Twilio's own: TwiML, the CallStatus values, the signature's exact coverage.

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const CALL = 'CL0123456789abcdef0123456789abcdef';
const UNKNOWN = 'CLffffffffffffffffffffffffffffffff';
const PROVIDER_CALL = `CA${'5a'.repeat(16)}`;

const { events, logLines, inject } = voiceRoutesApp([CALL], (app, deps) => twilioVoiceRoutes(app, { ...deps, authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL }));

/** The parameters Twilio sends on every voice webhook of an outbound API call. */
function callParams(status: string): Record<string, string> {
  return {
    AccountSid: ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: PROVIDER_CALL,
    CallStatus: status,
    Called: '+15551234567',
    CalledCity: 'SAN FRANCISCO',
    CalledCountry: 'US',
    CalledState: 'CA',
    CalledZip: '94105',
    Caller: '+15005550006',
    CallerCountry: 'US',
    Direction: 'outbound-api',
    From: '+15005550006',
    To: '+15551234567',
    ToCountry: 'US',
  };
}

/** A webhook as Twilio sends it: form-encoded, signed over the public URL and the parameters. */
async function webhook(path: string, params: Record<string, string>, signature?: string): Promise<LightMyRequestResponse> {
  const sig = signature ?? twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path}`, params);
  return inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
      'x-twilio-signature': sig,
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': 'ab12cd34-0000-0000-0000-000000000000',
    },
    payload: new URLSearchParams(params).toString(),
  });
}

function twiml(response: LightMyRequestResponse) {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers['content-type'] as string, /^text\/xml/);
  return parseVoiceXml(response.body, TWIML_VERBS);
}

test('answer: the flow\'s first instruction as TwiML, gathering into the gather URL', async () => {
  const response = await webhook(`/voice/twilio/calls/${CALL}/answer`, callParams('in-progress'));
  const root = twiml(response);
  assert.deepEqual(elements(root).map((e) => e.name), ['Say', 'Gather']);
  assert.equal(elements(root)[1]?.attributes['action'], `${PUBLIC_URL}/voice/twilio/calls/${CALL}/gather`);
  assert.deepEqual(events.reported, [{ event: 'answered', callSid: CALL }]);
});

test('gather: the digits go to the flow; a record instruction points at the record URL', async () => {
  const response = await webhook(`/voice/twilio/calls/${CALL}/gather`, { ...callParams('in-progress'), Digits: '123456', FinishedOnKey: '#', msg: 'Gather End' });
  const root = twiml(response);
  assert.deepEqual(elements(root).map((e) => e.name), ['Say', 'Record', 'Redirect']);
  assert.equal(elements(root)[1]?.attributes['action'], `${PUBLIC_URL}/voice/twilio/calls/${CALL}/record`);
  assert.deepEqual(events.reported, [{ event: 'digits', callSid: CALL, digits: '123456' }]);
});

test('status: ringing and each final status reach the flow; the rest are ignored', async () => {
  const statuses: [string, string | undefined][] = [
    ['queued', undefined], ['initiated', undefined], ['ringing', 'ringing'], ['in-progress', undefined],
    ['completed', 'completed'], ['busy', 'busy'], ['no-answer', 'no-answer'], ['failed', 'failed'], ['canceled', 'canceled'],
  ];
  for (const [status] of statuses) {
    const response = await webhook(`/voice/twilio/calls/${CALL}/status`, {
      ...callParams(status),
      CallbackSource: 'call-progress-events',
      SequenceNumber: '0',
      Timestamp: 'Tue, 01 Apr 2025 12:00:00 +0000',
      ...(status === 'busy' ? { SipResponseCode: '486' } : {}),
    });
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');
  }
  assert.deepEqual(events.reported, [
    { event: 'ringing', callSid: CALL },
    { event: 'ended', callSid: CALL, how: 'completed', detail: 'completed' },
    { event: 'ended', callSid: CALL, how: 'busy', detail: 'busy (SIP 486)' },
    { event: 'ended', callSid: CALL, how: 'no-answer', detail: 'no-answer' },
    { event: 'ended', callSid: CALL, how: 'failed', detail: 'failed' },
    { event: 'ended', callSid: CALL, how: 'canceled', detail: 'canceled' },
  ]);
});

test('a forged, stale or missing signature is refused with 403 and error 20003, and the flow never hears of it', async () => {
  const params = { ...callParams('in-progress'), Digits: '123456' };
  const path = `/voice/twilio/calls/${CALL}/gather`;
  const forged = [
    twilio.getExpectedTwilioSignature('some-other-token-0123456789', `${PUBLIC_URL}${path}`, params),
    // Signed for another call's URL (a replay against this call).
    twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/voice/twilio/calls/${UNKNOWN}/gather`, params),
    // Signed before the digits were changed.
    twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path}`, { ...params, Digits: '000000' }),
    // Signed over the http:// URL.
    twilio.getExpectedTwilioSignature(AUTH_TOKEN, `http://verity.example.com${path}`, params),
    '',
  ];
  for (const signature of forged) {
    const response = await webhook(path, params, signature);
    assert.equal(response.statusCode, 403);
    assert.deepEqual(response.json(), { code: 20003, message: 'The X-Twilio-Signature header is missing or does not match the request', more_info: 'https://www.twilio.com/docs/errors/20003', status: 403 });
  }
  const missing = await inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(params).toString() });
  assert.equal(missing.statusCode, 403);
  assert.deepEqual(events.reported, []);

  const warnings = logLines.filter((l) => l['level'] === 40);
  assert.equal(warnings.length, forged.length + 1);
  const logged = JSON.stringify(logLines);
  for (const secret of [...forged.filter(Boolean), '123456', '+15551234567']) assert.equal(logged.includes(secret), false, `the log shows ${secret}`);
});

test('the signature also holds with the default port in the public URL', async () => {
  const path = `/voice/twilio/calls/${CALL}/answer`;
  const params = callParams('in-progress');
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `https://verity.example.com:443${path}`, params);
  twiml(await webhook(path, params, signature));
});

test('a query string is part of the signed URL', async () => {
  const path = `/voice/twilio/calls/${CALL}/answer?attempt=2`;
  const params = callParams('in-progress');
  twiml(await webhook(path, params));
  const unsignedQuery = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/voice/twilio/calls/${CALL}/answer`, params);
  assert.equal((await webhook(path, params, unsignedQuery)).statusCode, 403);
});
