import type { Logger } from 'pino';
import type { CallEnd, CallInstruction } from '../../voice/call-script.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';

export interface CallWebhookHandlerOptions {
  /** How logs name the carrier: `Twilio`, `Bandwidth`. */
  carrier: string;
  events: CallEvents;
  log: Pick<Logger, 'warn' | 'error'>;
  /** The flow's next instruction for this call in the carrier's markup (TwiML, BXML, …). */
  render(instruction: CallInstruction, callSid: string): string;
  /** The markup that hangs up without a word. */
  hangup(): string;
  /** Downloads a recording the carrier announced by URL; without it every recording is reported empty. */
  fetchRecording?: ((url: string) => Promise<Buffer>) | undefined;
}

/**
 * What happens on a carrier's call webhook, whatever the carrier's wire format: the event goes to
 * the call flow (CallEvents) and the flow's answer comes back as the carrier's markup. The routes
 * of each carrier only authenticate the request and read its fields; no Fastify here.
 */
export interface CallWebhookHandler {
  answered(callSid: string): Promise<string>;
  /** `digits` is '' when the caller pressed nothing before the timeout. */
  digits(callSid: string, digits: string): Promise<string>;
  /** Downloads the recording at `recordingUrl` (none: nothing was recorded) and hands it to the flow. */
  recording(callSid: string, recordingUrl: string | undefined): Promise<string>;
  /** Progress reports expect no instruction; `logged` names the carrier's event should the flow refuse it. */
  ringing(callSid: string, logged: ProgressLog): Promise<void>;
  ended(callSid: string, how: CallEnd, detail: string, logged: ProgressLog): Promise<void>;
}

/** How a refused progress report is logged: `the call flow refused a <carrier> <what>`, with `fields`. */
interface ProgressLog {
  what: string;
  fields: Record<string, unknown>;
}

/** @example const handler = callWebhookHandler({ carrier: 'Twilio', events: engine, log, render, hangup: hangupTwiml, fetchRecording }); */
export function callWebhookHandler(options: CallWebhookHandlerOptions): CallWebhookHandler {
  const { carrier, events, log } = options;

  /** Renders the flow's next instruction, or hangs up when the flow rejects (unknown or finished call). */
  async function respond(callSid: string, event: string, next: () => Promise<CallInstruction>): Promise<string> {
    let instruction: CallInstruction;
    try {
      instruction = await next();
    } catch (err) {
      log.warn({ err, callSid, event }, `the call flow refused a ${carrier} voice event; hanging up`);
      return options.hangup();
    }
    return options.render(instruction, callSid);
  }

  /** Progress expects no instruction: a refusal is logged, never answered with an error (carriers do not retry these, or only log them). */
  async function report(callSid: string, what: string, fields: Record<string, unknown>, progress: () => Promise<void>): Promise<void> {
    try {
      await progress();
    } catch (err) {
      log.warn({ err, callSid, ...fields }, `the call flow refused a ${carrier} ${what}`);
    }
  }

  return {
    answered: (callSid) => respond(callSid, 'answer', () => events.answered(callSid)),
    digits: (callSid, digits) => respond(callSid, 'gather', () => events.digits(callSid, digits)),
    async recording(callSid, recordingUrl) {
      let wav: Buffer = Buffer.alloc(0);
      if (recordingUrl && options.fetchRecording) {
        try {
          wav = await options.fetchRecording(recordingUrl);
        } catch (err) {
          // Reported as "nothing recorded": the flow treats it as a failed attempt, never as a match.
          log.error({ err, callSid }, `could not download a ${carrier} recording; reporting it empty`);
        }
      }
      return respond(callSid, 'record', () => events.recording(callSid, wav));
    },
    ringing: (callSid, logged) => report(callSid, logged.what, logged.fields, () => events.ringing(callSid)),
    ended: (callSid, how, detail, logged) => report(callSid, logged.what, logged.fields, () => events.ended(callSid, how, detail)),
  };
}
