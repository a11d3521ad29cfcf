import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { hangupTwiml, renderTwiml } from '../../providers/twilio/render-twiml.ts';
import { isValidTwilioSignature, type TwilioParams } from '../../providers/twilio/twilio-signature.ts';
import { twilioCallUrls } from '../../providers/twilio/twilio-voice.ts';
import type { CallEnd, CallInstruction } from '../../voice/call-script.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';

export interface TwilioVoiceRoutesOptions {
  /** The auth token that signs Twilio's webhooks (the account's, even when the REST API uses an API key). */
  authToken: string;
  /** Verity's public origin, exactly as given to Twilio in the call's URLs (signatures cover it). */
  publicUrl: string;
  events: CallEvents;
  /** Downloads a RecordingUrl (TwilioVoiceProvider.fetchRecording); without it a recording is reported empty. */
  fetchRecording?: (recordingUrl: string) => Promise<Buffer>;
  /** `<Say voice>` per Twilio language; see TwimlUrls.voices. */
  voices?: Readonly<Record<string, string>>;
}

type CallRoute = { Params: { callSid: string }; Body: TwilioParams | undefined };

/** Twilio's final CallStatus values and how Verity names the end. */
const ENDS: Readonly<Record<string, CallEnd>> = {
  completed: 'completed',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
  canceled: 'canceled',
};

/**
 * Twilio's voice webhooks for calls Verity placed (see createTwilioVoiceProvider):
 *
 * - `POST /voice/twilio/calls/:callSid/answer` → CallEvents.answered → TwiML
 * - `POST /voice/twilio/calls/:callSid/gather` (`Digits`) → CallEvents.digits → TwiML
 * - `POST /voice/twilio/calls/:callSid/record` (`RecordingUrl`) → CallEvents.recording → TwiML
 * - `POST /voice/twilio/calls/:callSid/status` (`CallStatus`) → CallEvents.ringing / ended → 204
 *
 * Every request must carry a valid X-Twilio-Signature over `publicUrl` + the request path and query
 * and the form parameters; anything else is refused with 403 (error 20003) before it reaches a call.
 * Registered in its own plugin scope; needs the form body parser (registered globally by buildApp).
 *
 * @example
 * await twilioVoiceRoutes(app, ctx, { authToken, publicUrl: ctx.config.publicUrl, events, fetchRecording: voice.fetchRecording });
 */
export async function twilioVoiceRoutes(app: FastifyInstance, ctx: AppContext, options: TwilioVoiceRoutesOptions): Promise<void> {
  const log = ctx.logger.child({ provider: 'twilio' });
  const publicUrl = options.publicUrl.replace(/\/+$/, '');

  await app.register(async (scope) => {
    scope.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers['x-twilio-signature'];
      const signature = typeof header === 'string' ? header : undefined;
      const params = isParams(request.body) ? request.body : {};
      if (isValidTwilioSignature(options.authToken, signature, `${publicUrl}${request.url}`, params)) return;
      // Neither the signature nor the parameters are logged: they identify the caller and the call.
      log.warn({ route: request.routeOptions.url, signature: signature === undefined ? 'missing' : 'invalid' }, 'refused a Twilio voice webhook with a bad X-Twilio-Signature');
      const error = new VerityError(20003, 'The X-Twilio-Signature header is missing or does not match the request', { status: 403 });
      return reply.code(403).send(errorBody(error));
    });

    const twiml = (reply: FastifyReply, xml: string) => reply.code(200).type('text/xml').send(xml);

    /** Renders the flow's next instruction, or hangs up when the flow rejects (unknown or finished call). */
    async function respond(reply: FastifyReply, callSid: string, event: string, next: () => Promise<CallInstruction>) {
      let instruction: CallInstruction;
      try {
        instruction = await next();
      } catch (err) {
        log.warn({ err, callSid, event }, 'the call flow refused a Twilio voice event; hanging up');
        return twiml(reply, hangupTwiml());
      }
      const urls = twilioCallUrls(publicUrl, callSid);
      return twiml(reply, renderTwiml(instruction, { actionUrl: urls.gather, recordActionUrl: urls.record, voices: options.voices }));
    }

    scope.post<CallRoute>('/voice/twilio/calls/:callSid/answer', async (request, reply) => {
      const { callSid } = request.params;
      return respond(reply, callSid, 'answer', () => options.events.answered(callSid));
    });

    scope.post<CallRoute>('/voice/twilio/calls/:callSid/gather', async (request, reply) => {
      const { callSid } = request.params;
      const digits = param(request.body, 'Digits') ?? '';
      return respond(reply, callSid, 'gather', () => options.events.digits(callSid, digits));
    });

    scope.post<CallRoute>('/voice/twilio/calls/:callSid/record', async (request, reply) => {
      const { callSid } = request.params;
      const recordingUrl = param(request.body, 'RecordingUrl');
      let wav: Buffer = Buffer.alloc(0);
      if (recordingUrl && options.fetchRecording) {
        try {
          wav = await options.fetchRecording(recordingUrl);
        } catch (err) {
          // Reported as "nothing recorded": the flow treats it as a failed attempt, never as a match.
          log.error({ err, callSid }, 'could not download a Twilio recording; reporting it empty');
        }
      }
      return respond(reply, callSid, 'record', () => options.events.recording(callSid, wav));
    });

    scope.post<CallRoute>('/voice/twilio/calls/:callSid/status', async (request, reply) => {
      const { callSid } = request.params;
      const status = param(request.body, 'CallStatus') ?? '';
      try {
        if (status === 'ringing') {
          await options.events.ringing(callSid);
        } else if (ENDS[status] !== undefined) {
          await options.events.ended(callSid, ENDS[status], endDetail(request.body, status));
        }
        // queued, initiated, in-progress: the answer URL reports the answer itself.
      } catch (err) {
        // Twilio does not retry status callbacks; a 4xx would only show up as an error in its debugger.
        log.warn({ err, callSid, status }, 'the call flow refused a Twilio call status');
      }
      return reply.code(204).send();
    });
  });
}

function isParams(body: unknown): body is TwilioParams {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body);
}

/** One form parameter; the first value if it was repeated. */
function param(body: TwilioParams | undefined, name: string): string | undefined {
  const value = isParams(body) ? body[name] : undefined;
  return typeof value === 'string' ? value : value?.[0];
}

/** What Twilio says about the end, for logs: the status and, when present, the SIP response code. */
function endDetail(body: TwilioParams | undefined, status: string): string {
  const sip = param(body, 'SipResponseCode');
  return sip ? `${status} (SIP ${sip})` : status;
}
