import type { CallInstruction, Prompt } from '../../voice/call-script.ts';
import { escapeXml } from '../twilio/say-twiml.ts';

export interface BxmlOptions {
  /** Where `<Gather>` posts the `gather` event (also on a timeout, with empty digits). */
  gatherUrl: string;
  /** Where `<Record>` posts the `recordComplete` event. */
  recordCompleteUrl: string;
  /** HTTP Basic credentials Bandwidth sends on those callbacks (checked by the routes). */
  callbackUsername: string;
  callbackPassword: string;
}

/**
 * `<SpeakSentence locale>` for a bare language, from the locale column of Bandwidth's voice table
 * (dev.bandwidth.com/docs/voice/bxml/speakSentence, "Supported Voices": `en_US`, `en_UK`, `de`,
 * `es`, `es_MX`, `fr`, `it`, `ja`, `ru`, …). `pt_BR` and `nl_NL` follow Polly's locale names and
 * are not in the part of that table we could check.
 */
const LANGUAGE_LOCALES: Readonly<Record<string, string>> = {
  en: 'en_US', fr: 'fr', es: 'es_MX', de: 'de', pt: 'pt_BR', it: 'it', nl: 'nl_NL', ja: 'ja', ru: 'ru',
};

/** Regional locales Bandwidth names differently from the bare language (note `en_UK`, not `en_GB`). */
const REGION_LOCALES: Readonly<Record<string, string>> = {
  'en-US': 'en_US', 'en-GB': 'en_UK', 'en-UK': 'en_UK', 'es-MX': 'es_MX', 'es-ES': 'es', 'es-US': 'es_MX',
};

const FALLBACK_LOCALE = 'en_US';

/** Maps a BCP 47 locale to Bandwidth's `<SpeakSentence locale>`, e.g. `fr-CA` → `fr`, `en-GB` → `en_UK`. */
export function speakSentenceLocale(locale: string): string {
  const [first = '', ...rest] = locale.trim().replace(/_/g, '-').split('-');
  const lang = first.toLowerCase();
  const region = rest.find((part) => /^[A-Za-z]{2}$/.test(part));
  if (region !== undefined) {
    const regional = REGION_LOCALES[`${lang}-${region.toUpperCase()}`];
    if (regional !== undefined) return regional;
  }
  return LANGUAGE_LOCALES[lang] ?? FALLBACK_LOCALE;
}

/** Bandwidth's Gather timeouts are whole seconds in 1–60 here (0 would not wait at all). */
const gatherSeconds = (seconds: number): number => Math.min(60, Math.max(1, Math.round(seconds)));

/**
 * BXML for one CallInstruction: its prompts, then `<Gather>` (prompts nested, so a key press
 * interrupts them; pauses there become SSML breaks), `<Record>` (prompts before it) or `<Hangup/>`.
 * Every callback verb carries the callback credentials, which Bandwidth sends back as HTTP Basic.
 *
 * @example
 * renderBxml(instruction, { gatherUrl: `${publicUrl}/voice/bandwidth/calls/${callSid}/gather`, recordCompleteUrl: `…/record`, callbackUsername, callbackPassword });
 */
export function renderBxml(instruction: CallInstruction, options: BxmlOptions): string {
  let verbs = instruction.prompts.map(renderPrompt).join('');
  const next = instruction.then;
  const credentials = { username: options.callbackUsername, password: options.callbackPassword };
  if (next.kind === 'gather') {
    const attributes = attrs({
      gatherUrl: options.gatherUrl,
      gatherMethod: 'POST',
      maxDigits: Math.min(50, Math.max(1, Math.round(next.maxDigits))),
      firstDigitTimeout: gatherSeconds(next.timeoutSeconds),
      interDigitTimeout: gatherSeconds(next.timeoutSeconds),
      // Left out when there is none: Bandwidth's default "" disables terminating digits.
      terminatingDigits: next.finishOnKey ?? undefined,
      ...credentials,
    });
    verbs += `<Gather${attributes}>${renderGatherPrompts(next.prompt)}</Gather>`;
  } else if (next.kind === 'record') {
    const attributes = attrs({
      recordCompleteUrl: options.recordCompleteUrl,
      recordCompleteMethod: 'POST',
      maxDuration: Math.min(10_800, Math.max(1, Math.round(next.maxSeconds))),
      silenceTimeout: Math.max(1, Math.round(next.silenceSeconds)),
      fileFormat: 'wav',
      ...credentials,
    });
    verbs += `${next.prompt.map(renderPrompt).join('')}<Record${attributes}/>`;
  } else {
    verbs += '<Hangup/>';
  }
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs}</Response>`;
}

/** The BXML that ends a call without a word: the answer to a callback for a call Verity cannot continue. */
export function hangupBxml(): string {
  return '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
}

function renderPrompt(prompt: Prompt): string {
  if (prompt.kind === 'pause') {
    const duration = Math.round(prompt.seconds);
    return duration > 0 ? `<Pause duration="${duration}"/>` : '';
  }
  return speakSentence(prompt.locale, escapeXml(prompt.text));
}

/**
 * `<Gather>` nests only `<SpeakSentence>` and `<PlayAudio>`, not `<Pause>`: a pause inside it
 * becomes an SSML `<break>` at the end of the sentence before it (or the start of the one after).
 */
function renderGatherPrompts(prompts: Prompt[]): string {
  const sentences: { locale: string; content: string }[] = [];
  let pending = '';
  for (const prompt of prompts) {
    if (prompt.kind === 'pause') {
      const pause = ssmlBreaks(prompt.seconds);
      const last = sentences.at(-1);
      if (last) last.content += pause;
      else pending += pause;
    } else {
      sentences.push({ locale: prompt.locale, content: pending + escapeXml(prompt.text) });
      pending = '';
    }
  }
  if (pending !== '') sentences.push({ locale: 'en', content: pending });
  return sentences.map((s) => speakSentence(s.locale, s.content)).join('');
}

/** SSML breaks for `seconds` (one `<break>` lasts at most 10 s). */
function ssmlBreaks(seconds: number): string {
  let left = Math.round(seconds);
  let out = '';
  while (left > 0) {
    const chunk = Math.min(10, left);
    out += `<break time="${chunk}s"/>`;
    left -= chunk;
  }
  return out;
}

/** `content` is markup: escaped text and SSML breaks only, so text (a service's friendly name) never becomes SSML or BXML. */
function speakSentence(locale: string, content: string): string {
  return `<SpeakSentence locale="${speakSentenceLocale(locale)}" gender="female">${content}</SpeakSentence>`;
}

function attrs(values: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out += ` ${name}="${escapeXml(String(value))}"`;
  }
  return out;
}
