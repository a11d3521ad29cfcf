import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallInstruction } from '../../voice/call-script.ts';
import { CALL_FLOWS } from '../../voice/flows/flows.ts';
import { hangupTwiml, renderTwiml } from './render-twiml.ts';
import { TWIML_VERBS, elements, parseVoiceXml, parseXml, textOf } from '../../../test/support/voice-xml.ts';

const urls = {
  actionUrl: 'https://verity.example.com/voice/twilio/calls/CL0123/gather',
  recordActionUrl: 'https://verity.example.com/voice/twilio/calls/CL0123/record',
};

const gather: CallInstruction = {
  prompts: [{ kind: 'say', text: 'Hello from Acme.', locale: 'en' }, { kind: 'pause', seconds: 1 }],
  then: {
    kind: 'gather',
    prompt: [{ kind: 'say', text: 'Enter the code, then press pound.', locale: 'en' }, { kind: 'pause', seconds: 2 }],
    maxDigits: 6,
    timeoutSeconds: 8,
    finishOnKey: '#',
  },
};

test('a gather nests its prompts and always posts to the action', () => {
  const root = parseVoiceXml(renderTwiml(gather, urls), TWIML_VERBS);
  assert.deepEqual(elements(root).map((e) => e.name), ['Say', 'Pause', 'Gather']);
  const [say, pause, g] = elements(root);
  assert.deepEqual(say?.attributes, { language: 'en-US' });
  assert.equal(textOf(say!), 'Hello from Acme.');
  assert.deepEqual(pause?.attributes, { length: '1' });
  assert.deepEqual(g?.attributes, {
    input: 'dtmf',
    numDigits: '6',
    timeout: '8',
    finishOnKey: '#',
    action: urls.actionUrl,
    method: 'POST',
    actionOnEmptyResult: 'true',
  });
  assert.deepEqual(elements(g!).map((e) => e.name), ['Say', 'Pause']);
  assert.equal(textOf(elements(g!)[0]!), 'Enter the code, then press pound.');
});

test('a gather without a finishing key disables it with an empty finishOnKey', () => {
  const root = parseVoiceXml(renderTwiml({ prompts: [], then: { ...gather.then, finishOnKey: null } as CallInstruction['then'] }, urls), TWIML_VERBS);
  assert.equal(elements(root)[0]?.attributes['finishOnKey'], '');
});

test('a record speaks its prompts first, and reports an empty recording through a redirect', () => {
  const instruction: CallInstruction = {
    prompts: [],
    then: { kind: 'record', prompt: [{ kind: 'say', text: 'Say your passphrase after the beep.', locale: 'fr-CA' }], maxSeconds: 10, silenceSeconds: 2.4 },
  };
  const root = parseVoiceXml(renderTwiml(instruction, urls), TWIML_VERBS);
  assert.deepEqual(elements(root).map((e) => e.name), ['Say', 'Record', 'Redirect']);
  const [say, record, redirect] = elements(root);
  assert.equal(say?.attributes['language'], 'fr-CA');
  assert.deepEqual(record?.attributes, {
    action: urls.recordActionUrl,
    method: 'POST',
    maxLength: '10',
    timeout: '2',
    playBeep: 'true',
    trim: 'trim-silence',
  });
  assert.deepEqual(record?.children, []);
  assert.equal(redirect?.attributes['method'], 'POST');
  assert.equal(textOf(redirect!), urls.recordActionUrl);
});

test('a hangup ends the document', () => {
  const root = parseVoiceXml(renderTwiml({ prompts: [{ kind: 'say', text: 'Goodbye.', locale: 'de' }], then: { kind: 'hangup' } }, urls), TWIML_VERBS);
  assert.deepEqual(elements(root).map((e) => e.name), ['Say', 'Hangup']);
  assert.equal(elements(root)[0]?.attributes['language'], 'de-DE');
  assert.deepEqual(elements(parseVoiceXml(hangupTwiml(), TWIML_VERBS)).map((e) => e.name), ['Hangup']);
});

test('text and URLs are escaped, so they come back unchanged', () => {
  const text = `Acme <Corp> & "Sons" 'Ltd' </Say><Hangup/>`;
  const weirdUrls = { actionUrl: 'https://v.example/a?x=1&y="2"', recordActionUrl: "https://v.example/r?<'>" };
  const xml = renderTwiml({ prompts: [{ kind: 'say', text, locale: 'en' }], then: { kind: 'gather', prompt: [{ kind: 'say', text, locale: 'en' }], maxDigits: 4, timeoutSeconds: 5, finishOnKey: null } }, weirdUrls);
  const root = parseXml(xml);
  const [say, g] = elements(root);
  assert.equal(textOf(say!), text);
  assert.equal(textOf(elements(g!)[0]!), text);
  assert.equal(g?.attributes['action'], weirdUrls.actionUrl);
  assert.equal(elements(root).length, 2, 'the text did not inject a verb');
});

test('an operator-chosen voice is used for its language only', () => {
  const xml = renderTwiml({ prompts: [{ kind: 'say', text: 'Hi', locale: 'en' }, { kind: 'say', text: 'Salut', locale: 'fr' }], then: { kind: 'hangup' } }, { ...urls, voices: { 'en-US': 'Polly.Joanna' } });
  const [en, fr] = elements(parseVoiceXml(xml, TWIML_VERBS));
  assert.deepEqual(en?.attributes, { language: 'en-US', voice: 'Polly.Joanna' });
  assert.deepEqual(fr?.attributes, { language: 'fr-FR' });
});

test('durations become the whole seconds Twilio accepts', () => {
  const xml = renderTwiml({
    prompts: [{ kind: 'pause', seconds: 0 }, { kind: 'pause', seconds: 1.6 }],
    then: { kind: 'gather', prompt: [], maxDigits: 0, timeoutSeconds: 0.2, finishOnKey: '*' },
  }, urls);
  const root = parseVoiceXml(xml, TWIML_VERBS);
  assert.deepEqual(elements(root).map((e) => `${e.name}:${JSON.stringify(e.attributes['length'] ?? e.attributes['timeout'])}`), ['Pause:"2"', 'Gather:"1"']);
  assert.equal(elements(root)[1]?.attributes['numDigits'], '1');
});

test('the validator rejects TwiML that breaks the verb rules', () => {
  const bad = [
    '<?xml version="1.0"?><Response><Gather><Record/></Gather></Response>',
    '<?xml version="1.0"?><Response><Say colour="red">x</Say></Response>',
    '<?xml version="1.0"?><Response><Gather numDigits="0"/></Response>',
    '<?xml version="1.0"?><Response><Record>x</Record></Response>',
    '<?xml version="1.0"?><Response><Say>1 & 2</Say></Response>',
  ];
  for (const xml of bad) assert.throws(() => parseVoiceXml(xml, TWIML_VERBS), xml);
});

test('the built-in flows: the keypad entry ends on its last digit (no finishing key), and each question is nested so the timeout starts after it', () => {
  const facts = { serviceName: 'Acme', locale: 'en' as const, secret: '482017', amount: null, payee: null };
  const keypad = parseVoiceXml(renderTwiml(CALL_FLOWS.keypad_code.start(facts).instruction, urls), TWIML_VERBS);
  const keypadGather = elements(keypad).at(-1)!;
  assert.equal(keypadGather.name, 'Gather');
  assert.equal(keypadGather.attributes['numDigits'], '6');
  assert.equal(keypadGather.attributes['finishOnKey'], '');
  assert.equal(keypadGather.attributes['timeout'], '10');
  assert.equal(textOf(elements(keypadGather).at(-1)!), 'Please enter the code shown on your screen.');

  const speak = parseVoiceXml(renderTwiml(CALL_FLOWS.speak_code.start(facts).instruction, urls), TWIML_VERBS);
  const speakGather = elements(speak).at(-1)!;
  assert.equal(speakGather.name, 'Gather');
  assert.equal(speakGather.attributes['timeout'], '8');
  assert.equal(speakGather.attributes['finishOnKey'], '');
  assert.equal(textOf(elements(speakGather).at(-1)!), 'To hear the code again, press 1.');
});
