import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import type { CallEnd } from '../../voice/call-script.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';
import { callWebhookHandler } from '../call-webhooks/call-webhook-handler.ts';
import { registerCallWebhookRoutes } from '../call-webhooks/call-webhook-routes.ts';
import { hangupTwiml, renderTwiml } from './render-twiml.ts';
import { isValidTwilioSignature, type TwilioParams } from './twilio-signature.ts';
import { twilioCallUrls } from './twilio-voice.ts';
import { twilioVoiceSchemas } from './twilio-voice-schema.ts';

export interface TwilioVoiceRoutesOptions {
  logger: Logger;
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
 * await twilioVoiceRoutes(app, { logger, authToken, publicUrl: config.publicUrl, events, fetchRecording: voice.fetchRecording });
 */
export async function twilioVoiceRoutes(app: FastifyInstance, options: TwilioVoiceRoutesOptions): Promise<void> {
  const log = options.logger.child({ provider: 'twilio' });
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const handler = callWebhookHandler({
    carrier: 'Twilio',
    events: options.events,
    log,
    fetchRecording: options.fetchRecording,
    hangup: hangupTwiml,
    render(instruction, callSid) {
      const urls = twilioCallUrls(publicUrl, callSid);
      return renderTwiml(instruction, { actionUrl: urls.gather, recordActionUrl: urls.record, voices: options.voices });
    },
  });

  await registerCallWebhookRoutes<TwilioParams>(app, {
    base: '/voice/twilio/calls',
    markupType: 'text/xml',
    handler,
    schemas: twilioVoiceSchemas,
    authenticate(scope) {
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
    },
    digits: (body) => param(body, 'Digits') ?? '',
    recordingUrl: (body) => param(body, 'RecordingUrl'),
    progress: {
      path: 'status',
      async report(callSid, body) {
        const status = param(body, 'CallStatus') ?? '';
        const logged = { what: 'call status', fields: { status } };
        const end = ENDS[status];
        // queued, initiated, in-progress: the answer URL reports the answer itself. Twilio does not
        // retry status callbacks, so a refusal is only logged (a 4xx would only show in its debugger).
        if (status === 'ringing') await handler.ringing(callSid, logged);
        else if (end !== undefined) await handler.ended(callSid, end, endDetail(body, status), logged);
      },
    },
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
