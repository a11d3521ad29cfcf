import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KANNEL_PASSWORD, KANNEL_USERNAME, startFakeKannel, type FakeKannel } from '../../../test/providers/fake-kannel.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import type { OutboundMessage } from '../provider.ts';
import { createKannelProvider } from './kannel-provider.ts';

const message = (body: string, attemptId = 'VL0123456789abcdef0123456789abcdef'): OutboundMessage => ({
  channel: 'sms',
  to: '+15551234567',
  body,
  locale: 'en',
  verificationSid: 'VE00000000000000000000000000000001',
  attemptId,
});

describe('Kannel provider: sendsms', () => {
  let kannel: FakeKannel;
  const provider = (smsc?: string) =>
    createKannelProvider({ sendsmsUrl: kannel.sendsmsUrl, username: KANNEL_USERNAME, password: KANNEL_PASSWORD, from: 'Verity', smsc, dlrUrl: (id) => `https://v.example/messaging/kannel/dlr?attempt=${id}&type=%d` });
  before(async () => void (kannel = await startFakeKannel()));
  after(() => kannel.close());
  beforeEach(() => kannel.reset());

  it('sends GSM text with coding 0, asks for every report type at the attempt\'s dlr-url, and names the attempt', async () => {
    const receipt = await provider('smpp-eu').send(message('Your code is 123456 {€}'));
    assert.deepEqual(receipt, { providerMessageId: 'VL0123456789abcdef0123456789abcdef', parts: 1, status: 'queued' });
    const q = kannel.received[0]?.query;
    assert.deepEqual(Object.fromEntries(q ?? []), {
      username: KANNEL_USERNAME,
      password: KANNEL_PASSWORD,
      from: 'Verity',
      to: '+15551234567',
      text: 'Your code is 123456 {€}',
      charset: 'UTF-8',
      coding: '0',
      'dlr-mask': '31',
      'dlr-url': 'https://v.example/messaging/kannel/dlr?attempt=VL0123456789abcdef0123456789abcdef&type=%d',
      smsc: 'smpp-eu',
    });
  });

  it('sends text outside GSM-7 as UCS-2 (coding 2) and counts its parts', async () => {
    const receipt = await provider().send(message('Ваш код 123456. '.repeat(5)));
    assert.equal(kannel.received[0]?.query.get('coding'), '2');
    assert.equal(kannel.received[0]?.query.has('smsc'), false);
    assert.equal(receipt.parts, 2);
  });

  it('"3: Queued for later delivery" (the SMSC is down) is accepted: Kannel keeps it', async () => {
    kannel.behaviour = 'queue';
    assert.equal((await provider().send(message('Your code is 1'))).status, 'queued');
  });

  it('classifies refusals: only 503 (Kannel did not keep it) is retryable', async () => {
    const cases: Array<[FakeKannel['behaviour'], boolean, RegExp]> = [
      ['temporary', true, /503: Temporal failure/],
      ['not-routable', false, /403: Not routable/],
      ['sending-failed', false, /500: Sending failed/],
    ];
    for (const [behaviour, retryable, text] of cases) {
      kannel.behaviour = behaviour;
      const error = await rejection(provider().send(message('Your code is 1')));
      assert.equal(error.retryable, retryable, behaviour);
      assert.match(error.message, text);
    }
    const wrong = createKannelProvider({ sendsmsUrl: kannel.sendsmsUrl, username: KANNEL_USERNAME, password: 'wrong', from: 'Verity', dlrUrl: () => 'https://v.example/dlr' });
    const error = await rejection(wrong.send(message('Your code is 1')));
    assert.equal(error.retryable, false);
    assert.match(error.message, /403: Authorization failed for sendsms/);
  });

  it('a Kannel that takes the request and never answers fails after the time-out, not retryable', async () => {
    kannel.behaviour = 'hang';
    const slow = createKannelProvider({ sendsmsUrl: kannel.sendsmsUrl, username: KANNEL_USERNAME, password: KANNEL_PASSWORD, from: 'V', timeoutMs: 200, dlrUrl: () => 'https://v.example/dlr' });
    const error = await rejection(slow.send(message('Your code is 1')));
    assert.equal(error.retryable, false);
    assert.match(error.message, /request failed/);
  });

  it('refuses other channels and attempt ids a dlr-url cannot carry, without retrying', async () => {
    assert.equal((await rejection(provider().send({ ...message('x'), channel: 'email' }))).retryable, false);
    assert.equal((await rejection(provider().send(message('x', 'VL%41')))).retryable, false);
    assert.equal(kannel.received.length, 0);
  });
});
