import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { OutboundMessage } from '../provider.ts';
import { sayLanguage } from './say-twiml.ts';
import { SUPPORTED_LOCALES } from '../../i18n/locales.ts';
import { createTwilioProvider, type TwilioProviderOptions } from './twilio-provider.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import {
  TWILIO_ACCOUNT_SID as ACCOUNT_SID,
  TWILIO_API_KEY_SECRET as API_KEY_SECRET,
  TWILIO_API_KEY_SID as API_KEY_SID,
  TWILIO_AUTH_TOKEN as AUTH_TOKEN,
  startFakeTwilio,
  type FakeTwilio,
} from '../../../test/providers/fake-twilio.ts';

// Failures shared by every provider (429 and 5xx replies, a refused connection, a channel it does
// not deliver) are in the shared provider contract (test/providers/provider-contract.ts).

let fake: FakeTwilio;
let apiBase: string;
const received = () => fake.received;

before(async () => {
  fake = await startFakeTwilio();
  apiBase = fake.apiBase;
});
after(() => fake.close());
beforeEach(() => fake.reset());

function provider(overrides: Partial<TwilioProviderOptions> = {}) {
  return createTwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBase, from: '+15005550006', ...overrides });
}

const sms: OutboundMessage = { channel: 'sms', to: '+15551234567', body: 'Your Acme code is 834921', locale: 'en', verificationSid: 'VE1', attemptId: 'VL1' };

test('sends an SMS through the Messages API', async () => {
  const receipt = await provider().send(sms);
  assert.match(receipt.providerMessageId, /^SM[0-9a-f]{32}$/);
  assert.equal(received().length, 1);
  const [request] = received();
  assert.equal(request?.resource, 'Messages');
  assert.deepEqual(Object.fromEntries(request?.form ?? []), { To: '+15551234567', Body: 'Your Acme code is 834921', From: '+15005550006' });
});

test('uses MessagingServiceSid when the sender is a Messaging Service', async () => {
  const service = `MG${'a'.repeat(32)}`;
  await provider({ from: service }).send(sms);
  assert.equal(received()[0]?.form.get('MessagingServiceSid'), service);
  assert.equal(received()[0]?.form.has('From'), false);
});

test('authenticates with an API key when one is given', async () => {
  const receipt = await provider({ apiKeySid: API_KEY_SID, authToken: API_KEY_SECRET }).send(sms);
  assert.match(receipt.providerMessageId, /^SM/);
});

test('places a call that says the escaped text in the message language', async () => {
  const text = 'Tu código es 8, 3, 4 <&> "9" \'2\' 1.';
  const receipt = await provider().send({ channel: 'call', to: '+15551234567', body: text, locale: 'es', verificationSid: 'VE2', attemptId: 'VL2' });
  assert.match(receipt.providerMessageId, /^CA[0-9a-f]{32}$/);
  const form = received()[0]?.form;
  assert.equal(received()[0]?.resource, 'Calls');
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
  assert.equal(received().length, 0);
});

test('wrong credentials give a non-retryable error carrying Twilio code 20003', async () => {
  const err = await rejection(provider({ authToken: 'wrong-token-0123456789' }).send(sms));
  assert.equal(err.retryable, false);
  assert.match(err.message, /401/);
  assert.match(err.message, /20003/);
  assert.equal(received().length, 0);
});

test('a 4xx error never repeats the message text', async () => {
  fake.behaviour = 'echo-body-400';
  const err = await rejection(provider().send(sms));
  assert.equal(err.retryable, false);
  assert.match(err.message, /21617/);
  assert.equal(err.message.includes('834921'), false);
});

test('a timeout is not retryable', async () => {
  fake.behaviour = 'hang';
  const err = await rejection(provider({ timeoutMs: 200 }).send(sms));
  assert.equal(err.retryable, false);
  assert.equal(received().length, 1);
});

test('maps locales to Say languages', () => {
  assert.equal(sayLanguage('en'), 'en-US');
  assert.equal(sayLanguage('en-GB'), 'en-GB');
  assert.equal(sayLanguage('pt'), 'pt-PT');
  assert.equal(sayLanguage('pt-BR'), 'pt-BR');
  assert.equal(sayLanguage('tl'), 'fil-PH');
  assert.equal(sayLanguage('zh-HK'), 'zh-HK');
  assert.equal(sayLanguage('he'), 'he-IL');
  // Every Verify message locale speaks its own language (Croatian: no Twilio voice, American English).
  for (const locale of SUPPORTED_LOCALES.filter((l) => l !== 'hr' && l !== 'tl')) assert.equal(sayLanguage(locale).split('-')[0], locale.split('-')[0], locale);
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
