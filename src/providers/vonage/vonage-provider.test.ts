import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { ManualClock } from '../../crypto/clock.ts';
import type { AppContext } from '../../context.ts';
import type { ProviderDeps } from '../provider-plugin.ts';
import type { DeliveryProvider, OutboundMessage } from '../provider.ts';
import { loadVerityConfig } from '../registry.ts';
import { vonagePlugin } from './vonage-plugin.ts';
import { totalPrice } from './vonage-provider.ts';
import { vonageSignature } from './vonage-signature.ts';
import { capturedLogger } from '../../../test/support/captured-logger.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import { startFakeVonage, VONAGE_PART_PRICE, VONAGE_SIGNATURE_SECRET, type FakeVonage } from '../../../test/providers/fake-vonage.ts';
import { RecordingStatusSink } from '../../../test/providers/recording-status-sink.ts';
import { inject, vonageEnv } from '../../../test/providers/vonage-harness.ts';

const MESSAGE: OutboundMessage = { channel: 'sms', to: '+447700900001', body: 'Your Acme code is 834921', locale: 'en', verificationSid: `VE${'0'.repeat(32)}`, attemptId: `VL${'1'.repeat(32)}` };

let fake: FakeVonage;
const clock = new ManualClock();
const statuses = new RecordingStatusSink();
const { logger, lines } = capturedLogger();
const apps: FastifyInstance[] = [];

/** A Vonage provider built by its plug-in (instance `vonage-eu`) with its DLR routes on an app. */
async function build(extra: NodeJS.ProcessEnv = {}): Promise<{ provider: DeliveryProvider; app: FastifyInstance; deps: ProviderDeps }> {
  const config = loadVerityConfig(vonageEnv(fake.apiBase, extra));
  const deps = { config, stores: {} as ProviderDeps['stores'], clock, logger, events: () => assert.fail('no calls'), instance: 'vonage-eu', deliveryStatus: statuses } satisfies ProviderDeps;
  const built = vonagePlugin.delivery!.create(deps);
  const app = Fastify();
  await app.register(formbody);
  await built.routes?.(app, { logger } as unknown as AppContext);
  await app.ready();
  apps.push(app);
  return { provider: built.provider, app, deps };
}

async function sendOne(provider: DeliveryProvider, message = MESSAGE) {
  const receipt = await provider.send(message);
  statuses.know('vonage-eu', message.attemptId, [receipt.providerMessageId, ...(receipt.partIds ?? [])]);
  return receipt;
}

describe('Vonage SMS API provider', () => {
  before(async () => {
    fake = await startFakeVonage();
    clock.set(Date.UTC(2026, 11, 6, 12, 0, 0));
  });
  after(async () => {
    for (const app of apps) await app.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    statuses.clear();
    lines.length = 0;
  });

  it('sends text outside GSM-7 as unicode', async () => {
    const { provider } = await build();
    await sendOne(provider, { ...MESSAGE, body: 'Ваш код 834921' });
    assert.equal(fake.received.at(-1)?.params['type'], 'unicode');
    await sendOne(provider, { ...MESSAGE, body: 'Your code is 834921 [€5 off]' });
    assert.equal(fake.received.at(-1)?.params['type'], 'text', 'the extension table (€, [ ]) is GSM-7');
  });

  it('answers a long message\'s part ids, part count and whole price, and a DLR for any part reaches its attempt', async () => {
    const { provider, app } = await build();
    const receipt = await sendOne(provider, { ...MESSAGE, body: `Your Acme code is 834921. ${'x'.repeat(150)}` });
    const ids = fake.received.at(-1)?.messageIds ?? [];
    assert.equal(ids.length, 2);
    assert.equal(receipt.providerMessageId, ids[0]);
    assert.deepEqual(receipt.partIds, [ids[1]]);
    assert.equal(receipt.parts, 2);
    assert.deepEqual(receipt.price, { amount: '0.06660000', currency: 'EUR' });
    const response = await inject(app, fake.dlr(ids[1] as string, 'delivered', { timestamp: clock.now() / 1000, as: 'POST-form' }));
    assert.equal(response.statusCode, 204);
    assert.deepEqual(statuses.reports.map((r) => [r.report.providerMessageId, r.report.status, r.outcome]), [[ids[1], 'delivered', 'recorded']]);
  });

  it('a message Vonage took only part of fails not retryable, naming the status', async () => {
    const { provider } = await build();
    fake.behaviour = 'partial';
    const error = await rejection(provider.send({ ...MESSAGE, body: 'x'.repeat(200) }));
    assert.equal(error.retryable, false);
    assert.match(error.message, /status 5 Internal Error: Internal Error \(1 of 2 parts were accepted\)/);
  });

  it('never puts the message in an error', async () => {
    const { provider } = await build({ VERITY_VONAGE_API_SECRET: 'a-wrong-api-secret' });
    const error = await rejection(provider.send(MESSAGE));
    assert.match(error.message, /status 4 Invalid Credentials: Bad Credentials/);
    assert.equal(error.message.includes('834921'), false);
  });

  it('signs each send with the signature secret instead of sending the API secret, when told to', async () => {
    const { provider } = await build({ VERITY_VONAGE_SIGN_REQUESTS: 'true' });
    await sendOne(provider);
    const request = fake.received.at(-1);
    assert.equal(request?.auth, 'sig');
    assert.equal(request?.params['api_secret'], undefined);
    assert.equal(request?.params['timestamp'], String(clock.now() / 1000));
    assert.equal(request?.params['sig'], vonageSignature(request?.params ?? {}, VONAGE_SIGNATURE_SECRET, 'sha256'));
  });

  it('without a signature secret asks for no receipts and mounts no DLR route', async () => {
    const { provider, app } = await build({ VERITY_VONAGE_SIGNATURE_SECRET: undefined });
    assert.equal(provider.receipts, false);
    await sendOne(provider);
    assert.equal(fake.received.at(-1)?.params['status-report-req'], undefined);
    assert.equal(fake.received.at(-1)?.params['callback'], undefined);
    assert.equal((await app.inject({ method: 'GET', url: '/messaging/vonage-eu/dlr?messageId=0A0000001234567B&status=delivered' })).statusCode, 404);
  });

  it('takes unsigned DLRs only when explicitly allowed, and says so in the log', async () => {
    const { provider, app } = await build({ VERITY_VONAGE_SIGNATURE_SECRET: undefined, VERITY_VONAGE_ALLOW_UNSIGNED_DLR: 'true' });
    assert.equal(provider.receipts, true);
    assert.ok(lines.some((l) => l['level'] === 40 && /unsigned/.test(String(l['msg']))), 'a warning at boot');
    const receipt = await sendOne(provider);
    const response = await inject(app, fake.dlr(receipt.providerMessageId, 'failed', { secret: null, errCode: '6', as: 'GET' }));
    assert.equal(response.statusCode, 204);
    assert.deepEqual(statuses.reports.map((r) => [r.report.status, r.report.errorCode, r.report.errorMessage]), [['undelivered', '6', 'Anti-Spam Rejection']]);
  });

  it('with a signature secret refuses an unsigned DLR, even with unsigned DLRs allowed', async () => {
    const { provider, app } = await build({ VERITY_VONAGE_ALLOW_UNSIGNED_DLR: 'true' });
    const receipt = await sendOne(provider);
    const response = await inject(app, fake.dlr(receipt.providerMessageId, 'delivered', { secret: null }));
    assert.equal(response.statusCode, 401);
    assert.equal((response.json() as { code: number }).code, 20003);
    assert.deepEqual(statuses.reports, []);
  });

  it('answers 404 to a signed DLR that overtook the send\'s answer (Vonage retries it), and takes it once the attempt is known', async () => {
    const { provider, app } = await build();
    const receipt = await provider.send(MESSAGE); // not yet known to the sink
    const dlr = fake.dlr(receipt.providerMessageId, 'delivered', { timestamp: clock.now() / 1000 });
    const early = await inject(app, dlr);
    assert.equal(early.statusCode, 404);
    assert.equal((early.json() as { code: number }).code, 20404);
    assert.equal(statuses.reports[0]?.outcome, 'unknown');
    assert.ok(lines.some((l) => l['level'] === 40 && /does not know/.test(String(l['msg']))), 'logged');
    statuses.know('vonage-eu', MESSAGE.attemptId, [receipt.providerMessageId]);
    assert.equal((await inject(app, dlr)).statusCode, 204, 'Vonage\'s retry is taken');
    assert.equal(statuses.reports[1]?.outcome, 'recorded');
  });

  it('adds part prices exactly', () => {
    assert.deepEqual(totalPrice(['0.03330000', '0.0333', '1.1'], 'EUR'), { amount: '1.16660000', currency: 'EUR' });
    assert.deepEqual(totalPrice(['2', '3'], 'USD'), { amount: '5', currency: 'USD' });
    assert.equal(totalPrice(['0.0333', undefined], 'EUR'), undefined);
    assert.equal(totalPrice([VONAGE_PART_PRICE, '-1'], 'EUR'), undefined);
  });
});
