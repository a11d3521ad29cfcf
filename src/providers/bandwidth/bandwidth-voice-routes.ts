import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import type { CallEnd } from '../../voice/call-script.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';
import { callWebhookHandler } from '../call-webhooks/call-webhook-handler.ts';
import { registerCallWebhookRoutes } from '../call-webhooks/call-webhook-routes.ts';
import { bandwidthCallbackAuth } from './bandwidth-callback-auth.ts';
import { bandwidthCallUrls } from './bandwidth-voice.ts';
import { bandwidthVoiceSchemas } from './bandwidth-voice-schema.ts';
import { hangupBxml, renderBxml } from './render-bxml.ts';

export interface BandwidthVoiceRoutesOptions {
  logger: Logger;
  /** The HTTP Basic credentials Bandwidth must send (given to it in each call and each BXML callback verb). */
  callbackUsername: string;
  callbackPassword: string;
  /** Verity's public origin, for the callback URLs in the BXML. */
  publicUrl: string;
  events: CallEvents;
  /** Downloads a recordComplete `mediaUrl` (BandwidthVoiceProvider.fetchRecording); without it a recording is reported empty. */
  fetchRecording?: (mediaUrl: string) => Promise<Buffer>;
}

/** The fields of Bandwidth's callback events that Verity reads (JSON, camelCase). */
interface BandwidthEvent {
  eventType?: unknown;
  digits?: unknown;
  mediaUrl?: unknown;
  cause?: unknown;
  errorMessage?: unknown;
}

/** Bandwidth's disconnect `cause` and how Verity names the end; any other cause is a failure. */
const ENDS: Readonly<Record<string, CallEnd>> = {
  hangup: 'completed',
  busy: 'busy',
  timeout: 'no-answer',
  cancel: 'canceled',
  rejected: 'rejected',
};

/**
 * Bandwidth's voice callbacks for calls Verity placed (see createBandwidthVoiceProvider):
 *
 * - `POST /voice/bandwidth/calls/:callSid/answer` (`answer`) → CallEvents.answered → BXML
 * - `POST /voice/bandwidth/calls/:callSid/gather` (`gather`, `digits`) → CallEvents.digits → BXML
 * - `POST /voice/bandwidth/calls/:callSid/record` (`recordComplete`, `mediaUrl`) → CallEvents.recording → BXML
 * - `POST /voice/bandwidth/calls/:callSid/disconnect` (`disconnect`, `cause`) → CallEvents.ended → 204
 *
 * Bandwidth signs nothing: every callback must carry the callback credentials as HTTP Basic,
 * compared in constant time; anything else is refused with 401 (error 20003) before the body is read.
 * Registered in its own plugin scope.
 *
 * @example
 * await bandwidthVoiceRoutes(app, { logger, callbackUsername, callbackPassword, publicUrl: config.publicUrl, events, fetchRecording: voice.fetchRecording });
 */
export async function bandwidthVoiceRoutes(app: FastifyInstance, options: BandwidthVoiceRoutesOptions): Promise<void> {
  const log = options.logger.child({ provider: 'bandwidth' });
  const checkCredentials = bandwidthCallbackAuth(options.callbackUsername, options.callbackPassword);
  const handler = callWebhookHandler({
    carrier: 'Bandwidth',
    events: options.events,
    log,
    fetchRecording: options.fetchRecording,
    hangup: hangupBxml,
    render(instruction, callSid) {
      const urls = bandwidthCallUrls(options.publicUrl, callSid);
      return renderBxml(instruction, {
        gatherUrl: urls.gather,
        recordCompleteUrl: urls.record,
        callbackUsername: options.callbackUsername,
        callbackPassword: options.callbackPassword,
      });
    },
  });

  await registerCallWebhookRoutes<BandwidthEvent>(app, {
    base: '/voice/bandwidth/calls',
    markupType: 'application/xml',
    handler,
    schemas: bandwidthVoiceSchemas,
    authenticate(scope) {
      // onRequest runs before the body is parsed: an unauthenticated request costs no parsing.
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const credentials = checkCredentials(request.headers.authorization);
        if (credentials === 'ok') return;
        // Never log what was sent: a near-miss password is still a secret.
        log.warn({ route: request.routeOptions.url, credentials }, 'refused a Bandwidth voice callback with bad HTTP Basic credentials');
        const error = new VerityError(20003, 'Bandwidth callbacks must carry the configured callback credentials (HTTP Basic)');
        return reply.code(401).header('WWW-Authenticate', 'Basic realm="Verity"').send(errorBody(error));
      });
    },
    digits: (body) => text(body?.digits) ?? '',
    recordingUrl: (body) => text(body?.mediaUrl),
    progress: {
      path: 'disconnect',
      async report(callSid, body) {
        const cause = text(body?.cause) ?? 'unknown';
        const errorMessage = text(body?.errorMessage);
        // The call is over either way; an error status would only make Bandwidth log a callback failure.
        await handler.ended(callSid, ENDS[cause] ?? 'failed', errorMessage ? `${cause}: ${errorMessage}` : cause, { what: 'disconnect', fields: { cause } });
      },
    },
  });
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
