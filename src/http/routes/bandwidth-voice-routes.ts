import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { bandwidthCallUrls } from '../../providers/bandwidth/bandwidth-voice.ts';
import { hangupBxml, renderBxml } from '../../providers/bandwidth/render-bxml.ts';
import type { CallEnd, CallInstruction } from '../../voice/call-script.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';

export interface BandwidthVoiceRoutesOptions {
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

type CallRoute = { Params: { callSid: string }; Body: BandwidthEvent | undefined };

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
 * await bandwidthVoiceRoutes(app, ctx, { callbackUsername, callbackPassword, publicUrl: ctx.config.publicUrl, events, fetchRecording: voice.fetchRecording });
 */
export async function bandwidthVoiceRoutes(app: FastifyInstance, ctx: AppContext, options: BandwidthVoiceRoutesOptions): Promise<void> {
  const log = ctx.logger.child({ provider: 'bandwidth' });
  const expected = credentialDigest(options.callbackUsername, options.callbackPassword);

  await app.register(async (scope) => {
    // onRequest runs before the body is parsed: an unauthenticated request costs no parsing.
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const given = basicCredentials(request.headers.authorization);
      const digest = given ? credentialDigest(given.username, given.password) : undefined;
      if (digest !== undefined && timingSafeEqual(digest, expected)) return;
      // Never log what was sent: a near-miss password is still a secret.
      log.warn({ route: request.routeOptions.url, credentials: given ? 'wrong' : 'missing' }, 'refused a Bandwidth voice callback with bad HTTP Basic credentials');
      const error = new VerityError(20003, 'Bandwidth callbacks must carry the configured callback credentials (HTTP Basic)');
      return reply.code(401).header('WWW-Authenticate', 'Basic realm="Verity"').send(errorBody(error));
    });

    const bxml = (reply: FastifyReply, xml: string) => reply.code(200).type('application/xml').send(xml);

    /** Renders the flow's next instruction, or hangs up when the flow rejects (unknown or finished call). */
    async function respond(reply: FastifyReply, callSid: string, event: string, next: () => Promise<CallInstruction>) {
      let instruction: CallInstruction;
      try {
        instruction = await next();
      } catch (err) {
        log.warn({ err, callSid, event }, 'the call flow refused a Bandwidth voice event; hanging up');
        return bxml(reply, hangupBxml());
      }
      const urls = bandwidthCallUrls(options.publicUrl, callSid);
      return bxml(reply, renderBxml(instruction, {
        gatherUrl: urls.gather,
        recordCompleteUrl: urls.record,
        callbackUsername: options.callbackUsername,
        callbackPassword: options.callbackPassword,
      }));
    }

    scope.post<CallRoute>('/voice/bandwidth/calls/:callSid/answer', async (request, reply) => {
      const { callSid } = request.params;
      return respond(reply, callSid, 'answer', () => options.events.answered(callSid));
    });

    scope.post<CallRoute>('/voice/bandwidth/calls/:callSid/gather', async (request, reply) => {
      const { callSid } = request.params;
      // `digits` is empty when the caller pressed nothing before the timeout.
      const digits = text(request.body?.digits) ?? '';
      return respond(reply, callSid, 'gather', () => options.events.digits(callSid, digits));
    });

    scope.post<CallRoute>('/voice/bandwidth/calls/:callSid/record', async (request, reply) => {
      const { callSid } = request.params;
      const mediaUrl = text(request.body?.mediaUrl);
      let wav: Buffer = Buffer.alloc(0);
      if (mediaUrl && options.fetchRecording) {
        try {
          wav = await options.fetchRecording(mediaUrl);
        } catch (err) {
          // Reported as "nothing recorded": the flow treats it as a failed attempt, never as a match.
          log.error({ err, callSid }, 'could not download a Bandwidth recording; reporting it empty');
        }
      }
      return respond(reply, callSid, 'record', () => options.events.recording(callSid, wav));
    });

    scope.post<CallRoute>('/voice/bandwidth/calls/:callSid/disconnect', async (request, reply) => {
      const { callSid } = request.params;
      const cause = text(request.body?.cause) ?? 'unknown';
      const how = ENDS[cause] ?? 'failed';
      const errorMessage = text(request.body?.errorMessage);
      try {
        await options.events.ended(callSid, how, errorMessage ? `${cause}: ${errorMessage}` : cause);
      } catch (err) {
        // The call is over either way; an error status would only make Bandwidth log a callback failure.
        log.warn({ err, callSid, cause }, 'the call flow refused a Bandwidth disconnect');
      }
      return reply.code(204).send();
    });
  });
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The user name and password of an `Authorization: Basic …` header, or undefined. */
function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * A fixed-length digest of the credentials, so timingSafeEqual can compare them whatever their
 * lengths. Each part is hashed separately first, so `a:b:c` cannot be split two ways.
 */
function credentialDigest(username: string, password: string): Buffer {
  const part = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return createHash('sha256').update(part(username)).update(part(password)).digest();
}
