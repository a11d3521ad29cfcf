import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { bandwidthVoiceRoutes } from './bandwidth-voice-routes.ts';
import { voiceRoutesApp } from '../../../test/support/voice-routes-app.ts';
import { BXML_VERBS, elements, parseVoiceXml } from '../../../test/support/voice-xml.ts';

// A gather timeout, recordings, unknown calls and refused credentials in general are in the shared
// provider contract (test/providers/provider-contract.ts); these are Bandwidth's own: BXML with the
// callback credentials, the disconnect causes, each way credentials can be wrong.

const CALLBACK_USERNAME = 'verity';
const CALLBACK_PASSWORD = 'callback-password-0123456789';
const PUBLIC_URL = 'https://verity.example.com';
const CALL = 'CL0123456789abcdef0123456789abcdef';
const CALL_ID = 'c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85';
const ACCOUNT_ID = '9900000';

const { events, logLines, inject } = voiceRoutesApp([CALL], (app, deps) =>
  bandwidthVoiceRoutes(app, { ...deps, callbackUsername: CALLBACK_USERNAME, callbackPassword: CALLBACK_PASSWORD, publicUrl: PUBLIC_URL }));

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The fields Bandwidth puts in every call event. */
function eventBody(eventType: string, callSid = CALL): Record<string, unknown> {
  return {
    eventType,
    eventTime: '2025-04-01T12:00:05.123Z',
    accountId: ACCOUNT_ID,
    applicationId: '04e88489-df02-4e34-a0ee-27a91849555f',
    from: '+15005550006',
    to: '+15551234567',
    direction: 'outbound',
    callId: CALL_ID,
    callUrl: `https://voice.bandwidth.com/api/v2/accounts/${ACCOUNT_ID}/calls/${CALL_ID}`,
    startTime: '2025-04-01T12:00:00.000Z',
    answerTime: '2025-04-01T12:00:04.000Z',
    tag: callSid,
  };
}

async function callback(callSid: string, path: string, body: Record<string, unknown>, authorization: string | null = basic(CALLBACK_USERNAME, CALLBACK_PASSWORD)): Promise<LightMyRequestResponse> {
  return inject({
    method: 'POST',
    url: `/voice/bandwidth/calls/${callSid}/${path}`,
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'BandwidthAPI/v2', ...(authorization === null ? {} : { authorization }) },
    payload: JSON.stringify(body),
  });
}

function bxml(response: LightMyRequestResponse) {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers['content-type'] as string, /^application\/xml/);
  return parseVoiceXml(response.body, BXML_VERBS);
}

test('answer: the flow\'s first instruction as BXML, gathering into the gather URL with the callback credentials', async () => {
  const root = bxml(await callback(CALL, 'answer', eventBody('answer')));
  assert.deepEqual(elements(root).map((e) => e.name), ['SpeakSentence', 'Gather']);
  const gather = elements(root)[1]!;
  assert.equal(gather.attributes['gatherUrl'], `${PUBLIC_URL}/voice/bandwidth/calls/${CALL}/gather`);
  assert.equal(gather.attributes['username'], CALLBACK_USERNAME);
  assert.equal(gather.attributes['password'], CALLBACK_PASSWORD);
  assert.deepEqual(events.reported, [{ event: 'answered', callSid: CALL }]);
});

test('gather: the digits go to the flow; a record instruction points at the record URL', async () => {
  const root = bxml(await callback(CALL, 'gather', { ...eventBody('gather'), digits: '123456', terminatingDigit: '#' }));
  assert.deepEqual(elements(root).map((e) => e.name), ['SpeakSentence', 'Record']);
  assert.equal(elements(root)[1]?.attributes['recordCompleteUrl'], `${PUBLIC_URL}/voice/bandwidth/calls/${CALL}/record`);
  assert.deepEqual(events.reported, [{ event: 'digits', callSid: CALL, digits: '123456' }]);
});

test('disconnect: each cause maps to how the call ended', async () => {
  const causes: [string, string, string | undefined][] = [
    ['hangup', 'completed', undefined],
    ['busy', 'busy', undefined],
    ['timeout', 'no-answer', undefined],
    ['cancel', 'canceled', undefined],
    ['rejected', 'rejected', undefined],
    ['error', 'failed', 'Service unavailable'],
    ['application-error', 'failed', 'Invalid BXML'],
    ['something-new', 'failed', undefined],
  ];
  for (const [cause, , errorMessage] of causes) {
    const body = { ...eventBody('disconnect'), endTime: '2025-04-01T12:01:00.000Z', cause, ...(errorMessage ? { errorMessage, errorId: 'e-1' } : {}) };
    const response = await callback(CALL, 'disconnect', body);
    assert.equal(response.statusCode, 204);
  }
  assert.deepEqual(events.reported, causes.map(([cause, how, errorMessage]) => ({
    event: 'ended', callSid: CALL, how, detail: errorMessage ? `${cause}: ${errorMessage}` : cause,
  })));
});

test('wrong or missing credentials are refused with 401, WWW-Authenticate and error 20003', async () => {
  const wrong = [
    basic(CALLBACK_USERNAME, 'callback-password-012345678'),
    basic(CALLBACK_USERNAME, `${CALLBACK_PASSWORD}x`),
    basic('bandwidth', CALLBACK_PASSWORD),
    basic(`${CALLBACK_USERNAME}:${CALLBACK_PASSWORD}`, ''),
    `Bearer ${CALLBACK_PASSWORD}`,
    'Basic !!!',
    null,
  ];
  for (const authorization of wrong) {
    const response = await callback(CALL, 'gather', { ...eventBody('gather'), digits: '123456' }, authorization);
    assert.equal(response.statusCode, 401, String(authorization));
    assert.match(response.headers['www-authenticate'] as string, /^Basic/);
    assert.deepEqual(response.json(), {
      code: 20003,
      message: 'Bandwidth callbacks must carry the configured callback credentials (HTTP Basic)',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  }
  assert.deepEqual(events.reported, []);
  const warnings = logLines.filter((l) => l['level'] === 40);
  assert.equal(warnings.length, wrong.length);
  const logged = JSON.stringify(logLines);
  for (const secret of ['callback-password', '123456', Buffer.from(`${CALLBACK_USERNAME}:callback`).toString('base64').slice(0, 12)]) {
    assert.equal(logged.includes(secret), false, `the log shows ${secret}`);
  }
});
