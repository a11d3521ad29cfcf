import { formRefusals, formText, formToken, hostedOperation, pageForm, refusalPages, stepAnswer } from '../../http/routes/hosted-page-schema.ts';

/**
 * The schemas of "Call me and I will say my phrase" (voiceprint-call-routes.ts): the sign-in's and
 * the hub's forms that place the call, and the forms that look at it (posted by the call page's
 * script when the call has an outcome, or by its Refresh button).
 */

const CALL_PAGE =
  'the call page: the number called (masked), the phrase, the call\'s progress so far (live with the page\'s script, which follows the call\'s progress stream `GET /events/v1/Calls/{Sid}/{Token}` on this server and posts the continue form on an outcome; without script a Refresh button), and the ways on (call again, record with the microphone, another way)';

/** `POST /handoff/voiceprint/call` */
export const voiceprintCallSchema = hostedOperation({
  operationId: 'startHandoffVoiceprintCall',
  summary: 'Sign in with the voice on a phone call (hosted page form)',
  description: `The chooser's "Call me and I will say my phrase" (on the voice card when the request allows \`call\` and passed a \`phone\`): \`session\` and \`factor\` (a verified voiceprint factor of the user). Opens or keeps the session's voiceprint challenge as "Use your voice" does, then calls the request's trusted \`phone\`, never a number typed on the pages: the call records the pass phrase and answers the challenge. Each call spends one of the session's sends (shared with codes and code calls) and passes the send gate; while a call of this challenge is live, the form places no second call and shows ${CALL_PAGE}.`,
  body: pageForm({ session: formToken(), factor: formText('The sid of the voiceprint factor the chooser offered.') }, ['session', 'factor']),
  answers: { 303: stepAnswer('the call page, or the chooser with the reason no call was placed') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not allow `call` and `voiceprint`, has no `phone`, or the factor is not a verified voiceprint factor of the user.', 409: 'A result was already issued for this session.', 429: 'The session\'s sends are spent.' })),
});

/** `POST /handoff/voiceprint/call/continue` */
export const voiceprintCallContinueSchema = hostedOperation({
  operationId: 'continueHandoffVoiceprintCall',
  summary: 'Look at the voice sign-in call (hosted page form)',
  description: `\`session\`. The challenge's status is read on the server: approved → the result (\`amr\` \`["vbm"]\`); denied or expired → the chooser with the reason; still pending → ${CALL_PAGE}, saying the call is still going on or why it ended.`,
  body: pageForm({ session: formToken() }, ['session']),
  answers: { 303: stepAnswer('the result, the chooser with the reason, or the call page') },
  refusals: refusalPages(formRefusals({ 400: 'No voice call was started in this session.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/enroll/voiceprint/call` */
export const enrollVoiceprintCallSchema = hostedOperation({
  operationId: 'startHandoffVoiceprintEnrollmentCall',
  summary: 'Set up voice sign-in on a phone call (hosted page form)',
  description: `From the enrollment hub's voice card (when the request allows \`call\`): \`session\`, which must hold the enrollment grant. Creates or resumes the session's unverified voiceprint factor as the microphone set-up does, then calls the number confirmed by a code on the hub in this session, else the request's trusted \`phone\`: three takes of the phrase on the call make the voiceprint. Spends one of the session's sends and passes the send gate; while the factor's call is live, no second call is placed. Answers ${CALL_PAGE}; once the voiceprint is made the page returns to the hub, which lists it.`,
  body: pageForm({ session: formToken() }, ['session']),
  answers: { 303: stepAnswer('the call page; or the hub with why no call was placed (no number, send limits, no voice provider); or the page that says why voice cannot be set up') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not offer `voiceprint`.', 403: 'The session holds no enrollment grant.', 409: 'The enrollment was already finished.', 429: 'The session\'s sends are spent.' })),
});

/** `POST /handoff/enroll/voiceprint/call/continue` */
export const enrollVoiceprintCallContinueSchema = hostedOperation({
  operationId: 'continueHandoffVoiceprintEnrollmentCall',
  summary: 'Look at the voice set-up call (hosted page form)',
  description: `\`session\`. The factor's status is read on the server: verified → the hub, listing the new voice; otherwise ${CALL_PAGE}, saying the call is still going on or why it ended.`,
  body: pageForm({ session: formToken() }, ['session']),
  answers: { 303: stepAnswer('the hub, or the call page') },
  refusals: refusalPages(formRefusals({ 403: 'The session holds no enrollment grant.', 409: 'The enrollment was already finished.' })),
});
