import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import type twilio from 'twilio';
import { formBody, twilioSignature, twilioWebhookParams } from './twilio-webhook-format.ts';

const lib = createRequire(import.meta.url)('twilio') as typeof twilio;

const challengeEvent = {
  sid: 'EV0123456789abcdef0123456789abcdef',
  type: 'challenge.approved',
  accountSid: 'AC0123456789abcdef0123456789abcdef',
  serviceSid: 'VA0123456789abcdef0123456789abcdef',
  payload: {
    entity_identity: 'ff483d1ff591898a9942916050d2ca3f',
    factor_sid: 'YF0123456789abcdef0123456789abcdef',
    factor_type: 'push',
    factor_friendly_name: 'Zoë’s phone',
    factor_status: 'verified',
    challenge_sid: 'YC0123456789abcdef0123456789abcdef',
    challenge_status: 'approved',
    challenge_details: { message: 'Pay €12 & more?', fields: [{ label: 'Amount', value: '€12' }] },
    challenge_hidden_details: null,
    challenge_metadata: { os: 'Android' },
  },
};

it('signs exactly as the installed twilio client expects (sorted names, the URL with its query, UTF-8)', () => {
  const token = '12345678901234567890123456789012';
  const url = 'https://app.example.com/hooks/verify?tenant=acme&b=%20x';
  const params = twilioWebhookParams(challengeEvent, 'v2');
  assert.equal(twilioSignature(token, url, params), lib.getExpectedTwilioSignature(token, url, params));
  // Upper-case names sort before lower-case ones, as in the client (code-unit order).
  const mixed = { b: '1', B: '2', a_b: '3', aB: '4' };
  assert.equal(twilioSignature(token, url, mixed), lib.getExpectedTwilioSignature(token, url, mixed));
  // The body a receiver parses back gives the same parameters.
  assert.deepEqual(Object.fromEntries(new URLSearchParams(formBody(params))), params);
  assert.equal(lib.validateRequest(token, twilioSignature(token, url, params), url, Object.fromEntries(new URLSearchParams(formBody(params)))), true);
});

it('sends Twilio\'s documented parameters for push events, per Version, and nothing else', () => {
  const v2 = twilioWebhookParams(challengeEvent, 'v2');
  assert.deepEqual(Object.keys(v2).sort(), ['account_sid', 'challenge_details', 'challenge_metadata', 'challenge_sid', 'challenge_status', 'entity_identity', 'factor_friendly_name', 'factor_sid', 'factor_type', 'service_sid', 'type', 'uuid']);
  assert.equal(v2.uuid, challengeEvent.sid);
  assert.deepEqual(JSON.parse(v2.challenge_details ?? ''), challengeEvent.payload.challenge_details);
  const v1 = twilioWebhookParams(challengeEvent, 'v1');
  assert.equal('challenge_metadata' in v1, false);
  assert.equal('factor_status' in v2, false, 'Verity\'s own field is not added to a Twilio event');
});

it('flattens Verity\'s own events: scalars as text, objects and arrays as JSON text; the envelope fields win', () => {
  const params = twilioWebhookParams(
    { sid: 'EV1', type: 'verification.approved', accountSid: 'AC1', serviceSid: 'VA1', payload: { sid: 'VE1', valid: true, check_attempts: 2, lookup: {}, sna_attempts_error_codes: [], amount: null, type: 'spoofed', service_sid: 'VA-other' } },
    'v2',
  );
  assert.deepEqual(params, { uuid: 'EV1', type: 'verification.approved', account_sid: 'AC1', service_sid: 'VA1', sid: 'VE1', valid: 'true', check_attempts: '2', lookup: '{}', sna_attempts_error_codes: '[]' });
});
