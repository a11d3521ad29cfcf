import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallInstruction } from '../../voice/call-script.ts';
import { CALL_FLOWS } from '../../voice/flows/flows.ts';
import { hangupBxml, renderBxml, speakSentenceLocale } from './render-bxml.ts';
import { BXML_VERBS, elements, parseVoiceXml, parseXml, textOf } from '../../../test/support/voice-xml.ts';

const options = {
  gatherUrl: 'https://verity.example.com/voice/bandwidth/calls/CL0123/gather',
  recordCompleteUrl: 'https://verity.example.com/voice/bandwidth/calls/CL0123/record',
  callbackUsername: 'verity',
  callbackPassword: 'callback-password-0123456789',
};

test('a gather nests its prompts and carries the callback credentials', () => {
  const instruction: CallInstruction = {
    prompts: [{ kind: 'say', text: 'Hello from Acme.', locale: 'en' }, { kind: 'pause', seconds: 1 }],
    then: { kind: 'gather', prompt: [{ kind: 'say', text: 'Enter the code.', locale: 'es' }], maxDigits: 6, timeoutSeconds: 8, finishOnKey: '#' },
  };
  const root = parseVoiceXml(renderBxml(instruction, options), BXML_VERBS);
  assert.deepEqual(elements(root).map((e) => e.name), ['SpeakSentence', 'Pause', 'Gather']);
  const [speak, pause, gather] = elements(root);
  assert.deepEqual(speak?.attributes, { locale: 'en_US', gender: 'female' });
  assert.equal(textOf(speak!), 'Hello from Acme.');
  assert.deepEqual(pause?.attributes, { duration: '1' });
  assert.deepEqual(gather?.attributes, {
    gatherUrl: options.gatherUrl,
    gatherMethod: 'POST',
    maxDigits: '6',
    firstDigitTimeout: '8',
    interDigitTimeout: '8',
    terminatingDigits: '#',
    username: options.callbackUsername,
    password: options.callbackPassword,
  });
  const nested = elements(gather!);
  assert.deepEqual(nested.map((e) => e.name), ['SpeakSentence']);
  assert.equal(nested[0]?.attributes['locale'], 'es_MX');
});

test('pauses inside a gather become SSML breaks, since Gather cannot nest Pause', () => {
  const instruction: CallInstruction = {
    prompts: [],
    then: {
      kind: 'gather',
      prompt: [{ kind: 'pause', seconds: 1 }, { kind: 'say', text: 'Enter', locale: 'en' }, { kind: 'pause', seconds: 12 }, { kind: 'say', text: 'the code', locale: 'en' }],
      maxDigits: 6,
      timeoutSeconds: 5,
      finishOnKey: null,
    },
  };
  const root = parseVoiceXml(renderBxml(instruction, options), BXML_VERBS);
  const gather = elements(root)[0]!;
  assert.equal('terminatingDigits' in gather.attributes, false);
  const sentences = elements(gather);
  assert.deepEqual(sentences.map((s) => s.children.map((c) => (typeof c === 'string' ? c : `<break ${c.attributes['time']}>`))), [
    ['<break 1s>', 'Enter', '<break 10s>', '<break 2s>'],
    ['the code'],
  ]);
  // Only pauses: a sentence of breaks alone.
  const onlyPause = parseVoiceXml(renderBxml({ prompts: [], then: { kind: 'gather', prompt: [{ kind: 'pause', seconds: 3 }], maxDigits: 1, timeoutSeconds: 5, finishOnKey: null } }, options), BXML_VERBS);
  assert.equal(elements(elements(elements(onlyPause)[0]!)[0]!)[0]?.attributes['time'], '3s');
});

test('a record speaks its prompts first and carries the callback credentials', () => {
  const instruction: CallInstruction = {
    prompts: [],
    then: { kind: 'record', prompt: [{ kind: 'say', text: 'Say your passphrase.', locale: 'de-AT' }], maxSeconds: 10, silenceSeconds: 2 },
  };
  const root = parseVoiceXml(renderBxml(instruction, options), BXML_VERBS);
  assert.deepEqual(elements(root).map((e) => e.name), ['SpeakSentence', 'Record']);
  assert.equal(elements(root)[0]?.attributes['locale'], 'de');
  assert.deepEqual(elements(root)[1]?.attributes, {
    recordCompleteUrl: options.recordCompleteUrl,
    recordCompleteMethod: 'POST',
    maxDuration: '10',
    silenceTimeout: '2',
    fileFormat: 'wav',
    username: options.callbackUsername,
    password: options.callbackPassword,
  });
});

test('a hangup ends the document', () => {
  const root = parseVoiceXml(renderBxml({ prompts: [{ kind: 'say', text: 'Goodbye.', locale: 'it' }], then: { kind: 'hangup' } }, options), BXML_VERBS);
  assert.deepEqual(elements(root).map((e) => e.name), ['SpeakSentence', 'Hangup']);
  assert.deepEqual(elements(parseVoiceXml(hangupBxml(), BXML_VERBS)).map((e) => e.name), ['Hangup']);
});

test('text, URLs and credentials are escaped, so they come back unchanged', () => {
  const text = `Acme <speak> & "Sons" 'Ltd' </SpeakSentence><Hangup/>`;
  const weird = { ...options, gatherUrl: 'https://v.example/g?a=1&b="2"', callbackPassword: `p<a>s&s"w'rd` };
  const xml = renderBxml({ prompts: [{ kind: 'say', text, locale: 'en' }], then: { kind: 'gather', prompt: [{ kind: 'say', text, locale: 'en' }], maxDigits: 4, timeoutSeconds: 5, finishOnKey: null } }, weird);
  const root = parseXml(xml);
  const [speak, gather] = elements(root);
  assert.equal(textOf(speak!), text);
  assert.equal(elements(speak!).length, 0, 'the text did not become SSML');
  assert.equal(textOf(elements(gather!)[0]!), text);
  assert.equal(gather?.attributes['gatherUrl'], weird.gatherUrl);
  assert.equal(gather?.attributes['password'], weird.callbackPassword);
  assert.equal(elements(root).length, 2, 'the text did not inject a verb');
});

test('limits are clamped to the ranges Bandwidth accepts', () => {
  const xml = renderBxml({ prompts: [], then: { kind: 'gather', prompt: [], maxDigits: 80, timeoutSeconds: 120, finishOnKey: '*' } }, options);
  const gather = elements(parseVoiceXml(xml, BXML_VERBS))[0]!;
  assert.equal(gather.attributes['maxDigits'], '50');
  assert.equal(gather.attributes['firstDigitTimeout'], '60');
});

test('maps locales to SpeakSentence locales', () => {
  const cases: [string, string][] = [
    ['en', 'en_US'], ['en-US', 'en_US'], ['en-GB', 'en_UK'], ['en-AU', 'en_US'], ['fr', 'fr'], ['fr-CA', 'fr'],
    ['es', 'es_MX'], ['es-ES', 'es'], ['de', 'de'], ['pt', 'pt_BR'], ['it', 'it'], ['nl', 'nl_NL'], ['xx', 'en_US'], ['pt_BR', 'pt_BR'],
  ];
  for (const [locale, expected] of cases) assert.equal(speakSentenceLocale(locale), expected, locale);
});

test('the validator rejects BXML that breaks the verb rules', () => {
  const bad = [
    '<?xml version="1.0"?><Response><Gather><Pause duration="1"/></Gather></Response>',
    '<?xml version="1.0"?><Response><SpeakSentence language="en">x</SpeakSentence></Response>',
    '<?xml version="1.0"?><Response><Gather maxDigits="51"/></Response>',
    '<?xml version="1.0"?><Response><Pause/></Response>',
    '<?xml version="1.0"?><Response><Say>x</Say></Response>',
  ];
  for (const xml of bad) assert.throws(() => parseVoiceXml(xml, BXML_VERBS), xml);
});

test('the built-in flows: the keypad entry ends on its last digit (no terminating digit), and each question is nested so firstDigitTimeout starts after it', () => {
  const facts = { serviceName: 'Acme', locale: 'de' as const, secret: '482017', amount: null, payee: null };
  const keypad = parseVoiceXml(renderBxml(CALL_FLOWS.keypad_code.start(facts).instruction, options), BXML_VERBS);
  const keypadGather = elements(keypad).at(-1)!;
  assert.equal(keypadGather.name, 'Gather');
  assert.equal(keypadGather.attributes['maxDigits'], '6');
  assert.equal(keypadGather.attributes['terminatingDigits'], undefined);
  assert.equal(keypadGather.attributes['firstDigitTimeout'], '10');
  assert.equal(textOf(elements(keypadGather).at(-1)!), 'Bitte geben Sie den Code auf Ihrem Bildschirm ein.');

  const speak = parseVoiceXml(renderBxml(CALL_FLOWS.speak_code.start(facts).instruction, options), BXML_VERBS);
  const speakGather = elements(speak).at(-1)!;
  assert.equal(speakGather.name, 'Gather');
  assert.equal(speakGather.attributes['firstDigitTimeout'], '8');
  assert.equal(speakGather.attributes['terminatingDigits'], undefined);
  assert.equal(textOf(elements(speakGather).at(-1)!), 'Um den Code noch einmal zu hören, drücken Sie die 1.');
});
