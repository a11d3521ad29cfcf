import type { CallInstruction, Prompt } from '../../voice/call-script.ts';
import { escapeXml, sayLanguage } from './say-twiml.ts';

export interface TwimlUrls {
  /** Where `<Gather>` posts the digits (also on a timeout, with empty Digits). */
  actionUrl: string;
  /** Where `<Record>` posts the recording. */
  recordActionUrl: string;
  /**
   * `<Say voice>` per Twilio language (`en-US` → `Polly.Joanna`). Without one, `voice` is left out
   * and Twilio speaks with the account's default voice for the language (Console → Voice → TwiML →
   * Text-to-speech): a voice that does not speak the language makes Twilio fail the `<Say>`.
   */
  voices?: Readonly<Record<string, string>>;
}

/** Twilio's `<Gather timeout>` and `<Record timeout>` are whole seconds of at least 1. */
const wholeSeconds = (seconds: number): number => Math.max(1, Math.round(seconds));

/**
 * TwiML for one CallInstruction: its prompts, then `<Gather>` (prompts nested, so a key press
 * interrupts them), `<Record>` (prompts before it) or `<Hangup/>`.
 *
 * A `<Gather>` posts to `actionUrl` even when nothing was pressed (`actionOnEmptyResult`), so the
 * flow always learns of a timeout. Twilio skips `<Record>`'s action when nothing was recorded and
 * runs the next verb instead; the `<Redirect>` after it posts to `recordActionUrl` then, without a
 * RecordingUrl, which the route reports as an empty recording.
 *
 * @example
 * renderTwiml({ prompts: [], then: { kind: 'gather', prompt: [{ kind: 'say', text: 'Enter the code', locale: 'en' }], maxDigits: 6, timeoutSeconds: 8, finishOnKey: '#' } },
 *   { actionUrl: 'https://verity.example.com/voice/twilio/calls/CL…/gather', recordActionUrl: 'https://verity.example.com/voice/twilio/calls/CL…/record' });
 */
export function renderTwiml(instruction: CallInstruction, urls: TwimlUrls): string {
  const say = (prompts: Prompt[]): string => prompts.map((p) => renderPrompt(p, urls.voices)).join('');
  let verbs = say(instruction.prompts);
  const next = instruction.then;
  if (next.kind === 'gather') {
    const attributes = attrs({
      input: 'dtmf',
      numDigits: Math.max(1, Math.round(next.maxDigits)),
      timeout: wholeSeconds(next.timeoutSeconds),
      // An empty finishOnKey disables the key (Twilio's default would be `#`).
      finishOnKey: next.finishOnKey ?? '',
      action: urls.actionUrl,
      method: 'POST',
      actionOnEmptyResult: 'true',
    });
    verbs += `<Gather${attributes}>${say(next.prompt)}</Gather>`;
  } else if (next.kind === 'record') {
    const attributes = attrs({
      action: urls.recordActionUrl,
      method: 'POST',
      maxLength: wholeSeconds(next.maxSeconds),
      timeout: wholeSeconds(next.silenceSeconds),
      playBeep: 'true',
      trim: 'trim-silence',
    });
    verbs += `${say(next.prompt)}<Record${attributes}/><Redirect method="POST">${escapeXml(urls.recordActionUrl)}</Redirect>`;
  } else {
    verbs += '<Hangup/>';
  }
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs}</Response>`;
}

/** The TwiML that ends a call without a word: the answer to a webhook for a call Verity cannot continue. */
export function hangupTwiml(): string {
  return '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
}

function renderPrompt(prompt: Prompt, voices: TwimlUrls['voices']): string {
  if (prompt.kind === 'pause') {
    const length = Math.round(prompt.seconds);
    return length > 0 ? `<Pause length="${length}"/>` : '';
  }
  const language = sayLanguage(prompt.locale);
  return `<Say${attrs({ language, voice: voices?.[language] })}>${escapeXml(prompt.text)}</Say>`;
}

function attrs(values: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out += ` ${name}="${escapeXml(String(value))}"`;
  }
  return out;
}
