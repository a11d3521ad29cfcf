/**
 * Kannel end to end: Verity's Kannel provider sends through a real bearerbox + smsbox (Debian
 * `kannel`, installed by .ci/run), which binds over SMPP to the Perl Net::SMPP SMSC
 * (test/fixtures/smsc.pl); the SMSC's receipts come back through Kannel to the dlr-url, on a Verity
 * app listening on a real port, and reach the delivery status sink under the attempt.
 * Started in order (SMSC → bearerbox → smsbox → Verity), each waited for by its port or bind; all
 * stopped in `after` (the boxes by process group).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/context.ts';
import { systemClock } from '../../src/crypto/clock.ts';
import { keyedDigest } from '../../src/crypto/digest.ts';
import { installErrorHandling } from '../../src/http/error-handler.ts';
import { serializerCompiler, validatorCompiler } from '../../src/http/schema/validation.ts';
import type { ProviderDeps } from '../../src/providers/provider-plugin.ts';
import type { DeliveryProvider, OutboundMessage } from '../../src/providers/provider.ts';
import { loadVerityConfig, providerPlugin } from '../../src/providers/registry.ts';
import type { CallEvents } from '../../src/voice/voice-provider.ts';
import { RecordingStatusSink } from '../providers/recording-status-sink.ts';
import { capturedLogger } from '../support/captured-logger.ts';
import { kannelBinary, startKannel, type KannelGateway } from '../support/kannel-gateway.ts';
import { perlSmscAvailable, startPerlSmsc, type PerlSmsc, type SmscSubmit } from '../support/perl-smsc.ts';
import { waitUntil } from '../support/wait-for.ts';

const available = kannelBinary('bearerbox') !== undefined && kannelBinary('smsbox') !== undefined && perlSmscAvailable();
if (!available) {
  console.error('\n*** test/interop/kannel.test.ts: SKIPPED: Kannel (bearerbox, smsbox) or Perl Net::SMPP is not installed (apt-get install kannel libnet-smpp-perl). CI installs them and fails here instead. ***\n');
}
// In CI a missing Kannel is a failure, not a skip.
const skip = !available && !process.env['CI'] ? 'Kannel or Perl Net::SMPP is not installed (apt-get install kannel libnet-smpp-perl)' : false;

const SYSTEM_ID = 'kannel';
// SMPP 3.4 §5.2.2: at most 8 characters (Kannel cuts a longer one).
const SMSC_PASSWORD = 'smpp-pw1';
const TO = '+15551234567';
let sequence = 0;

const sms = (body: string): OutboundMessage => ({
  channel: 'sms',
  to: TO,
  body,
  locale: 'en',
  verificationSid: 'VE00000000000000000000000000000001',
  attemptId: `VL${(++sequence).toString(16).padStart(32, '0')}`,
});

/** The text of a submit_sm's short_message: GSM-7 unpacked octets (ASCII here) or UCS-2 big-endian, after any UDH. */
function textOf(submit: SmscSubmit): string {
  let bytes = Buffer.from(submit.short_message_hex, 'hex');
  if (submit.esm_class & 0x40) bytes = bytes.subarray((bytes[0] as number) + 1);
  return submit.data_coding === 8 ? Buffer.from(bytes).swap16().toString('utf16le') : bytes.toString('latin1');
}

describe('Kannel end to end: sendsms → bearerbox → SMPP → Perl SMSC, receipts back through the dlr-url', { skip }, () => {
  let smsc: PerlSmsc;
  let kannel: KannelGateway;
  let server: Server;
  let app: FastifyInstance;
  let provider: DeliveryProvider;
  const sink = new RecordingStatusSink();
  const timings: Record<string, number> = {};

  before(async () => {
    const t0 = Date.now();
    smsc = await startPerlSmsc({ systemId: SYSTEM_ID, password: SMSC_PASSWORD });
    timings['smsc listening'] = Date.now() - t0;
    kannel = await startKannel({ smscPort: smsc.port, systemId: SYSTEM_ID, password: SMSC_PASSWORD });
    timings['bearerbox listening'] = kannel.timings.bearerbox + timings['smsc listening'];
    timings['smsbox listening'] = kannel.timings.smsbox + timings['smsc listening'];
    await smsc.next('bind', { where: (e) => e['status'] === 0 });
    timings['SMSC bound'] = Date.now() - t0;

    // Verity: the port first, so the dlr-url (VERITY_PUBLIC_URL) names it; the app then serves on it.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadVerityConfig({
      NODE_ENV: 'test',
      VERITY_PUBLIC_URL: publicUrl,
      VERITY_SMS_FROM: 'Verity',
      VERITY_SMS_PROVIDER: 'kannel',
      VERITY_VOICE_PROVIDER: 'none',
      VERITY_EMAIL_PROVIDER: 'none',
      VERITY_KANNEL_SENDSMS_URL: kannel.sendsmsUrl,
      VERITY_KANNEL_USERNAME: kannel.username,
      VERITY_KANNEL_PASSWORD: kannel.password,
      VERITY_KANNEL_SMSC: kannel.smscId,
    });
    const { logger } = capturedLogger();
    const deps: ProviderDeps = {
      config,
      stores: {} as ProviderDeps['stores'],
      clock: systemClock,
      logger,
      events: () => ({}) as CallEvents,
      instance: 'kannel',
      deliveryStatus: sink,
      callbackKey: (purpose) => keyedDigest(Buffer.alloc(32, 9), purpose),
    };
    const built = providerPlugin('kannel')!.delivery!.create(deps);
    provider = built.provider;
    app = Fastify({ serverFactory: (handler) => server.on('request', handler) });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler({ mode: 'fail', violations: [] }));
    installErrorHandling(app, () => publicUrl);
    await built.routes?.(app, { logger } as unknown as AppContext);
    await app.ready();
    timings['Verity ready'] = Date.now() - t0;
  });

  after(async () => {
    await app?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(undefined)));
    if (kannel) timings['Kannel stop'] = await kannel.stop();
    await smsc?.stop();
    console.error(`kannel fixture timings (ms): ${JSON.stringify(timings)}`);
  });

  /** Sends, then waits until the sink has `statuses` for the attempt (Kannel's reports, in order of arrival). */
  async function sendAndFollow(message: OutboundMessage, until: string) {
    const receipt = await provider.send(message);
    sink.know('kannel', message.attemptId, [receipt.providerMessageId]);
    await waitUntil(`a ${until} report for ${message.attemptId}`, () => sink.reports.some((r) => r.report.attemptId === message.attemptId && r.report.status === until), { timeoutMs: 15_000 }).catch((err: Error) => {
      throw new Error(`${err.message}\nreports: ${JSON.stringify(sink.reports)}\n${kannel.logs()}`);
    });
    return { receipt, reports: sink.reports.filter((r) => r.report.attemptId === message.attemptId).map((r) => r.report) };
  }

  it('GSM text: coding 0 on the wire, accepted as queued, then SMSC ack (sent) and delivered reach the sink', async () => {
    const message = sms('Your Acme code is 834921');
    const after = smsc.events.length;
    const sentAt = Date.now();
    const { receipt, reports } = await sendAndFollow(message, 'delivered');
    assert.deepEqual(receipt, { providerMessageId: message.attemptId, parts: 1, status: 'queued' });
    timings['first send to delivered report'] = Date.now() - sentAt;
    const submit = await smsc.next<SmscSubmit>('submit_sm', { after });
    assert.equal(submit.data_coding, 0);
    assert.equal(textOf(submit), message.body);
    assert.equal(submit.source_addr, 'Verity');
    assert.equal(submit.destination_addr.replace(/^\+/, ''), TO.slice(1));
    assert.equal(submit.registered_delivery & 1, 1, 'Kannel asked the SMSC for a receipt');
    // smsbox calls the two dlr-urls (8, then 1) on its own HTTP client: they may arrive in either order.
    await waitUntil('the SMSC ack report too', () => sink.reports.filter((r) => r.report.attemptId === message.attemptId).length >= 2, { timeoutMs: 5000 });
    assert.deepEqual(sink.reports.filter((r) => r.report.attemptId === message.attemptId).map((r) => r.report.status).sort(), ['delivered', 'sent']);
    assert.equal(reports.every((r) => r.provider === 'kannel'), true);
    assert.equal(sink.statusOf(message.attemptId), 'delivered');
  });

  it('text outside GSM-7 goes as UCS-2 (data_coding 8), byte for byte', async () => {
    const message = sms('Ваш код Acme: 834921 €');
    const after = smsc.events.length;
    await sendAndFollow(message, 'delivered');
    const submit = await smsc.next<SmscSubmit>('submit_sm', { after });
    assert.equal(submit.data_coding, 8);
    assert.equal(submit.short_message_hex, Buffer.from(message.body, 'utf16le').swap16().toString('hex'));
  });

  it('a long text goes as two concatenated parts (UDH) and is reported delivered once', async () => {
    const message = sms(`Your Acme code is 834921. ${'This message is long on purpose. '.repeat(5)}`.trim());
    const after = smsc.events.length;
    const { receipt, reports } = await sendAndFollow(message, 'delivered');
    assert.equal(receipt.parts, 2);
    const parts = smsc.events.slice(after).filter((e): e is SmscSubmit => e.event === 'submit_sm');
    assert.equal(parts.length, 2, 'two submit_sm');
    for (const [i, part] of parts.entries()) {
      assert.equal(part.esm_class & 0x40, 0x40, 'UDHI set');
      const udh = Buffer.from(part.short_message_hex, 'hex').subarray(0, 6);
      assert.deepEqual([udh[0], udh[1], udh[2], udh[4], udh[5]], [5, 0, 3, 2, i + 1], 'concatenation IE: 2 parts, this one\'s number');
    }
    assert.equal(parts.map(textOf).join(''), message.body);
    assert.deepEqual(reports.filter((r) => r.status === 'delivered').length, 1);
  });

  it('an undeliverable message is reported undelivered with the SMSC\'s error code', async () => {
    await smsc.command('scenario undeliv:011');
    try {
      const message = sms('Your Acme code is 111111');
      const { reports } = await sendAndFollow(message, 'undelivered');
      const last = reports.at(-1);
      assert.equal(last?.errorCode, '011');
      assert.equal(last?.errorMessage, 'UNDELIV');
      assert.equal(sink.statusOf(message.attemptId), 'undelivered');
    } finally {
      await smsc.command('scenario deliver');
    }
  });

  it('receipts never make Kannel answer with an SMS: only Verity\'s messages reached the SMSC', () => {
    assert.equal(smsc.submits().length, 5, JSON.stringify(smsc.submits().map((s) => s.destination_addr)));
  });

  it('with the SMSC down Kannel queues the message (accepted, queued) and delivers it once the SMSC is back', async () => {
    const port = smsc.port;
    await smsc.stop();
    await waitUntil('bearerbox to see the SMSC gone', async () => /re-connecting|connecting|dead/.test((await kannel.status()).split('\n').find((l) => l.includes(`${kannel.smscId}[`)) ?? ''), { timeoutMs: 10_000, intervalMs: 50 });
    // What smsbox answers now, as the fake Kannel of the contract suite answers it.
    const direct = new URL(kannel.sendsmsUrl);
    for (const [name, value] of Object.entries({ username: kannel.username, password: kannel.password, to: TO, from: 'Verity', text: 'Direct 333333' })) direct.searchParams.set(name, value);
    const answer = await fetch(direct);
    assert.deepEqual([answer.status, (await answer.text()).trim()], [202, '3: Queued for later delivery']);
    const message = sms('Your Acme code is 222222');
    const receipt = await provider.send(message);
    sink.know('kannel', message.attemptId, [receipt.providerMessageId]);
    assert.equal(receipt.status, 'queued');
    smsc = await startPerlSmsc({ port, systemId: SYSTEM_ID, password: SMSC_PASSWORD });
    const submit = await smsc.next<SmscSubmit>('submit_sm', { timeoutMs: 15_000, where: (e) => textOf(e as SmscSubmit) === message.body });
    assert.equal(submit.data_coding, 0);
    await waitUntil('the queued message\'s delivered report', () => sink.statusOf(message.attemptId) === 'delivered', { timeoutMs: 15_000 });
  });
});
