/**
 * Verity's SIP user agent (src/providers/sip/signalling) against sipp (Debian `sip-tester`), a
 * SIP peer Verity did not write: sipp plays the callee, the trunk or a hostile stranger from the
 * scenarios in test/fixtures/sip/sipp/, and its exit code says whether every message Verity sent
 * matched the scenario (ACK and BYE seen, CANCEL only after a provisional response, credentials
 * verified, …). Verity's UA runs on 127.0.0.2 and sipp on 127.0.0.1 (npm `sip` answers a request
 * for its own address with a synthetic 404), each on a port found free at run time.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { CallEnd } from '../../src/voice/call-script.ts';
import type { OutgoingCall, SipTransport, SipUserAgent, SipUserAgentOptions } from '../../src/providers/sip/signalling/sip-signalling.ts';
import { startSipUserAgent } from '../../src/providers/sip/signalling/sip-user-agent.ts';
import { capturedLogger } from '../support/captured-logger.ts';
import { kamailioBinary, startKamailio } from '../support/sip-peers/kamailio.ts';
import { freePort, sippAvailable, startSipp, type Sipp, type SippOptions } from '../support/sipp.ts';
import { waitUntil } from '../support/wait-for.ts';

const available = sippAvailable();
if (!available) console.error('\n*** test/interop/sip-signalling.test.ts: SKIPPED: sipp is not installed (apt-get install sip-tester). CI installs it and fails here instead. ***\n');
const skip = !available && !process.env['CI'] ? 'sipp is not installed (apt-get install sip-tester)' : false;

const PASSWORD = 's3cret-pass';
const OFFER = ['v=0', 'o=verity 1 1 IN IP4 127.0.0.2', 's=-', 'c=IN IP4 127.0.0.2', 't=0 0', 'm=audio 20000 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', ''].join('\r\n');

interface Ua {
  ua: SipUserAgent;
  lines: Record<string, unknown>[];
  /** The port Verity's SIP socket took (from its start log line). */
  port: number;
}

async function startUa(t: TestContext, proxy: { port: number; transport?: SipTransport }, extra: Partial<SipUserAgentOptions> = {}): Promise<Ua> {
  const { logger, lines } = capturedLogger();
  const ua = await startSipUserAgent({
    proxy: { host: '127.0.0.1', port: proxy.port, transport: proxy.transport ?? 'udp' },
    domain: '127.0.0.1',
    listen: { address: '127.0.0.2', port: 0 },
    publicAddress: '127.0.0.2',
    userAgent: 'Verity-test',
    logger,
    ...extra,
  });
  t.after(() => ua.close());
  const started = lines.find((line) => line['msg'] === 'SIP user agent started');
  return { ua, lines, port: Number(String(started?.['listen']).split(':')[1]) };
}

async function sipp(t: TestContext, options: SippOptions): Promise<Sipp> {
  const peer = await startSipp(options);
  t.after(() => peer.stop());
  return peer;
}

interface Placed {
  call: OutgoingCall;
  events: string[];
  ended: Promise<{ how: CallEnd; detail: string; status: number | undefined }>;
  answer: Promise<string>;
}

/** Places a call to +15550001111 from +15557654321 and records its signals; `on` reacts to them (e.g. hangs up). */
function place(ua: SipUserAgent, on: { progress?(status: number, call: OutgoingCall): void; answered?(call: OutgoingCall): void } = {}): Placed {
  const events: string[] = [];
  let resolveAnswer!: (sdp: string) => void;
  const answer = new Promise<string>((resolve) => (resolveAnswer = resolve));
  let call!: OutgoingCall;
  const ended = new Promise<{ how: CallEnd; detail: string; status: number | undefined }>((resolve) => {
    call = ua.invite(
      { callSid: 'CLtest', to: '+15550001111', callerId: '+15557654321', assertIdentity: true, sdpOffer: OFFER },
      {
        progress(status, sdp) {
          events.push(`progress ${status}${sdp ? ' with sdp' : ''}`);
          on.progress?.(status, call);
        },
        answered(sdp) {
          events.push('answered');
          resolveAnswer(sdp);
          on.answered?.(call);
        },
        ended(how, detail, status) {
          events.push(`ended ${how}`);
          resolve({ how, detail, status });
        },
      },
    );
  });
  return { call, events, ended, answer };
}

async function passed(peer: Sipp): Promise<void> {
  assert.equal(await peer.exited, 0, `sipp's scenario failed:\n${peer.errors()}`);
}

describe('SIP user agent against sipp', { skip }, () => {
  for (const transport of ['udp', 'tcp'] as const) {
    it(`answered, then the callee sends OPTIONS, a re-INVITE, INFO, REFER (405) and BYE (${transport}): completed`, async (t) => {
      const peer = await sipp(t, { scenario: 'uas-answer-callee-hangs-up.xml', transport });
      const { ua, lines } = await startUa(t, { port: peer.port, transport });
      const placed = place(ua);
      assert.match(await placed.answer, /^m=audio \d+ RTP\/AVP 0 101$/m);
      assert.deepEqual(await placed.ended, { how: 'completed', detail: 'hung up by the callee', status: undefined });
      assert.deepEqual(placed.events, ['progress 180', 'answered', 'ended completed']);
      await passed(peer);
      const logged = JSON.stringify(lines);
      assert.ok(logged.includes('INFO received'), 'the INFO was logged');
      assert.ok(!logged.includes('Signal=') && !logged.includes('m=audio'), 'neither a DTMF digit nor SDP is logged');
    });
  }

  // Debian's sipp is built without OpenSSL (`-t l1` refuses to start), so TLS ends at a relay in the
  // test: a TLS server with a self-signed certificate piping each connection to sipp over TCP.
  async function tlsRelay(t: TestContext, toPort: number): Promise<{ port: number; cert: string; handshakes: { ok: number; failed: number } }> {
    const dir = mkdtempSync(join(tmpdir(), 'verity-sip-tls-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    assert.equal(made.status, 0, 'openssl made a self-signed certificate');
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const handshakes = { ok: 0, failed: 0 };
    const server = tls.createServer({ cert, key: readFileSync(join(dir, 'key.pem'), 'utf8') }, (secure) => {
      handshakes.ok++;
      const plain = net.connect(toPort, '127.0.0.1');
      secure.pipe(plain).pipe(secure);
      const end = () => (secure.destroy(), plain.destroy());
      secure.on('error', end).on('close', end);
      plain.on('error', end).on('close', end);
    });
    server.on('tlsClientError', () => handshakes.failed++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => server.close(resolve)));
    return { port: (server.address() as net.AddressInfo).port, cert, handshakes };
  }

  it('over TLS, verifying the proxy\'s certificate against the configured CA', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-answer-callee-hangs-up.xml', transport: 'tcp' });
    const relay = await tlsRelay(t, peer.port);
    const { ua } = await startUa(t, { port: relay.port, transport: 'tls' }, { tls: { ca: relay.cert, verify: true } });
    const placed = place(ua);
    assert.equal((await placed.ended).how, 'completed');
    assert.deepEqual(placed.events, ['progress 180', 'answered', 'ended completed']);
    await passed(peer);
    assert.equal(relay.handshakes.ok, 1);
  });

  it('over TLS, a certificate Verity does not trust: the call fails and nothing reaches the peer', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-answer-callee-hangs-up.xml', transport: 'tcp', timeoutSeconds: 5 });
    const relay = await tlsRelay(t, peer.port);
    const { ua } = await startUa(t, { port: relay.port, transport: 'tls' }, { tls: { verify: true } });
    const placed = place(ua);
    const ended = await placed.ended;
    assert.equal(ended.how, 'failed');
    assert.match(ended.detail, /could not be reached/);
    assert.equal(relay.handshakes.ok, 0);
    assert.doesNotMatch(peer.messages(), /INVITE sip:/);
  });

  it('early media (183 with SDP), a Record-Route set, then Verity hangs up: ACK and BYE go to the Contact through the reversed route set', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-answer-caller-hangs-up.xml' });
    const { ua } = await startUa(t, { port: peer.port });
    const placed = place(ua, { answered: (call) => void call.hangUp() });
    assert.deepEqual(await placed.ended, { how: 'completed', detail: 'hung up by Verity', status: undefined });
    assert.deepEqual(placed.events, ['progress 183 with sdp', 'progress 180', 'answered', 'ended completed']);
    await passed(peer);
  });

  const finals: [number, string, CallEnd][] = [
    [486, 'Busy Here', 'busy'],
    [600, 'Busy Everywhere', 'busy'],
    [603, 'Decline', 'rejected'],
    [480, 'Temporarily Unavailable', 'no-answer'],
    [408, 'Request Timeout', 'no-answer'],
    [403, 'Forbidden', 'failed'],
    [404, 'Not Found', 'failed'],
    [503, 'Service Unavailable', 'failed'],
  ];
  for (const [status, reason, how] of finals) {
    it(`${status} ${reason} after ringing: ${how} (and the final response is ACKed)`, async (t) => {
      const peer = await sipp(t, { scenario: 'uas-final-response.xml', fill: { status, reason } });
      const { ua } = await startUa(t, { port: peer.port });
      const placed = place(ua);
      const ended = await placed.ended;
      assert.equal(ended.how, how);
      assert.equal(ended.status, status, 'the status that ended it is reported (a 503 from the peer is not taken for a transport failure)');
      assert.deepEqual(placed.events, ['progress 180', `ended ${how}`]);
      await passed(peer);
      // RFC 3261 §17.1.1.3: the ACK for a non-2xx has the INVITE's branch; §8.1.1.7: a branch unique
      // across space and time (Verity's are 128 random bits, not npm sip's ~20).
      const branchOf = (method: string) => {
        const message = peer.messages().split(/^-{20,}.*$/m).map((block) => block.trimStart().replace(/^[^\n]*(received|sent)[^\n]*\n\s*/, '')).find((block) => block.startsWith(`${method} `));
        return /^Via: [^\r\n]*;branch=(z9hG4bK[^;\s]+)/m.exec(message ?? '')?.[1];
      };
      assert.match(branchOf('INVITE') ?? '', /^z9hG4bK[0-9a-f]{32}$/);
      assert.equal(branchOf('ACK'), branchOf('INVITE'));
    });
  }

  it('no answer: hangUp while it rings sends CANCEL; the 487 ends the call as canceled', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-ring-until-cancel.xml', fill: { ring_after_ms: 0 } });
    const { ua } = await startUa(t, { port: peer.port });
    const placed = place(ua, { progress: (_status, call) => void call.hangUp() });
    assert.deepEqual(await placed.ended, { how: 'canceled', detail: 'canceled by Verity', status: 487 });
    await passed(peer);
  });

  it('hangUp before any provisional response waits for one (RFC 3261 §9.1), then cancels; hangUp twice is one hang-up', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-ring-until-cancel.xml', fill: { ring_after_ms: 300 } });
    const { ua, lines } = await startUa(t, { port: peer.port });
    const placed = place(ua);
    await waitUntil('the INVITE is sent', () => lines.some((line) => line['msg'] === 'SIP call: INVITE sent'));
    const first = placed.call.hangUp();
    const second = placed.call.hangUp();
    await Promise.all([first, second]);
    assert.deepEqual(await placed.ended, { how: 'canceled', detail: 'canceled by Verity', status: 487 });
    assert.deepEqual(placed.events, ['ended canceled'], 'no progress is reported once Verity hung up');
    await passed(peer);
  });

  it('close() while a call rings cancels it before the sockets close', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-ring-until-cancel.xml', fill: { ring_after_ms: 0 } });
    const { ua } = await startUa(t, { port: peer.port });
    let closed: Promise<void> | undefined;
    const placed = place(ua, {
      progress: () => {
        closed = ua.close();
      },
    });
    assert.deepEqual(await placed.ended, { how: 'canceled', detail: 'canceled by Verity', status: 487 });
    await closed;
    await passed(peer);
  });

  it('the CANCEL race: a 200 OK that crosses the CANCEL is ACKed and ended with BYE at once', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-answer-crossing-cancel.xml' });
    const { ua } = await startUa(t, { port: peer.port });
    const placed = place(ua, { progress: (_status, call) => void call.hangUp() });
    const ended = await placed.ended;
    assert.equal(ended.how, 'canceled');
    assert.equal(ended.status, 200);
    assert.deepEqual(placed.events, ['progress 180', 'ended canceled'], 'the crossing answer is not reported as answered');
    await passed(peer);
  });

  it('two forks answer: the first is kept, the second is ACKed and ended with BYE', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-forked-answers.xml' });
    const { ua } = await startUa(t, { port: peer.port });
    const placed = place(ua);
    assert.deepEqual(await placed.ended, { how: 'completed', detail: 'hung up by the callee', status: undefined });
    assert.deepEqual(placed.events, ['answered', 'ended completed']);
    await passed(peer);
  });

  it('a 200 OK without an SDP answer is ACKed and hung up with BYE: failed', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-answer-without-sdp.xml' });
    const { ua } = await startUa(t, { port: peer.port });
    const placed = place(ua);
    assert.deepEqual(await placed.ended, { how: 'failed', detail: 'answered without an SDP answer', status: 200 });
    assert.deepEqual(placed.events, ['progress 180', 'ended failed']);
    await passed(peer);
  });

  it('a challenged BYE is sent again with credentials (and the next CSeq)', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-bye-challenge.xml' });
    const { ua } = await startUa(t, { port: peer.port }, { credentials: { username: 'verity', password: PASSWORD } });
    const placed = place(ua, { answered: (call) => void call.hangUp() });
    assert.deepEqual(await placed.ended, { how: 'completed', detail: 'hung up by Verity', status: undefined });
    await passed(peer);
  });

  it('401: answered once with digest credentials that sipp <verifyauth> accepts', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-www-challenge.xml' });
    const { ua } = await startUa(t, { port: peer.port }, { credentials: { username: 'verity', password: PASSWORD } });
    const placed = place(ua, { answered: (call) => void call.hangUp() });
    assert.equal((await placed.ended).how, 'completed');
    assert.deepEqual(placed.events, ['progress 180', 'answered', 'ended completed']);
    await passed(peer);
  });

  it('401 with a wrong password: the second challenge means refused, the call fails', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-www-challenge.xml' });
    const { ua, lines } = await startUa(t, { port: peer.port }, { credentials: { username: 'verity', password: 'wrong-password' } });
    const placed = place(ua);
    assert.deepEqual(await placed.ended, { how: 'failed', detail: 'authentication refused', status: 401 });
    await passed(peer);
    assert.ok(!JSON.stringify(lines).includes('wrong-password'), 'the password is never logged');
  });

  it('401 with no credentials configured: failed at once', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-www-challenge.xml', timeoutSeconds: 3 });
    const { ua } = await startUa(t, { port: peer.port });
    const placed = place(ua);
    assert.deepEqual(await placed.ended, { how: 'failed', detail: 'authentication required but no credentials are configured', status: 401 });
  });

  it('407: Proxy-Authorization answers the proxy\'s challenge (the digest checked here, RFC 2617 §3.2.2)', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-proxy-challenge.xml' });
    const { ua } = await startUa(t, { port: peer.port }, { credentials: { username: 'verity', password: PASSWORD } });
    const placed = place(ua, { answered: (call) => void call.hangUp() });
    assert.equal((await placed.ended).how, 'completed');
    await passed(peer);
    const header = /^Proxy-Authorization: Digest (.*)$/m.exec(peer.messages())?.[1];
    assert.ok(header, 'the second INVITE carried Proxy-Authorization');
    const field = (name: string) => new RegExp(`(?:^|,)\\s*${name}="?([^",]*)"?`).exec(header)?.[1] ?? '';
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const ha1 = md5(`verity:verity.test:${PASSWORD}`);
    const ha2 = md5(`INVITE:${field('uri')}`);
    const expected = md5(`${ha1}:${field('nonce')}:${field('nc')}:${field('cnonce')}:${field('qop')}:${ha2}`);
    assert.equal(field('response'), expected);
    assert.equal(field('username'), 'verity');
    assert.equal(field('uri'), 'sip:+15550001111@127.0.0.1');
  });

  it('a proxy that cannot be reached (TCP, nothing listening): failed', async (t) => {
    const port = await freePort('tcp');
    const { ua } = await startUa(t, { port, transport: 'tcp' });
    const placed = place(ua);
    const ended = await placed.ended;
    assert.equal(ended.how, 'failed');
    assert.match(ended.detail, /could not be reached/);
  });

  it('no response at all (Timer B, 64*T1 = 32 s): the INVITE is retransmitted over UDP, then the call fails', async (t) => {
    // A proxy that takes every datagram and answers none.
    const blackHole = dgram.createSocket('udp4');
    t.after(() => blackHole.close());
    const invites: number[] = [];
    blackHole.on('message', (data) => {
      if (data.toString('latin1').startsWith('INVITE ')) invites.push(Date.now());
    });
    await new Promise<void>((resolve) => blackHole.bind(0, '127.0.0.1', resolve));
    const { ua } = await startUa(t, { port: blackHole.address().port });
    const placed = place(ua);
    assert.deepEqual(await placed.ended, { how: 'failed', detail: 'no response', status: undefined });
    // Timer A (RFC 3261 §17.1.1.2): sent at 0, 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 s.
    assert.ok(invites.length >= 6, `the INVITE was retransmitted (${invites.length} sent)`);
    const span = invites.at(-1)! - invites[0]!;
    assert.ok(span > 14_000 && span < 33_000, `retransmissions over ${span} ms`);
  });

  it('requests outside any call: OPTIONS 200, INVITE 403, BYE 481, MESSAGE 405', async (t) => {
    const { port } = await startUa(t, { port: 9 });
    const peer = await sipp(t, { scenario: 'uac-stranger-requests.xml', remote: `127.0.0.2:${port}` });
    await passed(peer);
  });

  it('malformed and hostile messages are dropped, and the user agent still places a call after them', async (t) => {
    const callee = await sipp(t, { scenario: 'uas-answer-callee-hangs-up.xml' });
    const { ua, lines, port } = await startUa(t, { port: callee.port });

    // sipp as the attacker: no Call-ID/CSeq, a response to nothing, a `__proto__` Via parameter, a header with no colon.
    const attacker = await sipp(t, { scenario: 'uac-hostile-messages.xml', remote: `127.0.0.2:${port}` });
    await passed(attacker);
    assert.ok(lines.some((line) => line['msg'] === 'SIP datagram the parser could not take: dropped'), 'the __proto__ datagram was caught and logged');

    // Raw datagrams: random bytes, an oversized one, a huge header, a bad Content-Length, no Call-ID.
    const raw = dgram.createSocket('udp4');
    t.after(() => raw.close());
    const send = (data: string | Buffer) => new Promise<void>((resolve, reject) => raw.send(data, port, '127.0.0.2', (error) => (error ? reject(error) : resolve())));
    const request = (headers: string[], body = '') => ['OPTIONS sip:verity@127.0.0.2 SIP/2.0', ...headers, '', body].join('\r\n');
    const base = ['Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKraw', 'From: <sip:x@127.0.0.1>;tag=1', 'To: <sip:verity@127.0.0.2>', 'CSeq: 1 OPTIONS'];
    let seed = 7;
    const random = Buffer.from(Array.from({ length: 1200 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff));
    await send(random);
    await send(Buffer.alloc(40_000, 0x41));
    const started = performance.now();
    await send(request([...base, 'Call-ID: huge', `Subject: ${'a'.repeat(30_000)}`, 'Content-Length: 0']));
    await send(request([...base, 'Call-ID: badlength', 'Content-Length: not-a-number'], 'x'));
    await send(request([...base, 'Call-ID: negative', 'Content-Length: -5']));
    await send(request([...base, 'Content-Length: 0']));
    await send(`SIP/2.0 180 Ringing\r\n${base.join('\r\n')}\r\nCall-ID: nothing\r\nContent-Length: 0\r\n\r\n`);
    await waitUntil('the oversized datagram is logged', () => lines.some((line) => line['msg'] === 'SIP datagram too large: dropped'));
    await waitUntil('the random bytes are dropped', () => lines.some((line) => line['msg'] === 'SIP datagram that is not a SIP message: dropped'));
    await waitUntil('the huge-header request is handled', () => lines.some((line) => line['msg'] === 'SIP message received' && (line['sip'] as { callId?: string }).callId === 'huge'));
    assert.ok(performance.now() - started < 2_000, 'a 30 KB header is parsed without a regular-expression blow-up');

    // The user agent answers an OPTIONS over UDP: a round trip that also lets it read what came before.
    const replies: string[] = [];
    raw.on('message', (data) => replies.push(data.toString('latin1')));
    let pings = 0;
    const ping = async () => {
      const callId = `ping-${++pings}`;
      await send(request([...base, `Call-ID: ${callId}`, 'Max-Forwards: 70', 'Content-Length: 0']));
      await waitUntil(`the answer to ${callId}`, () => replies.some((reply) => reply.startsWith('SIP/2.0 200') && reply.includes(`Call-ID: ${callId}`)));
    };
    await ping();

    // TCP: a Content-Length that is not a number stalls npm sip's stream parser, which would then
    // buffer without end; the user agent closes a connection that goes over its budget. The first
    // chunks stay below the library's own header limit (32 KiB), the rest come after a round trip.
    const stream = net.connect(port, '127.0.0.2');
    t.after(() => stream.destroy());
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    stream.on('error', () => {});
    stream.write(request([...base, 'Call-ID: tcp-nan', 'Content-Length: nan']));
    stream.write('x'.repeat(10_000));
    await ping();
    for (let i = 0; i < 8; i++) stream.write('x'.repeat(10_000));
    await closed;
    assert.ok(lines.some((line) => line['msg'] === 'SIP connection sent no complete message within its budget: closed'), 'the stalled connection was closed by the budget');
    await ping();

    const placed = place(ua);
    assert.equal((await placed.ended).how, 'completed');
    await passed(callee);
  });

  it('REGISTER with digest, refreshed at half the granted lifetime, removed on close', async (t) => {
    const peer = await sipp(t, { scenario: 'uas-registrar.xml', fill: { expires: 10, expires_asked: 600 } });
    const { ua, lines } = await startUa(t, { port: peer.port }, { credentials: { username: 'verity', password: PASSWORD }, register: { expiresSeconds: 600 } });
    assert.ok(lines.some((line) => line['msg'] === 'SIP registered' && line['expires'] === 10), 'registered for the 10 s granted');
    await waitUntil('the registration is refreshed', () => lines.filter((line) => line['msg'] === 'SIP registered').length === 2, { timeoutMs: 10_000 });
    await ua.close();
    assert.ok(lines.some((line) => line['msg'] === 'SIP registration removed'), 'unregistered on close');
    await passed(peer);
  });
});

const kamailioSkip = kamailioBinary() === undefined && !process.env['CI'] ? 'kamailio is not installed (apt-get install kamailio)' : false;

describe('SIP user agent against kamailio (a registrar and proxy that checks digest credentials itself)', { skip: kamailioSkip }, () => {
  it('REGISTERs (401 answered) and unregisters on close; an INVITE is answered with Proxy-Authorization (407) and refused 404 for a number nobody registered', async (t) => {
    const trunk = await startKamailio({ accounts: { verity: PASSWORD } });
    t.after(() => trunk.stop());
    const { ua, port } = await startUa(t, { port: trunk.port }, { domain: trunk.realm, credentials: { username: 'verity', password: PASSWORD }, register: { expiresSeconds: 120 } });
    await trunk.waitForRegistration('verity');
    assert.deepEqual(await trunk.contacts('verity'), [`sip:verity@127.0.0.2:${port}`]);

    const placed = place(ua);
    assert.deepEqual(await placed.ended, { how: 'failed', detail: 'no such number', status: 404 });
    await trunk.waitForDecision(/^authenticated INVITE from sip:\+15557654321@trunk\.test as verity /, 'kamailio to accept the credentials');

    await ua.close();
    assert.deepEqual(await trunk.contacts('verity'), [], 'the binding is gone');
  });

  it('a wrong password: kamailio challenges again and the call fails as refused', async (t) => {
    const trunk = await startKamailio({ accounts: { verity: PASSWORD } });
    t.after(() => trunk.stop());
    const { ua } = await startUa(t, { port: trunk.port }, { domain: trunk.realm, credentials: { username: 'verity', password: 'not-the-password' } });
    const placed = place(ua);
    assert.deepEqual(await placed.ended, { how: 'failed', detail: 'authentication refused', status: 407 });
  });
});
