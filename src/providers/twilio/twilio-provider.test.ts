import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import type { OutboundMessage } from '../provider.ts';
import { sayLanguage } from './say-twiml.ts';
import { createTwilioProvider, type TwilioProviderOptions } from './twilio-provider.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'test-auth-token-0123456789';
const API_KEY_SID = `SK${'fedcba9876543210'.repeat(2)}`;
const API_KEY_SECRET = 'test-api-key-secret-0123';
const CREDENTIALS = new Map([[ACCOUNT_SID, AUTH_TOKEN], [API_KEY_SID, API_KEY_SECRET]]);

interface Received {
  resource: string;
  form: URLSearchParams;
}

/** What the fake Twilio does after validating a request; 'accept' is the normal 201. */
let behaviour: 'accept' | 'rate-limit' | 'server-error' | 'echo-body-400' | 'hang' = 'accept';
let received: Received[] = [];
let server: Server;
let apiBase: string;

function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

/** Validates a request the way the Twilio REST API does, for the parts Verity uses. */
async function fakeTwilio(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');

  const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/(Messages|Calls)\.json$/.exec(req.url ?? '');
  if (req.method !== 'POST' || !match) return twilioError(res, 404, 20404, 'The requested resource was not found');

  const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
  if (!req.headers.authorization?.startsWith('Basic ') || user === undefined || CREDENTIALS.get(user) !== password) {
    return twilioError(res, 401, 20003, 'Authenticate');
  }
  if (match[1] !== ACCOUNT_SID) return twilioError(res, 403, 20003, 'Permission denied');
  if (req.headers['content-type']?.split(';')[0] !== 'application/x-www-form-urlencoded') {
    return twilioError(res, 400, 20001, 'Unsupported content type');
  }

  const resource = match[2] ?? '';
  const form = new URLSearchParams(body);
  if (!form.get('To')) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
  if (resource === 'Messages') {
    if (!form.get('Body')) return twilioError(res, 400, 21602, 'Message body is required.');
    if (!form.get('From') && !form.get('MessagingServiceSid')) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
  } else {
    if (!form.get('From')) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!form.get('Twiml') && !form.get('Url')) return twilioError(res, 400, 21205, 'Url parameter is required.');
  }
  received.push({ resource, form });

  if (behaviour === 'hang') return; // never answers
  if (behaviour === 'rate-limit') return twilioError(res, 429, 20429, 'Too Many Requests');
  if (behaviour === 'server-error') return twilioError(res, 500, 20500, 'Internal Server Error');
  if (behaviour === 'echo-body-400') return twilioError(res, 400, 21617, `The concatenated message body exceeds the 1600 character limit: ${form.get('Body')}`);

  const sid = `${resource === 'Messages' ? 'SM' : 'CA'}${randomBytes(16).toString('hex')}`;
  res.writeHead(201, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ sid, account_sid: ACCOUNT_SID, to: form.get('To'), status: 'queued' }));
}

before(async () => {
  server = createServer((req, res) => void fakeTwilio(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  behaviour = 'accept';
  received = [];
});

function provider(overrides: Partial<TwilioProviderOptions> = {}) {
  return createTwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBase, from: '+15005550006', ...overrides });
}

const sms: OutboundMessage = { channel: 'sms', to: '+15551234567', body: 'Your Acme code is 834921', locale: 'en', verificationSid: 'VE1' };

test('sends an SMS through the Messages API', async () => {
  const receipt = await provider().send(sms);
  assert.match(receipt.providerMessageId, /^SM[0-9a-f]{32}$/);
  assert.equal(received.length, 1);
  const [request] = received;
  assert.equal(request?.resource, 'Messages');
  assert.deepEqual(Object.fromEntries(request?.form ?? []), { To: '+15551234567', Body: 'Your Acme code is 834921', From: '+15005550006' });
});

test('uses MessagingServiceSid when the sender is a Messaging Service', async () => {
  const service = `MG${'a'.repeat(32)}`;
  await provider({ from: service }).send(sms);
  assert.equal(received[0]?.form.get('MessagingServiceSid'), service);
  assert.equal(received[0]?.form.has('From'), false);
});

test('authenticates with an API key when one is given', async () => {
  const receipt = await provider({ apiKeySid: API_KEY_SID, authToken: API_KEY_SECRET }).send(sms);
  assert.match(receipt.providerMessageId, /^SM/);
});

test('places a call that says the escaped text in the message language', async () => {
  const text = 'Tu código es 8, 3, 4 <&> "9" \'2\' 1.';
  const receipt = await provider().send({ channel: 'call', to: '+15551234567', body: text, locale: 'es', verificationSid: 'VE2' });
  assert.match(receipt.providerMessageId, /^CA[0-9a-f]{32}$/);
  const form = received[0]?.form;
  assert.equal(received[0]?.resource, 'Calls');
  assert.equal(form?.get('To'), '+15551234567');
  assert.equal(form?.get('From'), '+15005550006');
  const twiml = parseXml(form?.get('Twiml') ?? '');
  assert.equal(twiml.name, 'Response');
  const says = twiml.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'Say');
  assert.equal(says.length, 1);
  assert.equal(says[0]?.attributes['language'], 'es-ES');
  assert.deepEqual(says[0]?.children, [text]);
});

test('a call cannot use a Messaging Service as caller id', async () => {
  const err = await rejection(provider({ from: `MG${'a'.repeat(32)}` }).send({ ...sms, channel: 'call' }));
  assert.equal(err.retryable, false);
  assert.equal(received.length, 0);
});

test('wrong credentials give a non-retryable error carrying Twilio code 20003', async () => {
  const err = await rejection(provider({ authToken: 'wrong-token-0123456789' }).send(sms));
  assert.equal(err.retryable, false);
  assert.match(err.message, /401/);
  assert.match(err.message, /20003/);
  assert.equal(received.length, 0);
});

test('a 4xx error never repeats the message text', async () => {
  behaviour = 'echo-body-400';
  const err = await rejection(provider().send(sms));
  assert.equal(err.retryable, false);
  assert.match(err.message, /21617/);
  assert.equal(err.message.includes('834921'), false);
});

test('HTTP 429 is retryable', async () => {
  behaviour = 'rate-limit';
  const err = await rejection(provider().send(sms));
  assert.equal(err.retryable, true);
  assert.match(err.message, /429/);
});

test('HTTP 500 is not retryable: Twilio may have accepted the message', async () => {
  behaviour = 'server-error';
  const err = await rejection(provider().send(sms));
  assert.equal(err.retryable, false);
  assert.match(err.message, /500/);
});

test('a refused connection is retryable', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const err = await rejection(provider({ apiBase: `http://127.0.0.1:${port}` }).send(sms));
  assert.equal(err.retryable, true);
});

test('a timeout is not retryable', async () => {
  behaviour = 'hang';
  const err = await rejection(provider({ timeoutMs: 200 }).send(sms));
  assert.equal(err.retryable, false);
  assert.equal(received.length, 1);
});

test('email is not supported', async () => {
  const err = await rejection(provider().send({ ...sms, channel: 'email', to: 'a@b.c' }));
  assert.equal(err.retryable, false);
});

test('maps locales to Say languages', () => {
  assert.equal(sayLanguage('en'), 'en-US');
  assert.equal(sayLanguage('en-GB'), 'en-GB');
  assert.equal(sayLanguage('pt'), 'pt-BR');
  assert.equal(sayLanguage('pt-PT'), 'pt-PT');
  assert.equal(sayLanguage('fr'), 'fr-FR');
  assert.equal(sayLanguage('de-AT'), 'de-DE');
  assert.equal(sayLanguage('it'), 'it-IT');
  assert.equal(sayLanguage('zh-Hant-TW'), 'zh-TW');
  assert.equal(sayLanguage('xx'), 'en-US');
});

test('the test XML parser rejects what Twilio would reject', () => {
  assert.throws(() => parseXml('<Response><Say>1 & 2</Say></Response>'));
  assert.throws(() => parseXml('<Response><Say>a < b</Say></Response>'));
  assert.throws(() => parseXml('<Response><Say></Response>'));
  assert.deepEqual(parseXml('<R a="&quot;x&quot;">&lt;&amp;&gt;</R>'), { name: 'R', attributes: { a: '"x"' }, children: ['<&>'] });
});

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

/** A strict parser for the XML subset TwiML uses; throws on anything not well-formed. */
function parseXml(xml: string): XmlElement {
  let i = 0;
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const fail = (why: string): never => {
    throw new Error(`malformed XML at ${i}: ${why}`);
  };
  const decode = (raw: string): string => {
    if (/[<]/.test(raw)) fail('< in text');
    return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) return fail('bare &');
      if (/^#x[0-9a-f]+$/i.test(ref)) return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (/^#[0-9]+$/.test(ref)) return String.fromCodePoint(parseInt(ref.slice(1), 10));
      return entities[ref] ?? fail(`unknown entity ${whole}`);
    });
  };
  const name = (): string => {
    const m = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i));
    if (!m) return fail('name expected');
    i += m[0].length;
    return m[0];
  };
  const skipSpace = () => {
    while (/\s/.test(xml[i] ?? '')) i++;
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('< expected');
    i++;
    const el: XmlElement = { name: name(), attributes: {}, children: [] };
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      const attr = name();
      skipSpace();
      if (xml[i] !== '=') fail('= expected');
      i++;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") return fail('quote expected');
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute');
      if (attr in el.attributes) fail('duplicate attribute');
      el.attributes[attr] = decode(xml.slice(i + 1, end));
      i = end + 1;
    }
    for (;;) {
      if (i >= xml.length) fail(`unclosed <${el.name}>`);
      if (xml.startsWith('</', i)) {
        i += 2;
        if (name() !== el.name) fail(`mismatched </…> for <${el.name}>`);
        skipSpace();
        if (xml[i] !== '>') fail('> expected');
        i++;
        return el;
      }
      if (xml[i] === '<') {
        el.children.push(element());
        continue;
      }
      const next = xml.indexOf('<', i);
      const end = next < 0 ? xml.length : next;
      el.children.push(decode(xml.slice(i, end)));
      i = end;
    }
  };
  if (xml.startsWith('<?xml')) {
    i = xml.indexOf('?>') + 2;
    if (i < 2) fail('unterminated declaration');
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) fail('content after the root element');
  return root;
}
