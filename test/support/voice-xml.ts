/**
 * Parses TwiML and BXML with fast-xml-parser and checks every element against the verbs of the
 * platform (verify-api.md §5): which children a verb may nest and which attributes it takes,
 * with a check of each attribute value. The verb tables are data, one per platform.
 */
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

type Check = (value: string) => boolean;

interface VerbRule {
  /** Allowed child element names; '#text' allows text content. */
  children: readonly string[];
  /** Allowed attributes, each with a check of its value. */
  attributes: Readonly<Record<string, Check>>;
  /** Attributes the element must have. */
  required?: readonly string[];
}

const positiveInt: Check = (v) => /^[1-9][0-9]*$/.test(v);
const nonNegativeInt: Check = (v) => /^(0|[1-9][0-9]*)$/.test(v);
const intIn = (min: number, max: number): Check => (v) => nonNegativeInt(v) && Number(v) >= min && Number(v) <= max;
const bool: Check = (v) => v === 'true' || v === 'false';
const httpMethod: Check = (v) => v === 'GET' || v === 'POST';
const absoluteUrl: Check = (v) => /^https?:\/\/[^\s]+$/.test(v);
const oneOf = (...values: string[]): Check => (v) => values.includes(v);
const any: Check = () => true;
const dtmfKeys: Check = (v) => /^[0-9*#]*$/.test(v);
const twilioLanguage: Check = (v) => /^[a-z]{2,3}-[A-Z]{2}$/.test(v);

/** TwiML voice verbs Verity may emit, from §5 (Say, Gather, Record, Pause, Hangup) plus Redirect. */
export const TWIML_VERBS: Readonly<Record<string, VerbRule>> = {
  Response: { children: ['Say', 'Play', 'Pause', 'Gather', 'Record', 'Hangup', 'Redirect'], attributes: {} },
  Say: { children: ['#text'], attributes: { voice: any, language: twilioLanguage, loop: nonNegativeInt } },
  Gather: {
    children: ['Say', 'Play', 'Pause'],
    attributes: {
      input: oneOf('dtmf', 'speech', 'dtmf speech'),
      numDigits: positiveInt,
      timeout: positiveInt,
      finishOnKey: dtmfKeys,
      action: absoluteUrl,
      method: httpMethod,
      actionOnEmptyResult: bool,
    },
  },
  Record: {
    children: [],
    attributes: {
      action: absoluteUrl,
      method: httpMethod,
      timeout: nonNegativeInt,
      finishOnKey: dtmfKeys,
      maxLength: positiveInt,
      playBeep: bool,
      trim: oneOf('trim-silence', 'do-not-trim'),
      recordingStatusCallback: absoluteUrl,
      recordingStatusCallbackMethod: httpMethod,
      recordingStatusCallbackEvent: any,
      transcribe: bool,
      transcribeCallback: absoluteUrl,
    },
  },
  Pause: { children: [], attributes: { length: positiveInt } },
  Hangup: { children: [], attributes: {} },
  Redirect: { children: ['#text'], attributes: { method: httpMethod } },
};

/** BXML verbs Verity may emit, from §5 (SpeakSentence, Gather, Record, Pause, Hangup). */
export const BXML_VERBS: Readonly<Record<string, VerbRule>> = {
  Response: { children: ['SpeakSentence', 'PlayAudio', 'Pause', 'Gather', 'Record', 'Hangup', 'Redirect'], attributes: {} },
  // SpeakSentence text may contain SSML; Verity only ever uses <break>.
  SpeakSentence: { children: ['#text', 'break'], attributes: { voice: any, gender: oneOf('male', 'female'), locale: (v) => /^[a-z]{2}(_[A-Z]{2})?$/.test(v) } },
  break: { children: [], attributes: { time: (v) => /^([1-9]|10)s$/.test(v), strength: any } },
  Gather: {
    // §5: Gather nests SpeakSentence and PlayAudio only (no Pause).
    children: ['SpeakSentence', 'PlayAudio'],
    attributes: {
      gatherUrl: absoluteUrl,
      gatherMethod: httpMethod,
      gatherFallbackUrl: absoluteUrl,
      gatherFallbackMethod: httpMethod,
      username: any,
      password: any,
      fallbackUsername: any,
      fallbackPassword: any,
      tag: (v) => v.length <= 256,
      terminatingDigits: dtmfKeys,
      maxDigits: intIn(1, 50),
      interDigitTimeout: intIn(1, 60),
      firstDigitTimeout: intIn(0, 60),
      repeatCount: positiveInt,
      input: oneOf('dtmf', 'speech', 'dtmf_speech'),
    },
  },
  Record: {
    children: [],
    attributes: {
      recordCompleteUrl: absoluteUrl,
      recordCompleteMethod: httpMethod,
      recordingAvailableUrl: absoluteUrl,
      maxDuration: intIn(1, 10_800),
      silenceTimeout: nonNegativeInt,
      terminatingDigits: dtmfKeys,
      fileFormat: oneOf('wav', 'mp3'),
      transcribe: bool,
      transcriptionAvailableUrl: absoluteUrl,
      tag: (v) => v.length <= 256,
      username: any,
      password: any,
    },
  },
  Pause: { children: [], attributes: { duration: positiveInt }, required: ['duration'] },
  Hangup: { children: [], attributes: {} },
};

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: false,
});

type Node = Record<string, unknown>;

function convert(node: Node): XmlElement | string {
  if ('#text' in node) return String(node['#text']);
  const name = Object.keys(node).find((k) => k !== ':@');
  assert.ok(name, 'element without a name');
  const attributes = (node[':@'] ?? {}) as Record<string, string>;
  const children = ((node[name] ?? []) as Node[]).map(convert);
  return { name, attributes: { ...attributes }, children };
}

/** Parses a whole document (declaration + one root element); fails the test on malformed XML. */
export function parseXml(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, `malformed XML: ${JSON.stringify(valid)}\n${xml}`);
  const nodes = parser.parse(xml) as Node[];
  const [declaration, ...rest] = nodes;
  assert.ok(declaration && '?xml' in declaration, 'the document starts with an XML declaration');
  assert.equal(rest.length, 1, 'exactly one root element');
  const root = convert(rest[0] as Node);
  assert.ok(typeof root !== 'string', 'the root is an element');
  return root;
}

/** Asserts that `element` and everything below it follows `verbs`. */
export function assertVerbs(element: XmlElement, verbs: Readonly<Record<string, VerbRule>>, path = element.name): void {
  const rule = verbs[element.name];
  assert.ok(rule, `<${element.name}> is not a known verb (${path})`);
  for (const name of rule.required ?? []) assert.ok(name in element.attributes, `<${element.name}> needs ${name} (${path})`);
  for (const [name, value] of Object.entries(element.attributes)) {
    const check = rule.attributes[name];
    assert.ok(check, `<${element.name}> does not take the attribute ${name} (${path})`);
    assert.ok(check(value), `<${element.name} ${name}="${value}"> is not a valid value (${path})`);
  }
  for (const child of element.children) {
    if (typeof child === 'string') {
      if (child.trim() !== '') assert.ok(rule.children.includes('#text'), `<${element.name}> may not contain text (${path})`);
      continue;
    }
    assert.ok(rule.children.includes(child.name), `<${element.name}> may not contain <${child.name}> (${path})`);
    assertVerbs(child, verbs, `${path}/${child.name}`);
  }
}

/** Parses and validates a document, returning its root. */
export function parseVoiceXml(xml: string, verbs: Readonly<Record<string, VerbRule>>): XmlElement {
  const root = parseXml(xml);
  assert.equal(root.name, 'Response');
  assertVerbs(root, verbs);
  return root;
}

/** The text content of an element (its text children joined). */
export function textOf(element: XmlElement): string {
  return element.children.filter((c): c is string => typeof c === 'string').join('');
}

/** The element children, in order. */
export function elements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string');
}
