import { z } from 'zod';
import { AMR_BY_FACTOR_TYPE, MAX_CHALLENGE_ATTEMPTS } from '../../factors/challenges.ts';
import { DEFAULT_THRESHOLD, ENGINE_DEFAULTS, MAX_AUDIO_SECONDS } from '../../factors/voiceprint/index.ts';
import { BIOMETRIC_FREE_FAILURES, biometricLockoutDelayMs } from '../../factors/voiceprint-factor/biometric-lockout.ts';
import { ENROLLMENT_RECORDINGS } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import { STALE_CALL_MS } from '../../voice/call-router.ts';
import { API_ERRORS, BODY_ERRORS, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { dateTime, extension, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { QUALITY_PROBLEMS, RECORDING_PROBLEMS, VOICEPRINT_CALL_FLOWS, VOICEPRINT_SEMANTICS, recordingProblemList } from './factor-semantics.ts';
import { ChallengePath, FactorPath, challengeNotFound, challengeShape, factorNotFound, factorShape } from './factors-schema.ts';

/**
 * Voice biometrics (Verity extensions): a voiceprint factor's enrolment recordings, the recording
 * that answers a voiceprint challenge, and both over a call Verity places.
 */

/** The lowest and highest voiceprint `score` (the engine clamps its score). */
const SCORE_RANGE = [ENGINE_DEFAULTS.minScore, ENGINE_DEFAULTS.maxScore] as const;

/**
 * A WAV body, documented; the handler reads it (an empty or non-audio body is 60200 `Recording`,
 * after the factor or challenge is found), so the schema takes anything.
 */
const recordingBody = (what: string) => ({
  'audio/wav': z.any().meta({
    type: 'string',
    format: 'binary',
    description: `${what} The body is the WAV file itself (\`Content-Type: audio/wav\`; audio/x-wav and audio/wave are accepted too), at most 10 MiB: 16-bit PCM, µ-law or A-law, mono or stereo, 8000 or 16000 Hz, at most ${MAX_AUDIO_SECONDS} s.`,
  } as Record<string, unknown>),
});

const VoiceprintCallParams = extension(
  field.fields({ To: field.required({ max: 32 }).meta({ description: 'The phone number to call, E.164.', examples: ['+14155552671'] }) }),
  'Where Verity calls.',
).meta({ id: 'VoiceprintCallParams' });

const VoiceprintRecordingProblem = extension(
  z.object({
    code: z.enum(Object.keys(RECORDING_PROBLEMS) as [string, ...string[]]).meta({ description: recordingProblemList(Object.keys(RECORDING_PROBLEMS)) }),
    message: z.string().meta({ description: 'What to do about it, to show the user (English).', examples: ['Speak a little louder, or move closer to the microphone.'] }),
  }),
  'A problem of a recording.',
).meta({ id: 'VoiceprintRecordingProblem' });

const VoiceprintEnrollment = extension(
  z.object({
    ...factorShape,
    enrollment_problem: VoiceprintRecordingProblem.nullable().meta({
      description: `Null when the recording was kept (201). Otherwise (200) why the enrolment dropped a recording, usually \`inconsistent\`: \`config.recordings_accepted\` went down, and the user records again until ${ENROLLMENT_RECORDINGS} consistent recordings are kept.`,
    }),
  }),
  'The voiceprint factor after a recording, with what happened to it.',
).meta({ id: 'VoiceprintEnrollment' });

const VoiceprintOutcome = extension(
  z.object({
    decision: z
      .enum(['match', 'no_match', 'rejected'])
      .meta({ description: '`match`: the challenge is approved. `no_match`: another voice, another phrase, or (digits mode) not the prompted digits; the challenge stays pending. `rejected`: a replay; the challenge is denied.' }),
    score: z
      .number()
      .min(SCORE_RANGE[0])
      .max(SCORE_RANGE[1])
      .meta({ description: 'How much the recording sounds like the voiceprint saying its pass phrase (higher is more alike); it matches from `threshold` up.', examples: [2.375] }),
    threshold: z.number().meta({ description: `The threshold applied: the service's Voiceprint.Threshold, else ${DEFAULT_THRESHOLD}.`, examples: [DEFAULT_THRESHOLD] }),
    reasons: z.array(z.enum(['score_below_threshold', 'voice_mismatch', 'phrase_mismatch', 'digits_mismatch', 'replay_suspected', ...QUALITY_PROBLEMS.map((code) => `quality:${code}`)])).meta({
      description:
        'Empty for a match. no_match: `score_below_threshold` with `voice_mismatch` (another voice); `phrase_mismatch` (pass-phrase mode: another sentence — a hard refusal even when the voice matched); `digits_mismatch` (digits mode: the digits said are not the challenge\'s `details.prompt`, e.g. a recording of an earlier attempt). rejected: `replay_suspected`, with any `quality:<code>` problem of the recording (a poor recording that is no replay is refused with 64011 instead).',
    }),
  }),
  'What the voiceprint engine made of a challenge recording.',
).meta({ id: 'VoiceprintOutcome' });

const VoiceprintChallenge = extension(z.object({ ...challengeShape, voiceprint: VoiceprintOutcome }), 'The challenge after a recording, with the engine\'s verdict.').meta({ id: 'VoiceprintChallenge' });

const VoiceprintCall = extension(
  z.object({
    call_sid: sid('CL', 'Verity\'s call SID.'),
    to: z.string().meta({ description: 'The number called, E.164.', examples: ['+14155552671'] }),
    from: z.string().meta({ description: 'The caller id.' }),
    status: z
      .enum(['queued', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'rejected', 'failed', 'canceled'])
      .meta({ description: 'Usually `queued`: the call was just handed to the voice provider.' }),
    flow: z
      .enum(Object.keys(VOICEPRINT_CALL_FLOWS) as [string, ...string[]])
      .meta({ description: `\`voiceprint_enroll\` (enrolment): ${VOICEPRINT_CALL_FLOWS.voiceprint_enroll}. \`voiceprint_verify\` (a challenge): ${VOICEPRINT_CALL_FLOWS.voiceprint_verify}.` }),
    factor_sid: sid('YF', 'The voiceprint factor.'),
    challenge_sid: sid('YC', 'The challenge the call answers; null for an enrolment call.').nullable(),
    date_created: dateTime('When the call was placed,'),
    links: z.object({ events: z.string().meta({ description: 'The call\'s progress stream (server-sent events, `GET /events/v1/Calls/{Sid}/{Token}`): queued, ringing, answered, prompt_played, recording, scored, the outcome and the end. No credentials: hand it to this user\'s browser only.' }) }),
  }),
  'A call Verity placed to enrol a voiceprint or to answer a voiceprint challenge.',
).meta({ id: 'VoiceprintCall' });

const recordingInvalid: ErrorCase = {
  code: 60200,
  when: `the body is empty or no WAV (a form or JSON body, not RIFF/WAVE, cut short), not 16-bit PCM, µ-law or A-law, not mono or stereo, not sampled at 8000 or 16000 Hz, or longer than ${MAX_AUDIO_SECONDS} s.`,
  message: 'Invalid parameter: Recording (Expected audio sampled at 8000 or 16000 Hz; got 44100 Hz. [audio_rate])',
};
const recordingRejected: ErrorCase = {
  code: 64011,
  when: `the recording failed a quality check; \`details.problems\` lists each problem (${QUALITY_PROBLEMS.join(', ')}) with a message to show. Record again.`,
  message: 'Recording rejected: Speak a little louder, or move closer to the microphone.',
  details: { problems: [{ code: 'too_quiet', message: 'Speak a little louder, or move closer to the microphone.' }] },
};
const recordingBodyErrors: ErrorCase[] = [
  { code: 20001, when: 'a form or JSON body is malformed.', message: 'Malformed request body' },
  { code: 20001, status: 413, when: 'the recording is larger than 10 MiB.', message: 'Request body too large' },
  {
    code: 20001,
    status: 415,
    when: 'the Content-Type is neither audio/wav (audio/x-wav, audio/wave) nor form or JSON (which answer 60200).',
    message: 'Unsupported Content-Type: send application/x-www-form-urlencoded or application/json',
  },
];
const voiceprintsUnavailable = 'voiceprints are unavailable on the server (VERITY_VOICEPRINT is off, the default in production, or its models are missing)';
const callTo: ErrorCase = { code: 60200, when: 'To is missing, longer than 32 characters, or not a phone number.', message: 'Invalid parameter: To (expected a phone number)' };
const callErrors: ErrorCase[] = [
  { code: 60223, when: 'no voice provider is configured.', message: 'Delivery channel disabled: no voice provider is configured' },
  {
    code: 60212,
    when: `a call to this number is still in progress (ringing or answered); retry once it ends. A call its provider stops reporting on is ended after ${STALE_CALL_MS / 60_000} minutes.`,
    message: 'Too many concurrent requests for phone number: a call to this number is still in progress',
  },
  { code: 60605, when: 'the number\'s country is not in the service\'s AllowedCountries (the send gate).', message: 'Verification delivery attempt blocked: the destination country is not allowed for this service' },
  { code: 60203, when: '5 sends to this number within 10 minutes, verifications and voiceprint calls together (the send gate).', retryAfter: true, message: 'Max send attempts reached' },
  { code: 60410, when: 'too many recent sends to this number\'s prefix (the send gate\'s SMS-pumping cap).', retryAfter: true, message: 'Verification delivery attempt blocked: too many recent sends to this number range' },
  { code: 64301, when: 'the account has sent its budget of messages and calls (the send gate).', retryAfter: true, message: 'Account send budget exhausted: this account has sent its allowance of messages and calls; retry later' },
  { code: 30008, when: 'the voice provider did not place the call.', message: 'Delivery failed: the voice provider did not place the call (twilio)' },
];

export const createVoiceprintRecordingSchema = operation({
  operationId: 'createVoiceprintRecording',
  tag: 'Factors',
  summary: 'Add an enrolment recording to a voiceprint factor (Verity extension)',
  description: [
    `**Verity extension.** Adds one recording of the pass phrase (digits mode: of the digits in \`config.prompt\`, said one by one with a short pause after each; a recording that does not split into them is refused with 64011 \`digits_unclear\`, and \`config.prompt\` moves on to the next digits once one is kept) to an unverified voiceprint factor. 201: the recording was kept (\`config.recordings_accepted\` counts it); the last of ${ENROLLMENT_RECORDINGS} builds the voiceprint and makes the factor \`verified\` (\`factor.verified\`). 200: building the voiceprint showed a recording that does not sound like the others; it was dropped (\`enrollment_problem\`), so record again. The audio stays sealed until the voiceprint is built, then it is deleted unless the service has \`Voiceprint.RetainAudio\`.`,
    '',
    VOICEPRINT_SEMANTICS,
  ].join('\n'),
  caller: 'account',
  params: FactorPath,
  bodyContent: recordingBody('One recording of the pass phrase.'),
  ok: {
    201: { description: 'The recording was kept: the factor (`verified` after the last one), `enrollment_problem` null.', schema: VoiceprintEnrollment },
    200: { description: 'A recording was dropped as inconsistent: the factor, with `enrollment_problem` saying why; record again.', schema: VoiceprintEnrollment },
  },
  errors: [
    { ...recordingInvalid, when: `${recordingInvalid.when} Also a sample rate other than that of this enrolment's earlier recordings (\`config.sample_rate\`).` },
    recordingRejected,
    { code: 60300, when: `the factor is not a voiceprint factor, or ${voiceprintsUnavailable}.`, message: 'Invalid Param: not a voiceprint factor' },
    { code: 60306, when: 'the voiceprint is already enrolled (the factor is verified); delete the factor to enrol again.', message: 'Invalid Request: this voiceprint is already enrolled; delete the factor to enroll again' },
    factorNotFound,
    ...recordingBodyErrors,
    ...API_ERRORS,
  ],
});

export const createVoiceprintEnrollmentCallSchema = operation({
  operationId: 'createVoiceprintEnrollmentCall',
  tag: 'Factors',
  summary: 'Enrol a voiceprint on a phone call (Verity extension)',
  description: [
    `**Verity extension.** Calls \`To\` to enrol an unverified voiceprint factor (flow \`voiceprint_enroll\`): ${VOICEPRINT_CALL_FLOWS.voiceprint_enroll}. The factor becomes \`verified\` during the call (\`factor.verified\`), with a voiceprint of 8 kHz telephone audio.`,
    '',
    VOICEPRINT_SEMANTICS,
  ].join('\n'),
  caller: 'account',
  params: FactorPath,
  body: VoiceprintCallParams,
  ok: { 201: { description: 'The call, placed.', schema: VoiceprintCall } },
  errors: [
    callTo,
    { code: 60300, when: 'the factor is not a voiceprint factor.', message: 'Invalid Param: not a voiceprint factor' },
    { code: 60306, when: 'the voiceprint is already enrolled (the factor is verified).', message: 'Invalid Request: this voiceprint is already enrolled' },
    ...callErrors,
    factorNotFound,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const createVoiceprintChallengeRecordingSchema = operation({
  operationId: 'createVoiceprintChallengeRecording',
  tag: 'Challenges',
  summary: 'Answer a voiceprint challenge with a recording (Verity extension)',
  description: [
    `**Verity extension.** Answers a pending voiceprint challenge with one recording of the pass phrase (digits mode: of the challenge's \`details.prompt\`; other digits are \`no_match\` with \`digits_mismatch\`). 200 with the challenge and the engine's verdict (\`voiceprint\`): \`match\` approves it (\`amr\` \`${JSON.stringify(AMR_BY_FACTOR_TYPE.voiceprint)}\`, \`challenge.approved\`); \`no_match\` leaves it \`pending\` (record again, up to the attempt limit); \`rejected\` is a replay and denies it (\`denied_reason\` \`replay_suspected\`, \`challenge.denied\`). A mismatch is not an error, but counts toward the factor's biometric lock-out (64012).`,
    '',
    VOICEPRINT_SEMANTICS,
  ].join('\n'),
  caller: 'account',
  params: ChallengePath,
  bodyContent: recordingBody('One recording of the pass phrase.'),
  ok: { 200: { description: 'The challenge (`approved`, still `pending`, or `denied`), with `voiceprint`.', schema: VoiceprintChallenge } },
  errors: [
    recordingInvalid,
    { ...recordingRejected, when: `${recordingRejected.when} It used one of the challenge's attempts but is no biometric failure.` },
    { code: 60300, when: `the challenge is not a voiceprint challenge, or ${voiceprintsUnavailable}.`, message: 'Invalid Param: only voiceprint challenges are answered with a recording' },
    { code: 60306, when: 'the challenge has expired or was already approved or denied.', message: 'Invalid Request: the challenge has expired' },
    challengeNotFound,
    { code: 60308, when: `${MAX_CHALLENGE_ATTEMPTS} recordings were already given for this challenge.`, message: 'Challenge verification attempts limit: too many recordings for this challenge' },
    {
      code: 64012,
      when: `${BIOMETRIC_FREE_FAILURES} consecutive mismatches of this voiceprint: wait (${biometricLockoutDelayMs(BIOMETRIC_FREE_FAILURES) / 1000} s, doubling with each further mismatch up to ${biometricLockoutDelayMs(1_000) / 3_600_000} h) or use another factor. Checked before the recording is read; no attempt is counted.`,
      retryAfter: true,
      message: 'Voiceprint locked: too many voice mismatches in a row; try again later or use another factor',
    },
    ...recordingBodyErrors,
    ...API_ERRORS,
  ],
});

export const createVoiceprintChallengeCallSchema = operation({
  operationId: 'createVoiceprintChallengeCall',
  tag: 'Challenges',
  summary: 'Answer a voiceprint challenge on a phone call (Verity extension)',
  description: [
    `**Verity extension.** Calls \`To\` to answer a pending voiceprint challenge (flow \`voiceprint_verify\`): ${VOICEPRINT_CALL_FLOWS.voiceprint_verify}. The recordings answer the challenge as uploaded ones do (attempts, lock-out, replays); follow \`links.events\` or fetch the challenge for the outcome.`,
    '',
    VOICEPRINT_SEMANTICS,
  ].join('\n'),
  caller: 'account',
  params: ChallengePath,
  body: VoiceprintCallParams,
  ok: { 201: { description: 'The call, placed.', schema: VoiceprintCall } },
  errors: [
    callTo,
    { code: 60300, when: 'the challenge is not a voiceprint challenge.', message: 'Invalid Param: only voiceprint challenges can be answered on a call' },
    { code: 60306, when: 'the challenge is no longer pending (approved, denied, or already marked expired).', message: 'Invalid Request: the challenge is already approved' },
    ...callErrors,
    challengeNotFound,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});
