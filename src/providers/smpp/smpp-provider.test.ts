import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DeliveryStatusReport, DeliveryStatusSink, ReportOutcome } from '../../messaging/delivery-status.ts';
import { capturedLogger } from '../../../test/support/captured-logger.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import { startFakeSmsc, type FakeSmsc, type FakeSmscOptions } from '../../../test/providers/fake-smsc.ts';
import type { OutboundMessage } from '../provider.ts';
import { createSmppProvider, type SmppProvider, type SmppProviderOptions } from './smpp-provider.ts';
import type { SmppBind } from './smpp-session.ts';

/** A sink that keeps reports and lets a test wait for the n-th; `fail` makes it throw (a database outage). */
class Reports implements DeliveryStatusSink {
  readonly received: DeliveryStatusReport[] = [];
  fail = false;
  /** Ids the sink does not know yet (answers `unknown` for them, recording nothing), as before the dispatcher stored them. */
  readonly notYet = new Map<string, number>();
  private waiters: { n: number; resolve: () => void }[] = [];
  async report(report: DeliveryStatusReport): Promise<ReportOutcome> {
    if (this.fail) throw new Error('the store is down');
    const pending = this.notYet.get(report.providerMessageId ?? '');
    if (pending !== undefined) {
      if (pending <= 1) this.notYet.delete(report.providerMessageId ?? '');
      else this.notYet.set(report.providerMessageId ?? '', pending - 1);
      return 'unknown';
    }
    this.received.push(report);
    for (const w of this.waiters.filter((w) => this.received.length >= w.n)) w.resolve();
    return 'recorded';
  }
  async count(n: number): Promise<DeliveryStatusReport[]> {
    if (this.received.length < n) await new Promise<void>((resolve) => this.waiters.push({ n, resolve }));
    return this.received.slice(0, n);
  }
}

const message = (body: string, to = '+15551234567'): OutboundMessage => ({
  channel: 'sms',
  to,
  body,
  locale: 'en',
  verificationSid: 'VE00000000000000000000000000000001',
  attemptId: 'VL00000000000000000000000000000001',
});

describe('SMPP provider against the test SMSC', () => {
  let smsc: FakeSmsc;
  let reports: Reports;
  const { logger, lines } = capturedLogger();
  const opened: SmppProvider[] = [];
  const provider = (options: Partial<SmppProviderOptions> = {}, target: FakeSmsc = smsc): SmppProvider => {
    const built = createSmppProvider({
      url: target.url,
      systemId: 'verity',
      password: 'secret',
      from: 'Verity',
      instance: 'smpp-eu',
      deliveryStatus: reports,
      logger,
      reconnectMinMs: 20,
      reconnectMaxMs: 100,
      random: () => 0.5,
      ...options,
    });
    opened.push(built);
    return built;
  };

  before(async () => {
    smsc = await startFakeSmsc();
  });
  after(() => smsc.close());
  beforeEach(() => {
    smsc.reset();
    reports = new Reports();
    lines.length = 0;
  });
  afterEach(async () => {
    for (const built of opened.splice(0)) await built.close();
  });

  it('submits a GSM text as data_coding 0 from an alphanumeric sender (TON 5/NPI 0) and reports its receipt', async () => {
    const receipt = await provider().send(message('Your code is 123456 {€}'));
    assert.deepEqual(receipt, { providerMessageId: 'm1', parts: 1, status: 'sent' });
    const [submit] = await smsc.submitted(1);
    assert.deepEqual(
      { ...submit, text: undefined },
      { messageId: 'm1', status: 0, sourceAddr: 'Verity', sourceTon: 5, sourceNpi: 0, destinationAddr: '15551234567', destTon: 1, destNpi: 1, dataCoding: 0, esmClass: 0, registeredDelivery: 1, text: undefined, udh: undefined, bind: 0 },
    );
    assert.equal(submit?.text, 'Your code is 123456 {€}', 'node-smpp reads the GSM-7 septets back, escapes included');
    assert.deepEqual(await reports.count(1), [{ provider: 'smpp-eu', providerMessageId: 'm1', status: 'delivered' }]);
    assert.deepEqual(await smsc.answered(1), [0]);
  });

  it('submits a numeric sender as international E.164 (TON 1/NPI 1) and a short code as TON 3', async () => {
    await provider({ from: '+15005550006' }).send(message('1'));
    await provider({ from: '12345' }).send(message('2'));
    await provider({ from: '12345', sourceTon: 2, sourceNpi: 9 }).send(message('3'));
    const submits = await smsc.submitted(3);
    assert.deepEqual(submits.map((s) => [s.sourceAddr, s.sourceTon, s.sourceNpi]), [['15005550006', 1, 1], ['12345', 3, 0], ['12345', 2, 9]]);
  });

  it('splits a long UCS-2 text into parts with one concatenation reference, receipts on every part', async () => {
    const body = `Код: ${'Ж'.repeat(80)} 😀`;
    const receipt = await provider().send(message(body));
    assert.deepEqual(receipt, { providerMessageId: 'm1', partIds: ['m2'], parts: 2, status: 'sent' });
    const submits = await smsc.submitted(2);
    assert.deepEqual(submits.map((s) => [s.dataCoding, s.esmClass & 0x40, s.registeredDelivery]), [[8, 0x40, 1], [8, 0x40, 1]]);
    const [first, second] = submits.map((s) => s.udh?.[0]) as [number[], number[]];
    assert.deepEqual([first[0], first[1], first[3], first[4]], [0, 3, 2, 1]);
    assert.deepEqual([second[0], second[1], second[3], second[4]], [0, 3, 2, 2]);
    assert.equal(first[2], second[2], 'one reference');
    assert.equal(submits.map((s) => s.text).join(''), body);
    const got = await reports.count(2);
    assert.deepEqual(got.map((r) => r.providerMessageId).sort(), ['m1', 'm2']);
  });

  it('asks for a receipt on the last part only, or on none, when told', async () => {
    await provider({ registeredDelivery: 'last' }).send(message('a'.repeat(200)));
    assert.deepEqual((await smsc.submitted(2)).map((s) => s.registeredDelivery), [0, 1]);
    const none = provider({ registeredDelivery: 'none' });
    assert.equal(none.receipts, false);
    await none.send(message('b'));
    assert.equal((await smsc.submitted(3))[2]?.registeredDelivery, 0);
  });

  it('reads receipts as text only, as TLVs only, and undelivered ones with their error code', async () => {
    const sms = provider();
    smsc.receipts = 'none';
    await sms.send(message('x'));
    assert.equal(await smsc.sendReceipt('m1', 'ENROUTE', { style: 'text' }), 0);
    assert.equal(await smsc.sendReceipt('m1', 'UNDELIV', { style: 'tlv' }), 0);
    assert.equal(await smsc.sendReceipt('m1', 'EXPIRED', { style: 'text', err: '0x1f' }), 0);
    assert.equal(await smsc.sendReceipt('m1', 'UNKNOWN'), 0);
    assert.deepEqual(reports.received, [
      { provider: 'smpp-eu', providerMessageId: 'm1', status: 'sent' },
      { provider: 'smpp-eu', providerMessageId: 'm1', status: 'undelivered', errorMessage: 'UNDELIV' },
      { provider: 'smpp-eu', providerMessageId: 'm1', status: 'undelivered', errorCode: '0x1f', errorMessage: 'EXPIRED' },
    ]);
  });

  it('matches receipt ids written in hex against decimal submit_sm_resp ids (hex-to-dec)', async () => {
    smsc.messageId = (n) => String(1000 + n);
    smsc.receiptId = (id) => Number(id).toString(16).toUpperCase();
    const receipt = await provider({ receiptIdFormat: 'hex-to-dec' }).send(message('x'));
    assert.equal(receipt.providerMessageId, '1001');
    assert.equal((await reports.count(1))[0]?.providerMessageId, '1001');
  });

  it('acknowledges a message from a phone without reporting or logging its text, and a receipt without an id', async () => {
    const sms = provider();
    await sms.ready();
    assert.equal(await smsc.sendDeliver({ source_addr: '15551234567', destination_addr: 'Verity', esm_class: 0, short_message: 'secret reply 9876' }), 0);
    assert.equal(await smsc.sendDeliver({ source_addr: '15551234567', destination_addr: 'Verity', esm_class: 4, short_message: 'stat:DELIVRD' }), 0);
    assert.equal(reports.received.length, 0);
    assert.ok(!JSON.stringify(lines).includes('9876'), 'the MO text is not logged');
    assert.ok(lines.some((l) => l['msg'] === 'SMPP message from a phone ignored'), 'the MO message is logged');
  });

  it('reports again a receipt that overtook the send (the sink did not know the id yet), and gives up on ids it never sent', async () => {
    reports.notYet.set('m1', 2);
    reports.notYet.set('m9', 99);
    const sms = provider();
    await sms.send(message('x'));
    assert.deepEqual(await reports.count(1), [{ provider: 'smpp-eu', providerMessageId: 'm1', status: 'delivered' }]);
    assert.equal(reports.notYet.has('m1'), false, 'asked twice and answered unknown, then recorded');
    assert.equal(await smsc.sendReceipt('m9', 'DELIVRD'), 0);
    assert.equal(reports.notYet.get('m9'), 98, 'an id it never submitted is reported once');
    assert.ok(lines.some((l) => l['msg'] === 'SMPP receipt for a message Verity did not send through this provider'), 'and logged');
  });

  it('answers deliver_sm that the SMSC sends right behind the bind response', async () => {
    smsc.pushOnBind = [
      { source_addr: '15551234567', destination_addr: 'Verity', esm_class: 0, short_message: 'stored MO' },
      { source_addr: '15551234567', destination_addr: 'Verity', esm_class: 4, short_message: 'id:m7 sub:001 dlvrd:001 submit date:2612061200 done date:2612061201 stat:DELIVRD err:000 text:' },
    ];
    provider();
    assert.deepEqual(await smsc.answered(2), [0, 0]);
    assert.deepEqual(await reports.count(1), [{ provider: 'smpp-eu', providerMessageId: 'm7', status: 'delivered' }]);
  });

  it('answers a receipt it could not record with ESME_RX_T_APPN, so the SMSC delivers it again', async () => {
    reports.fail = true;
    smsc.receipts = 'none';
    await provider().send(message('x'));
    assert.equal(await smsc.sendReceipt('m1', 'DELIVRD'), 0x64);
  });

  it('fails retryable when the SMSC throttles (0x58) or its queue is full (0x14), naming the status', async () => {
    const sms = provider();
    smsc.behaviour = 'throttle';
    const throttled = await rejection(sms.send(message('x')));
    assert.equal(throttled.retryable, true);
    assert.match(throttled.message, /ESME_RTHROTTLED \(0x58\)/);
    smsc.behaviour = 'queue-full';
    const full = await rejection(sms.send(message('x')));
    assert.equal(full.retryable, true);
    assert.match(full.message, /ESME_RMSGQFUL/);
  });

  it('fails for good on any other status, naming it', async () => {
    smsc.behaviour = 'refuse';
    const error = await rejection(provider().send(message('x')));
    assert.equal(error.retryable, false);
    assert.match(error.message, /ESME_RINVDSTADR \(0x0b\)/);
  });

  it('a later part refused after earlier parts were taken is not retryable, even when throttled', async () => {
    const sms = provider();
    smsc.events.once('submit', () => (smsc.behaviour = 'throttle'));
    const error = await rejection(sms.send(message('a'.repeat(300))));
    assert.equal(error.retryable, false);
    assert.match(error.message, /part 2 of 2; earlier parts were accepted/);
  });

  it('a submit_sm without an answer fails not retryable after the time-out, and the link is probed', async () => {
    smsc.behaviour = 'stall';
    const sms = provider({ responseTimeoutMs: 200 });
    await sms.ready();
    const probed = once(smsc.events, 'enquire_link');
    const error = await rejection(sms.send(message('x')));
    assert.equal(error.retryable, false);
    assert.match(error.message, /no submit_sm_resp within 200 ms/);
    await probed;
  });

  it('keeps no more submits in flight than the window', async () => {
    smsc.behaviour = 'stall';
    const sms = provider({ window: 2, responseTimeoutMs: 300 });
    await sms.ready();
    const order: string[] = [];
    smsc.events.on('submit', () => order.push('submit'));
    const sends = [1, 2, 3].map((n) =>
      sms.send(message(String(n))).catch((error: Error) => {
        order.push('failed');
        return error;
      }),
    );
    await Promise.all(sends);
    await smsc.submitted(3);
    assert.deepEqual(order.slice(0, 3), ['submit', 'submit', 'failed'], 'the third went out only after one of the first two ended');
  });

  it('paces submits to the throughput limit', async () => {
    const sms = provider({ throughputPerSecond: 50, window: 100 });
    await sms.ready();
    const start = performance.now();
    await Promise.all(Array.from({ length: 60 }, (_, n) => sms.send(message(String(n)))));
    // 50 go at once (a second's burst), the other 10 one every 20 ms.
    assert.ok(performance.now() - start >= 190, `60 submits at 50/s took ${performance.now() - start} ms`);
  });

  it('goes round-robin over several binds', async () => {
    const sms = provider({ bindsPerUrl: 3 });
    await smsc.bound(3);
    for (let n = 0; n < 6; n++) await sms.send(message(String(n)));
    const binds = (await smsc.submitted(6)).map((s) => s.bind);
    assert.equal(new Set(binds.slice(0, 3)).size, 3, `each of the three binds once: ${binds}`);
    assert.deepEqual(binds.slice(3), binds.slice(0, 3));
  });

  it('goes round-robin over several SMSCs, and past one that is down', async () => {
    const second = await startFakeSmsc();
    try {
      const sms = provider({ url: [smsc.url, second.url] });
      await Promise.all([smsc.bound(1), second.bound(1)]);
      for (let n = 0; n < 4; n++) await sms.send(message(String(n)));
      assert.deepEqual([smsc.submits.length, second.submits.length], [2, 2]);
      second.dropAll();
      await second.close();
      for (let n = 0; n < 2; n++) await sms.send(message(String(n)));
      assert.equal(smsc.submits.length, 4, 'the bound SMSC took what the other could not');
    } finally {
      await second.close();
    }
  });

  it('a submit that waited for the throughput limit past the time-out fails retryable: it was never sent', async () => {
    const sms = provider({ throughputPerSecond: 1, responseTimeoutMs: 200 });
    await sms.ready();
    const [first, second] = await Promise.allSettled([sms.send(message('1')), rejection(sms.send(message('2')))]);
    assert.equal(first.status, 'fulfilled', 'the first took the one token');
    assert.equal(second.status === 'fulfilled' && second.value.retryable, true);
    assert.match(second.status === 'fulfilled' ? second.value.message : '', /not sent: no room in the bind's window or throughput limit within 200 ms/);
    assert.equal(smsc.submits.length, 1);
  });

  it('reconnects after the link drops, with back-off, and sends again', async () => {
    const sms = provider();
    await sms.ready();
    const bind = sms.binds[0] as SmppBind;
    const states: string[] = [];
    bind.onStateChange(() => states.push(bind.state));
    smsc.dropAll();
    await smsc.bound(1);
    await sms.ready();
    assert.equal(bind.bindCount, 2);
    assert.deepEqual(states.slice(0, 3), ['backoff', 'connecting', 'bound']);
    assert.equal((await sms.send(message('again'))).providerMessageId, 'm1');
  });

  it('drops and rebinds a link whose enquire_link goes unanswered', async () => {
    const sms = provider({ enquireLinkMs: 30, responseTimeoutMs: 100 });
    await sms.ready();
    const bind = sms.binds[0] as SmppBind;
    const reasons: string[] = [];
    bind.onStateChange(() => void (bind.state === 'backoff' && reasons.push(bind.lastError)));
    smsc.answerEnquireLink = false;
    while (smsc.binds.length < 2) await once(smsc.events, 'bind');
    assert.deepEqual(reasons, ['no enquire_link_resp within 100 ms']);
    smsc.answerEnquireLink = true;
    await sms.ready();
    assert.ok(bind.bindCount >= 2, 'bound again');
  });

  it('fails retryable at once, naming the SMSC\'s answer, when the bind is refused (wrong password)', async () => {
    const error = await rejection(provider({ password: 'wrong' }).send(message('x')));
    assert.equal(error.retryable, true);
    assert.match(error.message, /bind_transceiver refused: ESME_RINVPASWD \(0x0e\)/);
    assert.equal(smsc.submits.length, 0);
  });

  it('fails retryable when the SMSC takes the connection but never answers the bind', async () => {
    const accepted = new Set<Socket>();
    const silent = createServer((socket) => void accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const sms = provider({ url: `smpp://127.0.0.1:${(silent.address() as { port: number }).port}`, responseTimeoutMs: 200 });
      const error = await rejection(sms.send(message('x')));
      assert.equal(error.retryable, true);
      assert.match(error.message, /no bind_transceiver_resp within 200 ms/);
      await sms.close();
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails retryable when the SMSC cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(provider({ url: `smpp://127.0.0.1:${port}` }).send(message('x')));
    assert.equal(error.retryable, true);
    assert.match(error.message, /no SMPP bind is up \(.*ECONNREFUSED/);
  });

  it('refuses channels other than SMS without retrying', async () => {
    const error = await rejection(provider().send({ ...message('x'), channel: 'email' }));
    assert.equal(error.retryable, false);
  });

  it('unbinds cleanly on close', async () => {
    const sms = provider();
    await sms.ready();
    const unbound = once(smsc.events, 'unbind');
    await sms.close();
    await unbound;
    assert.equal(sms.binds[0]?.state, 'closed');
    const error = await rejection(sms.send(message('x')));
    assert.equal(error.retryable, true);
  });

  describe('with an SMSC that has transmitter and receiver binds only (tx+rx)', () => {
    let split: FakeSmsc;
    before(async () => {
      split = await startFakeSmsc({ noTransceiver: true });
    });
    after(() => split.close());

    it('binds a transmitter and a receiver and gets receipts on the receiver', async () => {
      const transceiver = provider({}, split);
      const refused = await rejection(transceiver.send(message('x')));
      assert.match(refused.message, /ESME_RBINDFAIL/);
      await transceiver.close();
      const sms = provider({ bindMode: 'tx+rx' }, split);
      await sms.send(message('x'));
      assert.deepEqual(split.binds.slice(-2).map((b) => b.command).sort(), ['bind_receiver', 'bind_transmitter']);
      assert.deepEqual(await reports.count(1), [{ provider: 'smpp-eu', providerMessageId: 'm1', status: 'delivered' }]);
    });
  });

  describe('over TLS (ssmpp://)', () => {
    let dir: string;
    let tlsSmsc: FakeSmsc;
    let ca: Buffer;
    before(async () => {
      // A self-signed certificate for 127.0.0.1, made for this test.
      dir = mkdtempSync(join(tmpdir(), 'verity-smpp-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=smsc.test',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:smsc.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      ca = readFileSync(join(dir, 'cert.pem'));
      const tls: FakeSmscOptions['tls'] = { key: readFileSync(join(dir, 'key.pem')), cert: ca };
      tlsSmsc = await startFakeSmsc({ tls });
    });
    after(async () => {
      await tlsSmsc.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('sends and gets receipts over TLS when the SMSC\'s certificate is signed by the configured CA', async () => {
      assert.match(tlsSmsc.url, /^ssmpp:\/\//);
      const receipt = await provider({ tls: { ca } }, tlsSmsc).send(message('Your code is 1'));
      assert.equal(receipt.providerMessageId, 'm1');
      assert.equal((await reports.count(1))[0]?.status, 'delivered');
    });

    it('refuses an SMSC whose certificate it cannot verify, retryable, and binds nothing', async () => {
      const error = await rejection(provider({}, tlsSmsc).send(message('x')));
      assert.equal(error.retryable, true);
      assert.match(error.message, /self.signed certificate/i);
      const wrongName = await rejection(provider({ tls: { ca, servername: 'other.test' } }, tlsSmsc).send(message('x')));
      assert.match(wrongName.message, /altnames|does not match/i);
    });

    it('connects without verification only when told to', async () => {
      assert.equal((await provider({ tls: { verify: false } }, tlsSmsc).send(message('x'))).providerMessageId.length > 0, true);
    });
  });
});
