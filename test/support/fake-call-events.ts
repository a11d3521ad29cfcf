import type { CallEnd, CallInstruction } from '../../src/voice/call-script.ts';
import type { CallEvents } from '../../src/voice/voice-provider.ts';

export type ReportedEvent =
  | { event: 'ringing'; callSid: string }
  | { event: 'answered'; callSid: string }
  | { event: 'digits'; callSid: string; digits: string }
  | { event: 'recording'; callSid: string; wav: Buffer }
  | { event: 'ended'; callSid: string; how: CallEnd; detail: string | undefined };

export const GATHER: CallInstruction = {
  prompts: [{ kind: 'say', text: 'Hello from Acme.', locale: 'en' }],
  then: { kind: 'gather', prompt: [{ kind: 'say', text: 'Enter the code.', locale: 'en' }], maxDigits: 6, timeoutSeconds: 8, finishOnKey: '#' },
};
export const RECORD: CallInstruction = {
  prompts: [],
  then: { kind: 'record', prompt: [{ kind: 'say', text: 'Say your passphrase.', locale: 'en' }], maxSeconds: 10, silenceSeconds: 2 },
};
export const GOODBYE: CallInstruction = { prompts: [{ kind: 'say', text: 'Goodbye.', locale: 'en' }], then: { kind: 'hangup' } };

/**
 * A scripted flow engine: every call in `known` answers with a gather, takes '123456' with a
 * record, any other digits with goodbye, and a recording with goodbye; any other call rejects
 * like the real engine does for an unknown call SID.
 */
export function fakeCallEvents(known: readonly string[]): CallEvents & { reported: ReportedEvent[] } {
  const reported: ReportedEvent[] = [];
  const check = (callSid: string) => {
    if (!known.includes(callSid)) throw new Error(`unknown call ${callSid}`);
  };
  return {
    reported,
    async ringing(callSid) {
      reported.push({ event: 'ringing', callSid });
      check(callSid);
    },
    async answered(callSid) {
      reported.push({ event: 'answered', callSid });
      check(callSid);
      return GATHER;
    },
    async digits(callSid, digits) {
      reported.push({ event: 'digits', callSid, digits });
      check(callSid);
      return digits === '123456' ? RECORD : GOODBYE;
    },
    async recording(callSid, wav) {
      reported.push({ event: 'recording', callSid, wav });
      check(callSid);
      return GOODBYE;
    },
    async ended(callSid, how, detail) {
      reported.push({ event: 'ended', callSid, how, detail });
      check(callSid);
    },
  };
}
