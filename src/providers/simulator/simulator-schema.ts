import { z } from 'zod';
import { BODY_ERRORS, type ErrorCase } from '../../http/schema/error-responses.ts';
import { operation } from '../../http/schema/operation.ts';
import { dateTime, pathSid } from '../../http/schema/resource-fields.ts';
import * as field from '../../http/schema/wire-fields.ts';

/**
 * The schemas of the simulated carrier's routes (development only): its inboxes and its phones.
 * Their paths keep the simulator's own lower-case parameter names (`{number}`, `{sid}`).
 */

const tag = 'Simulator';

/** A server-sent event stream, documented only (the route writes it itself). */
const eventStream = (description: string, example: string) => z.string().meta({ description, examples: [example] });

// ---------------------------------------------------------------------------------------------
// Inboxes
// ---------------------------------------------------------------------------------------------

/** The statuses a simulated message moves through (src/messaging/delivery-status.ts). */
const SIM_STATUSES = ['queued', 'sent', 'delivered', 'undelivered', 'failed'] as const;

const SimMessage = z
  .object({
    id: z.string().nullable().meta({ pattern: '^SIM[0-9a-f]{32}$', description: 'The simulated carrier\'s message id (the attempt\'s provider message id); null for messages stored before statuses existed.', examples: ['SIM0123456789abcdef0123456789abcdef'] }),
    channel: z.enum(['sms', 'call', 'email', 'whatsapp', 'flashcall']),
    to: z.string(),
    from: z.string(),
    subject: z.string().nullable().optional().meta({ description: 'Email only.' }),
    body: z.string().meta({ description: 'Text of the message (it contains the code).' }),
    status: z.enum(SIM_STATUSES).meta({ description: 'Where the simulated carrier says the message is: `queued` when accepted, then `sent`, then `delivered`, or `undelivered`/`failed` with `error_code` (as VERITY_SIMULATOR_DELIVERY chooses, or as set by hand). A message that never reaches `delivered` did not reach the phone.' }),
    error_code: z.string().nullable().meta({ description: 'The simulated carrier\'s error code for `undelivered`/`failed` (Twilio\'s numbering: 30003 unreachable handset, 30005 unknown handset, 30006 landline or unreachable carrier, 30007 filtered, 30008 unknown error).', examples: ['30003'] }),
    date_created: dateTime('When the carrier accepted it,'),
    date_updated: dateTime('When its status last changed,'),
  })
  .meta({ id: 'SimMessage', description: 'A message the simulated carrier accepted, with its delivery status.' });

const SimInbox = z.object({ messages: z.array(SimMessage).meta({ description: 'The 50 newest messages, newest first.' }) }).meta({ id: 'SimInbox' });

const AddressPath = z.object({
  address: z.string().meta({ description: 'E.164 phone number (URL-encode the `+` as `%2B`) or email address.', examples: ['+14155552671'] }),
});

const badAddress: ErrorCase = { code: 60200, when: 'the address is neither an E.164 number nor an email address.', message: 'Invalid parameter: address (expected an E.164 number or an email address)' };

export const listSimulatorInboxSchema = operation({
  operationId: 'listSimulatorInbox',
  tag,
  summary: 'Read a simulated inbox (development only)',
  description:
    '**Development only**: present only when the simulator provider is enabled (which production refuses); otherwise 20404. No authentication: it exposes only simulated messages. Returns what the simulated carrier "delivered" to the address, codes included.',
  caller: 'none',
  params: AddressPath,
  ok: { 200: { description: 'The inbox, newest first.', schema: SimInbox } },
  errors: [badAddress, { code: 20404, when: 'the simulator provider is not enabled (the route does not exist).', message: 'The requested resource /sim/v1/inbox/%2B14155552671 was not found' }],
});

export const streamSimulatorInboxSchema = operation({
  operationId: 'streamSimulatorInbox',
  tag,
  summary: 'Stream a simulated inbox (development only, server-sent events)',
  description:
    '**Development only**: present only when the simulator provider is enabled; otherwise 20404. No authentication. A `text/event-stream` that starts with the comment `: connected`, then sends `event: message` with `data: <SimMessage JSON>` for each new message to the address, `event: status` with the SimMessage after each change of a message\'s status, and a `: keep-alive` comment every 15 s. Earlier messages are not replayed (read them from the inbox).',
  caller: 'none',
  params: AddressPath,
  ok: {
    200: {
      description: 'An endless server-sent event stream.',
      contentType: 'text/event-stream',
      schema: eventStream(
        'Server-sent events; each `data` line is a SimMessage as JSON.',
        'event: message\ndata: {"id":"SIM0123456789abcdef0123456789abcdef","channel":"sms","to":"+14155552671","from":"Verity","body":"Your Acme verification code is: 123456","status":"queued","error_code":null,"date_created":"2026-01-01T12:00:00Z","date_updated":"2026-01-01T12:00:00Z"}\n\nevent: status\ndata: {"id":"SIM0123456789abcdef0123456789abcdef",…,"status":"delivered",…}\n\n',
      ),
    },
  },
  errors: [badAddress, { code: 20404, when: 'the simulator provider is not enabled (the route does not exist).' }],
});

const MessagePath = z.object({ id: pathSid('SIM', 'The simulated carrier\'s message id (`SIM` + 32 hex): a SimMessage\'s `id`.') });

/** `status`, `error_code` of `POST /sim/v1/messages/{id}/status`. */
const MessageStatusBody = field.fields({
  status: field.requiredOneOf(['sent', 'delivered', 'undelivered', 'failed']).meta({ description: 'The status the carrier reports now. Statuses only move forward (queued → sent → delivered | undelivered | failed): a final message keeps its status. The status the message already has repeats its receipt, as a carrier retrying a webhook does.' }),
  error_code: field.string({ max: 32, pattern: /^[A-Za-z0-9_-]+$/, why: 'letters, digits, _ and - only' }).meta({ description: 'The carrier error reported with `undelivered` or `failed` (default 30003 and 30008).', examples: ['30006'] }),
});

const SimStatusResult = z
  .object({
    message: SimMessage,
    report: z.enum(['recorded', 'unchanged', 'unknown']).meta({
      description: 'What Verity made of the receipt: `recorded` (the attempt moved), `unchanged` (a duplicate or a step back), `unknown` (no attempt has this message: it was not sent by a verification).',
    }),
  })
  .meta({ id: 'SimStatusResult' });

export const setSimulatorMessageStatusSchema = operation({
  operationId: 'setSimulatorMessageStatus',
  tag,
  summary: 'Set a simulated message\'s delivery status (development only)',
  description:
    '**Development only**: present only when the simulator provider is enabled; otherwise 20404. No authentication. Makes the simulated carrier report a status for the message now, as a carrier\'s receipt under the provider instance that accepted it, and stops its own scheduled statuses for it. Use it to demonstrate an undelivered code failing over to the next route by hand.',
  caller: 'none',
  params: MessagePath,
  body: MessageStatusBody,
  ok: { 200: { description: 'The message after the change and what Verity made of it.', schema: SimStatusResult } },
  errors: [
    { code: 60200, when: '`status` is missing or not one of sent, delivered, undelivered, failed, or `error_code` is malformed.', message: 'Invalid parameter: status (required)' },
    { code: 60306, when: 'the message cannot move to that status (it is already final with another status, or past it).', message: 'Invalid Request: The message is already delivered' },
    ...BODY_ERRORS,
    { code: 20404, when: 'no simulated message has this id (or the simulator provider is not enabled).', message: 'The requested resource /sim/v1/messages/SIM0123456789abcdef0123456789abcdef/status was not found' },
  ],
});

// ---------------------------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------------------------

const SimPrompt = z
  .object({
    text: z.string().meta({ description: 'What was said (it may contain the code).' }),
    locale: z.string().meta({ examples: ['en'] }),
    audio_url: z.string().nullable().meta({ description: 'Path of the spoken prompt (`/sim/v1/audio/<id>.wav`); null when espeak-ng is not installed.' }),
    date: dateTime('When it was said,'),
  })
  .meta({ id: 'SimPrompt', description: 'Something the simulated phone heard.' });

const SimCall = z
  .object({
    // The pattern is documented, not checked: the simulator plays whatever call the engine places.
    sid: z.string().meta({ pattern: '^CL[0-9a-f]{32}$', description: 'Verity\'s call SID (the `call_sid` of the verification\'s progress events).', examples: ['CL0123456789abcdef0123456789abcdef'] }),
    from: z.string().meta({ description: 'Caller id (for a flash call it carries the code).' }),
    to: z.string().meta({ description: 'The simulated phone\'s number.' }),
    status: z.enum(['ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'rejected', 'failed', 'canceled']),
    prompts: z.array(SimPrompt).meta({ description: 'Everything said so far, oldest first.' }),
    waiting_for: z.enum(['digits', 'recording']).nullable().meta({ description: 'What the call waits for from the phone now: keys (`POST …/dtmf`) or speech (`POST …/speak`).' }),
    date_created: dateTime('When the call was placed,'),
    date_updated: dateTime('Last change,'),
  })
  .meta({ id: 'SimCall', description: 'A call Verity placed to a simulated phone.' });

const SimCallList = z.object({ calls: z.array(SimCall).meta({ description: 'The phone\'s live calls and its 50 latest ended ones, newest first.' }) }).meta({ id: 'SimCallList' });

const SimPhoneBusy = z.object({ number: z.string().meta({ description: 'The phone\'s number (E.164).' }), busy: z.boolean() }).meta({ id: 'SimPhoneBusy' });

const PhonePath = z.object({
  number: z.string().meta({ description: 'The simulated phone\'s E.164 number (URL-encode the `+` as `%2B`).', examples: ['+14155552671'] }),
});
const CallPath = PhonePath.extend({ sid: pathSid('CL', 'Verity\'s call SID (`CL` + 32 hex).') });
const AudioPath = z.object({
  file: z.string().meta({ description: 'The file name from a prompt\'s `audio_url`: 32 hex characters and `.wav`.', pattern: '^[0-9a-f]{32}\\.wav$', examples: ['0123456789abcdef0123456789abcdef.wav'] }),
});

/** `digits` of `POST …/dtmf`. */
const DtmfBody = field.fields({
  digits: field.required({ pattern: /^[0-9*#]{1,32}$/, why: '1 to 32 of 0-9, * and #' }).meta({ description: '1 to 32 of 0-9, * and #.', examples: ['482913'] }),
});

/** `busy` of `POST …/busy`; its absence is refused by the route (`required: true or false`). */
const BusyBody = field.fields({ busy: field.boolean().meta({ description: '`true` or `false`. Required.' }) });

const simNote =
  '**Development only**: present only with the simulator voice provider (`VERITY_VOICE_PROVIDER=simulator`, the development default, which production refuses); otherwise 20404. No authentication: whoever reaches it plays the phone, and prompts (and their audio) contain the codes.';

const badNumber: ErrorCase = { code: 60200, when: '`number` is not an E.164 phone number.', message: 'Invalid parameter: number (expected an E.164 phone number such as +14155552671)' };
const absent: ErrorCase = { code: 20404, when: 'the simulator voice provider is not enabled (the route does not exist).', message: 'The requested resource /sim/v1/phones/%2B14155552671/calls was not found' };
const unknownCall: ErrorCase = {
  code: 20404,
  when: 'no call with this `sid` to this phone (or the simulator voice provider is not enabled).',
  message: 'The requested resource /sim/v1/phones/%2B14155552671/calls/CL0123456789abcdef0123456789abcdef was not found',
};
const wrongState = (when: string): ErrorCase => ({ code: 60306, when, message: 'Invalid Request: The call is not waiting for digits (in-progress, playing prompts)' });

export const listSimulatorPhoneCallsSchema = operation({
  operationId: 'listSimulatorPhoneCalls',
  tag,
  summary: 'List a simulated phone\'s calls (development only)',
  description: `${simNote} The calls Verity placed to the number, newest first, with what was said on each.`,
  caller: 'none',
  params: PhonePath,
  ok: { 200: { description: 'The phone\'s calls.', schema: SimCallList } },
  errors: [badNumber, absent],
});

export const fetchSimulatorPhoneCallSchema = operation({
  operationId: 'fetchSimulatorPhoneCall',
  tag,
  summary: 'Fetch a simulated call (development only)',
  description: `${simNote} One call of the phone.`,
  caller: 'none',
  params: CallPath,
  ok: { 200: { description: 'The call.', schema: SimCall } },
  errors: [badNumber, unknownCall],
});

/** A call action: the call after the action and Verity's answer to it. */
function callAction<B extends z.ZodType | undefined = undefined>(spec: {
  operationId: string;
  summary: string;
  description: string;
  wrongState: string;
  body?: B;
  bodyContent?: Record<string, z.ZodType>;
  errors?: ErrorCase[];
}) {
  return operation({
    operationId: spec.operationId,
    tag,
    summary: `${spec.summary} (development only)`,
    description: `${simNote} ${spec.description} Answers with the call after the action and Verity's answer to it.`,
    caller: 'none',
    params: CallPath,
    ...(spec.body ? { body: spec.body } : {}),
    ...(spec.bodyContent ? { bodyContent: spec.bodyContent } : {}),
    ok: { 200: { description: 'The call, after the action.', schema: SimCall } },
    errors: [badNumber, ...(spec.errors ?? []), wrongState(spec.wrongState), unknownCall],
  });
}

export const callActionSchemas = {
  answer: callAction({
    operationId: 'answerSimulatorPhoneCall',
    summary: 'Answer a ringing call',
    description: 'Picks up; answers once Verity\'s first prompts were played (see `prompts` and `waiting_for`).',
    wrongState: 'the call is not ringing.',
  }),
  reject: callAction({ operationId: 'rejectSimulatorPhoneCall', summary: 'Decline a ringing call', description: 'Declines the call (`rejected`).', wrongState: 'the call is not ringing.' }),
  hangup: callAction({ operationId: 'hangUpSimulatorPhoneCall', summary: 'Hang up', description: 'The phone hangs up: `completed` (or `rejected` while ringing).', wrongState: 'the call has already ended.' }),
};

export const pressSimulatorPhoneKeysSchema = callAction({
  operationId: 'pressSimulatorPhoneKeys',
  summary: 'Press keys',
  description: 'Keys for the waiting gather (`waiting_for: digits`); answers after Verity\'s answer when the gather is complete. Keys pressed while no gather waits are refused.',
  wrongState: 'the call is not waiting for digits.',
  body: DtmfBody,
  errors: [{ code: 60200, when: '`digits` is missing or not 1 to 32 of 0-9, * and #.', message: 'Invalid parameter: digits (1 to 32 of 0-9, * and #)' }, ...BODY_ERRORS],
});

export const speakToSimulatorPhoneCallSchema = callAction({
  operationId: 'speakToSimulatorPhoneCall',
  summary: 'Speak',
  description: 'What the callee says, for the waiting record step (`waiting_for: recording`).',
  wrongState: 'the call is not recording.',
  // The handler reads the WAV (and refuses any other body with 415): documented, never refused by the schema.
  bodyContent: { 'audio/wav': z.any().meta({ type: 'string', format: 'binary', description: 'A 16-bit PCM WAV, at most 5 MiB.' } as Record<string, unknown>) },
  errors: [
    { code: 60200, when: 'the body is not a 16-bit PCM WAV.', message: 'Invalid parameter: Expected a 16-bit PCM WAV (unreadable)' },
    { code: 20001, status: 413, when: 'the WAV is larger than 5 MiB.', message: 'Request body too large' },
    { code: 20001, status: 415, when: 'the Content-Type is not audio/wav (audio/x-wav and audio/wave are accepted too).', message: 'Unsupported Content-Type: send the speech as audio/wav' },
  ],
});

export const setSimulatorPhoneBusySchema = operation({
  operationId: 'setSimulatorPhoneBusy',
  tag,
  summary: 'Make a simulated phone busy (development only)',
  description: `${simNote} While busy, every call placed to the number ends at once as \`busy\`.`,
  caller: 'none',
  params: PhonePath,
  body: BusyBody,
  ok: { 200: { description: 'The phone\'s state.', schema: SimPhoneBusy } },
  errors: [badNumber, { code: 60200, when: '`busy` is missing or not true/false.', message: 'Invalid parameter: busy (required: true or false)' }, ...BODY_ERRORS, absent],
});

export const streamSimulatorPhoneSchema = operation({
  operationId: 'streamSimulatorPhone',
  tag,
  summary: 'Stream a simulated phone (development only, server-sent events)',
  description: `${simNote} A \`text/event-stream\` that starts with the comment \`: connected\`, then sends \`event: call\` with \`data: <SimCall JSON>\` on every change of any call to the number (placed, ringing, a prompt, ended), and a \`: keep-alive\` comment every 15 s. Earlier calls are not replayed (list them).`,
  caller: 'none',
  params: PhonePath,
  ok: {
    200: {
      description: 'A server-sent event stream that lasts until the client leaves.',
      contentType: 'text/event-stream',
      schema: eventStream(
        'Server-sent events; see the operation description.',
        'event: call\ndata: {"sid":"CL0123456789abcdef0123456789abcdef","from":"+15005550006","to":"+14155552671","status":"ringing","prompts":[],"waiting_for":null,…}\n\n',
      ),
    },
  },
  errors: [badNumber, absent],
});

export const fetchSimulatorPromptAudioSchema = operation({
  operationId: 'fetchSimulatorPromptAudio',
  tag,
  summary: 'Hear a prompt (development only)',
  description: `${simNote} The spoken prompt of a SimPrompt's \`audio_url\`, rendered with espeak-ng (\`Cache-Control: no-store\`: it may speak a code).`,
  caller: 'none',
  params: AudioPath,
  ok: { 200: { description: 'The prompt as a WAV.', contentType: 'audio/wav', schema: z.any().meta({ type: 'string', format: 'binary' } as Record<string, unknown>) } },
  errors: [{ code: 20404, when: 'no such prompt audio (unknown id, not rendered, or the simulator voice provider is not enabled).', message: 'The requested resource /sim/v1/audio/0123456789abcdef0123456789abcdef.wav was not found' }],
});
