/**
 * Verity's SMPP provider against an SMSC that shares no code with node-smpp: the Perl Net::SMPP
 * SMSC (test/fixtures/smsc.pl, Debian libnet-smpp-perl, installed by .ci/run). What it decoded is
 * compared byte for byte with what Verity meant to send (GSM-7, UCS-2, UDH concatenation), and its
 * receipts (standard text + TLVs) must reach the delivery status sink. Transceiver and tx+rx binds,
 * a throttling SMSC, a wrong password, a dropped connection.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { DeliveryReceipt, OutboundMessage } from '../../src/providers/provider.ts';
import { createSmppProvider, type SmppProvider, type SmppProviderOptions } from '../../src/providers/smpp/smpp-provider.ts';
import { encodeGsm7 } from '../../src/providers/smpp/gsm7.ts';
import { RecordingStatusSink } from '../providers/recording-status-sink.ts';
import { capturedLogger } from '../support/captured-logger.ts';
import { rejection } from '../support/delivery-rejection.ts';
import { perlSmscAvailable, startPerlSmsc, type PerlSmsc, type SmscSubmit } from '../support/perl-smsc.ts';

const available = perlSmscAvailable();
if (!available) console.error('\n*** test/interop/smpp-perl.test.ts: SKIPPED: Perl Net::SMPP is not installed (apt-get install libnet-smpp-perl). CI installs it and fails here instead. ***\n');
// In CI a missing Net::SMPP is a failure, not a skip.
const skip = !available && !process.env['CI'] ? 'Perl Net::SMPP is not installed (apt-get install libnet-smpp-perl)' : false;

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

const bytes = (submit: SmscSubmit) => Buffer.from(submit.short_message_hex, 'hex');

describe('SMPP provider ↔ Perl Net::SMPP SMSC', { skip }, () => {
  let smsc: PerlSmsc;
  const sink = new RecordingStatusSink();
  const opened: SmppProvider[] = [];
  const { logger } = capturedLogger();

  const provider = (options: Partial<SmppProviderOptions> = {}): SmppProvider => {
    const built = createSmppProvider({
      url: `smpp://127.0.0.1:${smsc.port}`,
      systemId: smsc.systemId,
      password: smsc.password,
      bindMode: 'transceiver',
      from: 'Verity',
      instance: 'smpp-perl',
      deliveryStatus: sink,
      logger,
      responseTimeoutMs: 2000,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
      ...options,
    });
    opened.push(built);
    return built;
  };

  /** Sends and tells the sink about the attempt and every part id, as the dispatcher does. */
  const send = async (p: SmppProvider, message: OutboundMessage): Promise<DeliveryReceipt> => {
    const receipt = await p.send(message);
    sink.know('smpp-perl', message.attemptId, [receipt.providerMessageId, ...(receipt.partIds ?? [])]);
    return receipt;
  };

  before(async () => {
    // Receipts a little after the response, as from a real SMSC: send() has resolved by then.
    smsc = await startPerlSmsc({ systemId: 'verity', password: 'secret1', receiptDelayMs: 300 });
  });
  afterEach(async () => {
    for (const p of opened.splice(0)) await p.close();
    await smsc.command('scenario deliver');
    sink.clear();
  });
  after(() => smsc.stop());

  it('binds as a transceiver with its system id and password', async () => {
    const after = smsc.events.length;
    await provider().ready();
    const bind = await smsc.next('bind', { after });
    assert.deepEqual([bind['mode'], bind['system_id'], bind['status']], ['transceiver', 'verity', 0]);
  });

  it('GSM-7 text: data_coding 0, unpacked septets, alphanumeric sender (TON 5), international destination; the receipt reaches the sink as delivered', async () => {
    const p = provider();
    const message = sms('Your code is 123456 é€ {ok}');
    const after = smsc.events.length;
    const receipt = await send(p, message);
    const submit = await smsc.next<SmscSubmit>('submit_sm', { after });
    assert.equal(receipt.providerMessageId, submit.message_id);
    assert.equal(submit.data_coding, 0);
    assert.deepEqual(bytes(submit), encodeGsm7(message.body));
    assert.deepEqual([submit.source_addr, submit.source_addr_ton, submit.source_addr_npi], ['Verity', 5, 0]);
    assert.deepEqual([submit.destination_addr, submit['dest_addr_ton'], submit['dest_addr_npi']], ['15551234567', 1, 1]);
    assert.equal(submit.registered_delivery & 1, 1);
    const [first] = await sink.received(1);
    assert.deepEqual(first?.report, { provider: 'smpp-perl', providerMessageId: submit.message_id, status: 'delivered' });
    assert.equal(first?.outcome, 'recorded');
    await smsc.next('deliver_sm_resp', { after, where: (e) => e['status'] === 0 });
  });

  it('UCS-2 text: data_coding 8, UTF-16BE', async () => {
    const message = sms('Код 123456 — 認証');
    const after = smsc.events.length;
    await send(provider(), message);
    const submit = await smsc.next<SmscSubmit>('submit_sm', { after });
    assert.equal(submit.data_coding, 8);
    assert.deepEqual(bytes(submit), Buffer.from(message.body, 'utf16le').swap16());
    // Each test waits for its receipts, so none reaches the next test's sink.
    assert.equal((await sink.received(1))[0]?.report.status, 'delivered');
  });

  it('a long text goes as parts with a concatenation UDH (esm_class 0x40), each with its receipt', async () => {
    const message = sms(`Your code is 123456. ${'A long message, on purpose. '.repeat(12)}`.trim());
    const after = smsc.events.length;
    const receipt = await send(provider(), message);
    await sink.received(receipt.parts ?? 0);
    const parts = smsc.events.slice(after).filter((e): e is SmscSubmit => e.event === 'submit_sm');
    assert.equal(parts.length, receipt.parts);
    assert.ok(parts.length >= 3, `${parts.length} parts`);
    const reference = bytes(parts[0]!)[3];
    let text = Buffer.alloc(0);
    for (const [i, part] of parts.entries()) {
      assert.equal(part.esm_class & 0x40, 0x40);
      assert.deepEqual([...bytes(part).subarray(0, 6)], [5, 0, 3, reference, parts.length, i + 1]);
      text = Buffer.concat([text, bytes(part).subarray(6)]);
    }
    assert.deepEqual(text, encodeGsm7(message.body));
    const ids = parts.map((part) => part.message_id);
    assert.deepEqual([receipt.providerMessageId, ...(receipt.partIds ?? [])].sort(), [...ids].sort());
    assert.deepEqual(
      sink.reports.map((r) => r.report.providerMessageId).sort(),
      [...ids].sort(),
      'one receipt per part, each under its part id',
    );
    assert.deepEqual(new Set(sink.reports.map((r) => r.outcome)), new Set(['recorded', 'unchanged']));
    assert.equal(sink.statusOf(message.attemptId), 'delivered');
  });

  it('an undeliverable message: stat:UNDELIV err:011 reaches the sink as undelivered with the error code', async () => {
    await smsc.command('scenario undeliv:011');
    const message = sms('Your code is 222222');
    const receipt = await send(provider(), message);
    const [first] = await sink.received(1);
    assert.deepEqual(first?.report, { provider: 'smpp-perl', providerMessageId: receipt.providerMessageId, status: 'undelivered', errorCode: '011', errorMessage: 'UNDELIV' });
  });

  it('ESME_RTHROTTLED (0x58) fails the send retryable; the SMSC kept nothing', async () => {
    await smsc.command('scenario throttle');
    const error = await rejection(send(provider(), sms('Your code is 333333')));
    assert.equal(error.retryable, true);
    assert.match(error.message, /THROTTLED|0x58/i);
  });

  it('another refusal (ESME_RINVDSTADR 0x0b) fails the send not retryable', async () => {
    await smsc.command('scenario reject:0x0b');
    const error = await rejection(send(provider(), sms('Your code is 444444')));
    assert.equal(error.retryable, false);
  });

  it('a wrong password: the bind is refused (ESME_RINVPASWD) and a send fails retryable, never sent', async () => {
    const p = provider({ password: 'wrong', bindWaitMs: 1500 });
    await assert.rejects(p.ready(), /RINVPASWD|0x0*e\b/i);
    const before = smsc.submits().length;
    const error = await rejection(p.send(sms('Your code is 555555')));
    assert.equal(error.retryable, true);
    assert.equal(smsc.submits().length, before);
  });

  it('tx+rx binds: submits on the transmitter, receipts on the receiver', async () => {
    const after = smsc.events.length;
    const p = provider({ bindMode: 'tx+rx' });
    await p.ready();
    const message = sms('Your code is 666666');
    const receipt = await send(p, message);
    const binds = smsc.events.slice(after).filter((e) => e.event === 'bind').map((e) => e['mode']);
    assert.deepEqual([...binds].sort(), ['receiver', 'transmitter']);
    const [first] = await sink.received(1);
    assert.equal(first?.report.providerMessageId, receipt.providerMessageId);
    const submit = await smsc.next<SmscSubmit>('submit_sm', { after });
    const delivered = await smsc.next('deliver_sm', { after });
    assert.notEqual(submit.session, delivered.session, 'the receipt came on the other session');
  });

  it('a dropped connection: the send in flight fails not retryable, and the provider binds again', async () => {
    const p = provider();
    await p.ready();
    await smsc.command('scenario drop');
    const after = smsc.events.length;
    const error = await rejection(send(p, sms('Your code is 777777')));
    assert.equal(error.retryable, false, 'the SMSC may have taken it');
    await smsc.command('scenario deliver');
    await smsc.next('bind', { after, where: (e) => e['status'] === 0 });
    const receipt = await send(p, sms('Your code is 888888'));
    assert.match(receipt.providerMessageId, /^p\d{6}$/);
  });
});
