import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { SNS_STATUS_TOPIC_ARN, smsDeliveryLog, startFakeSns, type FakeSns } from '../../../test/providers/fake-sns.ts';
import { receiptRoutesApp } from '../../../test/providers/receipt-routes-app.ts';
import { isSnsUrl, snsStringToSign } from './sns-message-signature.ts';
import { snsNotificationRoutes } from './sns-notification-routes.ts';

// The optional SNS delivery-status subscription: SMS delivery log records forwarded through a topic,
// signed (SignatureVersion 2) by a certificate the fake SNS serves; the route is told the fake's
// origin in place of https://sns.<region>.amazonaws.com, which is the only thing a test changes.

let fake: FakeSns;
before(async () => {
  fake = await startFakeSns();
});
after(() => fake.close());
beforeEach(() => fake.reset());

const PATH = '/messaging/sns-eu/notifications';
const { sink, reported, logLines, clock, inject } = receiptRoutesApp((app, deps) =>
  snsNotificationRoutes(app, { ...deps, instance: 'sns-eu', topicArn: SNS_STATUS_TOPIC_ARN, snsOrigin: () => fake.apiBase }));
// The fixture certificate is valid from when it was made: Verity's clock is at the real time here.
before(() => clock.set(Date.now()));
// SNS posts its JSON as text/plain.
const post = (body: string) => inject({ method: 'POST', url: PATH, headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' }, payload: body });

test('the signed string is AWS\'s: Name\\nvalue\\n for the type\'s fields in order, Subject only when given', () => {
  const base = { MessageId: 'm', TopicArn: 't', Message: 'x', Timestamp: 'ts', SignatureVersion: '2', Signature: '', SigningCertURL: '' };
  assert.equal(snsStringToSign({ ...base, Type: 'Notification' }), 'Message\nx\nMessageId\nm\nTimestamp\nts\nTopicArn\nt\nType\nNotification\n');
  assert.equal(snsStringToSign({ ...base, Type: 'Notification', Subject: 's' }), 'Message\nx\nMessageId\nm\nSubject\ns\nTimestamp\nts\nTopicArn\nt\nType\nNotification\n');
  assert.equal(
    snsStringToSign({ ...base, Type: 'SubscriptionConfirmation', SubscribeURL: 'u', Token: 'k' }),
    'Message\nx\nMessageId\nm\nSubscribeURL\nu\nTimestamp\nts\nToken\nk\nTopicArn\nt\nType\nSubscriptionConfirmation\n',
  );
});

test('certificate and confirmation URLs must be exactly on the region\'s SNS origin', () => {
  const origin = 'https://sns.eu-west-1.amazonaws.com';
  assert.equal(isSnsUrl(`${origin}/SimpleNotificationService-abc.pem`, origin, true), true);
  for (const url of [
    'http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.eu-west-1.amazonaws.com.evil.example/SimpleNotificationService-abc.pem',
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://user@sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.eu-west-1.amazonaws.com/cert.txt',
    'not a url',
  ]) assert.equal(isSnsUrl(url, origin, true), false, url);
  assert.equal(isSnsUrl(`${origin}/?Action=ConfirmSubscription&Token=x`, origin, false), true);
});

test('a SubscriptionConfirmation from the topic is confirmed by fetching its SubscribeURL', async () => {
  const response = await post(fake.httpMessage('SubscriptionConfirmation', 'You have chosen to subscribe to the topic …'));
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(fake.confirmations.length, 1);
});

test('delivery log records become delivered and undelivered reports with the price and the log time', async () => {
  sink.know('sns-eu', 'VL1', ['8b5e7c2a-1111-5d6e-9f00-0123456789ab']);
  sink.know('sns-eu', 'VL2', ['8b5e7c2a-2222-5d6e-9f00-0123456789ab']);
  assert.equal((await post(fake.httpMessage('Notification', smsDeliveryLog('8b5e7c2a-1111-5d6e-9f00-0123456789ab', 'SUCCESS', 'Message has been accepted by phone carrier')))).statusCode, 200);
  assert.equal((await post(fake.httpMessage('Notification', smsDeliveryLog('8b5e7c2a-2222-5d6e-9f00-0123456789ab', 'FAILURE', 'Phone carrier has blocked this message'), { subject: 'SMS delivery' }))).statusCode, 200);
  const at = Date.UTC(2026, 0, 1, 12, 0, 1, 250);
  assert.deepEqual(reported(), [
    { provider: 'sns-eu', providerMessageId: '8b5e7c2a-1111-5d6e-9f00-0123456789ab', status: 'delivered', price: { amount: '0.04137', currency: 'USD' }, at },
    { provider: 'sns-eu', providerMessageId: '8b5e7c2a-2222-5d6e-9f00-0123456789ab', status: 'undelivered', errorMessage: 'Phone carrier has blocked this message', price: { amount: '0.04137', currency: 'USD' }, at },
  ]);
  // A record of a message this instance never sent is taken (200) and changes nothing.
  assert.equal((await post(fake.httpMessage('Notification', smsDeliveryLog('8b5e7c2a-3333-5d6e-9f00-0123456789ab', 'SUCCESS', 'ok')))).statusCode, 200);
  assert.equal(sink.reports.at(-1)?.outcome, 'unknown');
});

test('another topic, another key, SignatureVersion 1, a tampered message or a foreign certificate URL is refused 403 and reported nowhere', async () => {
  sink.know('sns-eu', 'VL1', ['8b5e7c2a-1111-5d6e-9f00-0123456789ab']);
  const log = smsDeliveryLog('8b5e7c2a-1111-5d6e-9f00-0123456789ab', 'SUCCESS', 'ok');
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const cases = [
    fake.httpMessage('Notification', log, { topicArn: SNS_STATUS_TOPIC_ARN.replace('verity-sms-delivery', 'other-topic') }),
    fake.httpMessage('Notification', log, { key: otherKey }),
    fake.httpMessage('Notification', log, { signatureVersion: '1' }),
    fake.httpMessage('Notification', log, { after: { Message: smsDeliveryLog('8b5e7c2a-1111-5d6e-9f00-0123456789ab', 'FAILURE', 'x') } }),
    fake.httpMessage('Notification', log, { after: { SigningCertURL: 'https://attacker.example/SimpleNotificationService-x.pem' } }),
    fake.httpMessage('SubscriptionConfirmation', 'x', { after: { SubscribeURL: 'https://attacker.example/?Action=ConfirmSubscription' } }),
  ];
  for (const body of cases) {
    logLines.length = 0;
    const response = await post(body);
    assert.equal(response.statusCode, 403, response.body);
    assert.equal((response.json() as { code: number }).code, 20003);
    assert.equal(logLines.filter((l) => l['level'] === 40).length, 1, 'one warning');
  }
  assert.deepEqual(sink.reports, []);
  assert.deepEqual(fake.confirmations, []);
});

test('a certificate that is not valid at Verity\'s time is refused', async () => {
  const now = clock.now();
  clock.set(Date.UTC(2001, 0, 1));
  try {
    const response = await post(fake.httpMessage('Notification', smsDeliveryLog('8b5e7c2a-1111-5d6e-9f00-0123456789ab', 'SUCCESS', 'ok')));
    assert.equal(response.statusCode, 403);
  } finally {
    clock.set(now);
  }
});

test('a body that is not an SNS message, or a Message that is not a delivery log, is 400 and reported nowhere', async () => {
  for (const body of ['not json', '{}', fake.httpMessage('Notification', 'not a log record'), fake.httpMessage('Notification', JSON.stringify({ status: 'SUCCESS' }))]) {
    const response = await post(body);
    assert.equal(response.statusCode, 400, body);
    assert.equal((response.json() as { code: number }).code, 20001);
  }
  assert.deepEqual(sink.reports, []);
});
