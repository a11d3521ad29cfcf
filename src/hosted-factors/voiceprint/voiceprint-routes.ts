import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { findHostedSession, HandoffPageError, parseFormToken } from '../../handoff/handoff-session.ts';
import {
  startVoiceprint,
  startVoiceprintEnrollment,
  submitEnrollmentRecording,
  submitVoiceprintRecording,
  VOICEPRINT_ENROLL_UPLOAD_PATH,
  VOICEPRINT_UPLOAD_PATH,
  ENROLLMENT_HUB_PATH,
  type RecordingAnswer,
} from './voiceprint-flow.ts';
import type { HandoffSession } from '../../handoff/handoff-session.ts';
import type { PageLocale } from '../../i18n/locales.ts';
import { negotiateLocale } from '../../i18n/negotiate-locale.ts';
import { translate, type MessageKey } from '../../i18n/translator.ts';
import { browserSecretOf, formStep, performScriptStep } from '../../http/routes/handoff-flow.ts';
import { hostedPage } from '../../http/routes/hosted-page-schema.ts';
import { serveHostedAssets } from '../../http/routes/handoff-assets.ts';
import { VOICEPRINT_CALL_ASSET_DOC, voiceprintCallRoutes } from './voiceprint-call-routes.ts';
import { enrollVoiceprintSchema, enrollVoiceprintUploadSchema, HANDOFF_SESSION_HEADER, voiceprintSchema, voiceprintUploadSchema } from './voiceprint-schema.ts';
/** About a minute of 16 kHz 16-bit mono: far more than a pass phrase needs (the page stops at 15 s). */
const MAX_HOSTED_RECORDING_BYTES = 2 * 1024 * 1024;
const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave'];

/** The JSON an upload answers, with the form token for the next take or the page's other forms. */
function wireAnswer(outcome: RecordingAnswer, token: string): Record<string, unknown> {
  switch (outcome.kind) {
    case 'result':
      return { location: outcome.location };
    case 'message':
      return { message: outcome.message, retry: outcome.retry, session: token };
    case 'progress':
      return { accepted: outcome.accepted, needed: outcome.needed, retry: true, session: token, ...(outcome.message ? { message: outcome.message } : {}), ...(outcome.prompt ? { prompt: outcome.prompt } : {}) };
    case 'enrolled':
      return { done: true, next: ENROLLMENT_HUB_PATH, message: outcome.message, session: token };
  }
}

/**
 * The language of an upload's answer when it is refused before its step runs: the session's, if
 * the form token opens one for this browser, else the browser's Accept-Language (the page's fetch sends it).
 */
async function uploadLocale(ctx: AppContext, request: FastifyRequest): Promise<PageLocale> {
  const header = request.headers[HANDOFF_SESSION_HEADER];
  const form = parseFormToken(typeof header === 'string' ? header : undefined);
  try {
    const locale = form ? (await findHostedSession(ctx, form.id, browserSecretOf(ctx, request))).session.locale : undefined;
    if (locale) return locale;
  } catch {
    // A missing or refused session: the browser's language will do for this message.
  }
  return negotiateLocale(undefined, request.headers['accept-language']);
}

const text = (locale: PageLocale | undefined, key: MessageKey<'voiceprint'>): string => translate(locale, `voiceprint.${key}`);

function sendJson(reply: FastifyReply, status: number, body: Record<string, unknown>): FastifyReply {
  return reply.status(status).header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff').send(body);
}

/**
 * Voice on the hosted hand-off pages: `POST /handoff/voiceprint` (chooser's "Use your voice": opens a
 * voiceprint challenge, answers the recording page) and `POST /handoff/enroll/voiceprint` (set-up:
 * three takes), each with a JSON upload route that takes the page's WAV (`audio/wav`, at most 2 MB)
 * and the page's form token in `X-Handoff-Session`.
 */
export async function voiceprintRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  serveHostedAssets(app, new URL('./assets/', import.meta.url), {
    'handoff-voiceprint.js': {
      operationId: 'handoffVoiceprintScript',
      summary: 'The recording page\'s script',
      description: 'Records the microphone, resamples it to 16 kHz and uploads one WAV per take to the page\'s upload route, then shows the answer.',
    },
    'handoff-voiceprint-worklet.js': { operationId: 'handoffVoiceprintWorklet', summary: 'The recording page\'s audio worklet', description: 'Loaded by the recording page\'s script (AudioWorklet): hands it the microphone\'s samples.' },
    ...VOICEPRINT_CALL_ASSET_DOC,
  });
  voiceprintCallRoutes(app, ctx);
  formStep(app, ctx, '/handoff/voiceprint', voiceprintSchema, (session, body) => startVoiceprint(ctx, session, body.factor), () => 'voiceprint');
  formStep(app, ctx, '/handoff/enroll/voiceprint', enrollVoiceprintSchema, (session) => startVoiceprintEnrollment(ctx, session), () => 'voiceprint');

  // The uploads: their WAV parser and size limit stay in this scope.
  await app.register(async (uploads) => {
    uploads.addContentTypeParser(WAV_TYPES, { parseAs: 'buffer', bodyLimit: MAX_HOSTED_RECORDING_BYTES }, (_request, body, done) => done(null, body));
    uploads.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.statusCode === 413) return uploadLocale(ctx, request).then((locale) => sendJson(reply, 413, { message: text(locale, 'tooLong'), retry: true }));
      if (error.statusCode === 415) return uploadLocale(ctx, request).then((locale) => sendJson(reply, 415, { message: text(locale, 'notWav'), retry: true }));
      throw error;
    });

    // A take is a step of the flow posted by the page's script: once per take, the page's form token unchanged.
    const upload = (submit: (session: HandoffSession, wav: Uint8Array) => Promise<RecordingAnswer>) => async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const header = request.headers[HANDOFF_SESSION_HEADER];
        const wav = request.body;
        if (!Buffer.isBuffer(wav) || wav.length === 0) return sendJson(reply, 400, { message: text(await uploadLocale(ctx, request), 'noRecording'), retry: true });
        const done = await performScriptStep<RecordingAnswer>(ctx, request, typeof header === 'string' ? header : undefined, async (session) => {
          const outcome = await submit(session, wav);
          return outcome.kind === 'result' ? { session, completed: true, answer: outcome } : { session: outcome.session, answer: outcome };
        });
        if (!done) return sendJson(reply, 409, { message: text(await uploadLocale(ctx, request), 'stalePage'), retry: false });
        return sendJson(reply, 200, wireAnswer(done.answer, done.token));
      } catch (error) {
        if (error instanceof HandoffPageError) {
          const accept = request.headers['accept-language'];
          return sendJson(reply, error.status, { message: error.text(error.locale ?? negotiateLocale(undefined, typeof accept === 'string' ? accept : undefined)), retry: false });
        }
        throw error;
      }
    };
    uploads.post(VOICEPRINT_UPLOAD_PATH, hostedPage(voiceprintUploadSchema), upload(async (session, wav) => submitVoiceprintRecording(ctx, session, wav)));
    uploads.post(VOICEPRINT_ENROLL_UPLOAD_PATH, hostedPage(enrollVoiceprintUploadSchema), upload(async (session, wav) => submitEnrollmentRecording(ctx, session, wav)));
  });
}
