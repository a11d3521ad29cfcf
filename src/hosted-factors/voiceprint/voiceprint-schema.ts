import { z } from 'zod';
import { formRefusals, formText, formToken, hostedOperation, limitsAnswer, pageForm, refusalPages, ScriptRefusal, stepAnswer } from '../../http/routes/hosted-page-schema.ts';

/**
 * The schemas of voice on the hosted pages (voiceprint-routes.ts): the chooser's "Use your
 * voice" and the hub's voice set-up (forms), and the WAV uploads of their recording page's script
 * (JSON answers, also when refused).
 */

/** The header that carries the page's form token with an uploaded recording (the body is the WAV itself). */
export const HANDOFF_SESSION_HEADER = 'x-handoff-session';

/** What the chooser's "Use your voice" and the hub's voice set-up post. */
const VoiceForm = pageForm({ session: formToken(), factor: formText('The sid of the voiceprint factor the chooser offered.') }, ['session', 'factor']);

/** `POST /handoff/voiceprint` */
export const voiceprintSchema = hostedOperation({
  operationId: 'startHandoffVoiceprint',
  summary: 'Start a voice sign-in for a hand-off (hosted page form)',
  description:
    'The "Use your voice" form of the chooser: `session` and `factor` (a verified voiceprint factor of the user; the request must allow `voiceprint`). Opens a voiceprint challenge for the session (kept while pending, so its five attempts hold) and shows the recording page: the pass phrase (when the voice was set up on these pages), Record/Stop, a level meter and timer, and a script of this server (CSP `script-src \'self\'`, `connect-src \'self\'`) that records the microphone, resamples it to 16 kHz, and uploads a WAV to `/handoff/voiceprint/recording`. A voiceprint paused after too many mismatches (64012) shows the chooser with the time to wait. Without script the page says so and offers "Try another way".',
  body: VoiceForm,
  answers: { 303: stepAnswer('the recording page, or the chooser with the reason') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not allow `voiceprint`, or the factor is not a verified voiceprint factor of the user.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/enroll/voiceprint` */
export const enrollVoiceprintSchema = hostedOperation({
  operationId: 'startHandoffVoiceprintEnrollment',
  summary: 'Set up voice sign-in on the enrollment pages (hosted page form)',
  description:
    'From the enrollment hub: `session`, which must hold the enrollment grant, with a request that allows `voiceprint`. Creates an unverified voiceprint factor (its pass phrase in `metadata.pass_phrase`), or resumes the one of this session, and shows the recording page for its three takes ("Take 1 of 3"), uploaded to `/handoff/enroll/voiceprint/recording`. A voiceprint is never the only factor: a user without another verified factor or recovery codes (60300) gets a page that says so, with the way back to the hub.',
  body: pageForm({ session: formToken() }, ['session']),
  answers: { 303: stepAnswer('the recording page; or, with the way back to the hub, why not: the user has no other factor yet (60300) or voiceprints are unavailable on this server (that page answers 409), or the user has too many factors (429)') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not offer `voiceprint`.', 403: 'The session holds no enrollment grant.', 409: 'The enrollment was already finished.' })),
});

/** A take: the page's form token in a header (the other headers stay). */
const UploadHeaders = z.looseObject({
  [HANDOFF_SESSION_HEADER]: formText('The page\'s form token (`<session id>.<form nonce>`). A take claims the nonce and gives the same one back, so the page\'s other forms keep working; of concurrent takes one acts, a stale token gets 409.'),
}).meta({ required: [HANDOFF_SESSION_HEADER] });

/** The WAV itself, documented; the handler reads it (an empty body is its own answer), so the schema takes anything. */
const WavBody = {
  'audio/wav': z.any().meta({ type: 'string', format: 'binary', description: 'The WAV (16-bit PCM at 16 kHz as the page records it; audio/x-wav and audio/wave are accepted too), at most 2 MiB.' } as Record<string, unknown>),
};

/** What the page shows next after a take. */
const RecordingAnswer = z
  .object({
    location: z.string().optional().meta({ description: 'Go there: the result URL.' }),
    message: z.string().optional(),
    retry: z.boolean().optional().meta({ description: 'Whether another take may be recorded here.' }),
    session: z.string().optional().meta({ description: 'The form token for the next take and the page\'s forms: the same, as a take gives its nonce back.' }),
    accepted: z.number().int().optional().meta({ description: 'Set-up: takes kept so far.' }),
    needed: z.number().int().optional().meta({ description: 'Set-up: takes needed.' }),
    prompt: z.string().optional().meta({ description: 'Set-up in digits mode: the digits the next take must say ("4 7 1 9 3 0 2").' }),
    done: z.boolean().optional().meta({ description: 'Set-up: the voiceprint is made.' }),
    next: z.string().optional().meta({ description: 'Set-up: the enrollment hub, to post the session to.' }),
  })
  .meta({ description: 'What the page shows next: `location` (go there: the result URL), or `message` to show with `retry` (whether another take may be recorded here) and `session` (the form token for the next take and the page\'s forms: the same, as a take gives its nonce back); on set-up also `accepted`/`needed` (takes kept so far), and `done` with `next` (the enrollment hub, to post the session to) once the voiceprint is made.' });

const refusal = (description: string) => ({ description, schema: ScriptRefusal });

/** An upload of the recording page's script: the WAV, the form token in `X-Handoff-Session`, a JSON answer (refusals too). */
function upload(operationId: string, summary: string, description: string) {
  return hostedOperation({
    operationId,
    summary,
    description: `${description} The body is the WAV itself (\`Content-Type: audio/wav\`, 16-bit PCM at 16 kHz as the page records it; at most 2 MiB), the page's form token is in the \`X-Handoff-Session\` header.`,
    headers: UploadHeaders,
    bodyContent: WavBody,
    answers: { 200: { description: 'The answer for the page\'s script.', schema: RecordingAnswer } },
    refusals: {
      400: refusal('`{message, retry: false}`: the form token is missing or malformed, or no voice check or set-up was started on this page; `{message, retry: true}` for an empty body.'),
      403: refusal('`{message, retry: false}`: the session belongs to another browser, or it expired (or, on set-up, holds no enrollment grant).'),
      404: refusal('`{message, retry: false}`: no such session (unknown, or deleted an hour after it expired).'),
      409: refusal('`{message, retry: false}`: a result was already issued for this session, or the page is out of date (its form token was used by another form or take meanwhile).'),
      413: refusal('`{message, retry: true}`: the recording is over 2 MiB.'),
      415: refusal('`{message, retry: true}`: the body is not audio/wav.'),
      429: limitsAnswer(true),
    },
  });
}

/** `POST /handoff/voiceprint/recording` */
export const voiceprintUploadSchema = upload(
  'answerHandoffVoiceprint',
  'Answer a hand-off with a recording of the voice (the recording page\'s upload)',
  'One recording answers the session\'s voiceprint challenge through the voiceprint factor: a match spends the session and answers `location` = `return_to?result=<result JWT>&state=<state>` (`amr` `["vbm"]`). Otherwise a specific `message`: a poor recording (64011: too short, too quiet, clipped, too noisy, mostly silence) says what to fix; a mismatch says so with the attempts left; five mismatches in a row pause the voiceprint (64012) with the time to wait; a recording heard before (replay) denies the challenge; too many recordings (60308) or an expired challenge end it (`retry: false`: "Try another way").',
);

/** `POST /handoff/enroll/voiceprint/recording` */
export const enrollVoiceprintUploadSchema = upload(
  'addHandoffVoiceprintTake',
  'Add a take to a voice set-up (the recording page\'s upload)',
  'One take of the pass phrase for the session\'s voiceprint factor: kept (`accepted` of `needed`), refused with what to fix (64011), or dropped when it does not sound like the others; the last one makes the voiceprint (`done: true`, `next`: the enrollment hub).',
);
