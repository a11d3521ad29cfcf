import { z } from 'zod';
import type { ProgressEvent } from '../../verify/lifecycle/verification-progress.ts';
import { KEYPAD_TRIES } from '../../voice/flows/keypad-code-flow.ts';
import { type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { pathSid } from '../schema/resource-fields.ts';
import { SERVER_ERRORS, eventStream } from './device-schema.ts';

/**
 * The progress streams of challenges and call verifications (server-sent events, documented only:
 * the routes write the stream themselves). No account credentials: the URL's token is the grant.
 */

/**
 * A call verification's progress events, in the order they usually come; a Record so that an event
 * added to verification-progress.ts does not compile until it is documented here.
 */
export const PROGRESS_EVENTS: Record<ProgressEvent, string> = {
  queued: 'the call was handed to the voice provider (`data`: `{flow, provider}`)',
  ringing: 'the phone rings',
  answered: 'the callee picked up',
  prompt_played: 'the call said something (`data`: `{prompts}` spoken, `note` `no_input`, `wrong_digits` or `repeat` when a key press or silence caused it)',
  digits_received: 'the caller pressed keys or let the prompt time out (`data`: `{count, timeout}`; never the digits)',
  approved: 'the verification was approved (on the call, or by a code check)',
  denied: 'press_one: the caller pressed another key (or wrong number-match digits)',
  failed: `the verification failed (keypad_code: ${KEYPAD_TRIES} wrong codes, or its first call could not be placed), or the call failed (\`call_sid\` set: the provider could not place it or stopped reporting on it)`,
  expired: 'the verification expired',
  canceled: 'the verification was canceled, or (`call_sid` set) Verity hung up the call while it was ringing',
  max_attempts_reached: 'too many wrong codes were checked',
  completed: 'the call ended after it was answered',
  'no-answer': 'nobody answered before the ring timeout (how a flash call normally ends)',
  busy: 'the line was busy',
  rejected: 'the callee declined the call',
};


const LastEventIdHeader = z.looseObject({
  'last-event-id': z.string().optional().meta({ description: 'Sent by a reconnecting EventSource: only events with a higher sequence follow.' }),
});

const streamLimited: ErrorCase = {
  code: 20429,
  when: 'the client IP holds `VERITY_EVENTS_MAX_STREAMS_PER_IP` progress streams open on this Verity process already (`Retry-After: 10`), or its request rate, shared with the hosted pages (`VERITY_RATE_HOSTED_IP_*`), is exceeded.',
  retryAfter: true,
  message: 'Too many requests',
};

const ChallengeEventsPath = z.object({
  challengeSid: pathSid('YC', 'Challenge SID (`YC` + 32 hex).'),
  token: z.string().meta({ description: 'The credential of the events URL (from the challenge\'s `links.events`).', pattern: '^[A-Za-z0-9_-]{32}$' }),
});

export const streamChallengeEventsSchema = operation({
  operationId: 'streamChallengeEvents',
  tag: 'Push devices',
  summary: 'Stream a challenge\'s progress (server-sent events)',
  description: [
    '**Verity extension** (docs/push.md §5). The URL is a challenge\'s `links.events`: no credentials, its token grants reading this challenge\'s progress and nothing else, so the waiting login page can open it from the browser (`new EventSource(url)`).',
    '',
    'A `text/event-stream` that starts with the comment `: connected`; each event has `id:` its sequence number, `event:` its name and `data:` a ChallengeProgressEvent as JSON:',
    '',
    '| id | event | when |',
    '|---|---|---|',
    '| 1 | `created` | the challenge exists, pending |',
    '| 2 | `delivered` | the device fetched it (skipped if it never did) |',
    '| 3 | `approved`, `denied` or `expired` | the outcome; the stream ends |',
    '',
    'A reconnecting client sends `Last-Event-ID` and gets only later events; drop an event whose sequence is lower than one already seen. The events are computed from the database, so the stream is right on whichever Verity node it reaches.',
    '',
    'A voiceprint challenge answered on a call Verity placed (`POST …/Challenges/{Sid}/Calls`) also gets its calls\' progress, before its outcome, as `call_progress` events without an `id:` (the ids above stay as they are): `data` is the call\'s event as its own stream sends it (`GET /events/v1/Calls/{Sid}/{Token}`: `call_sid`, `sequence`, `event` such as `ringing`, `recording`, `scored` with the decision only), so after a reconnect drop those whose `call_sid` and `sequence` were seen.',
  ].join('\n'),
  caller: 'none',
  params: ChallengeEventsPath,
  headers: LastEventIdHeader,
  ok: {
    200: {
      description: 'A server-sent event stream that ends after the outcome (sequence 3).',
      contentType: 'text/event-stream',
      schema: eventStream(
        'id: 1\nevent: created\ndata: {"sequence":1,"event":"created","challenge_sid":"YC0123456789abcdef0123456789abcdef","status":"pending","date":"2026-01-01T12:00:00Z"}\n\nid: 3\nevent: approved\ndata: {"sequence":3,"event":"approved","challenge_sid":"YC0123456789abcdef0123456789abcdef","status":"approved","date":"2026-01-01T12:00:09Z"}\n\n',
      ),
    },
  },
  errors: [
    { code: 20404, when: 'malformed or unknown challenge SID, or a token that is not this challenge\'s.', message: 'The requested resource /events/v1/Challenges/YC0123456789abcdef0123456789abcdef was not found' },
    streamLimited,
    ...SERVER_ERRORS,
  ],
});

const VerificationEventsPath = z.object({
  verificationSid: pathSid('VE', 'Verification SID (`VE` + 32 hex).'),
  token: z.string().meta({ description: 'The credential of the events URL (from the verification\'s `links.events`).', pattern: '^[A-Za-z0-9_-]{32}$' }),
});

const progressRows = Object.entries(PROGRESS_EVENTS).map(([event, when]) => `| \`${event}\` | ${when} |`);

export const streamVerificationEventsSchema = operation({
  operationId: 'streamVerificationEvents',
  tag: 'Verifications',
  summary: 'Stream a call verification\'s progress (server-sent events)',
  description: [
    '**Verity extension.** The URL is a call verification\'s `links.events`: no credentials, its token grants reading this verification\'s progress and nothing else, so the waiting login page can open it from the browser (`new EventSource(url)`).',
    '',
    'A `text/event-stream` that starts with the comment `: connected`; each event has `id:` its per-verification sequence number, `event:` its name and `data:` a VerificationProgressEvent as JSON `{verification_sid, sequence, event, call_sid, data, date}`. Data never holds a code or a pressed digit. Events, in the order they usually come:',
    '',
    '| event | when |',
    '|---|---|',
    ...progressRows,
    '',
    'Events of the verification\'s outcome have `call_sid` null; the others name the call (a resent verification may have several). The stream ends once the verification is no longer pending and none of its calls is live. A reconnecting client sends `Last-Event-ID` and gets only later events. The events are read from the database, so the stream is right on whichever Verity node it reaches. The same events go to webhooks as `verification.progress`.',
  ].join('\n'),
  caller: 'none',
  params: VerificationEventsPath,
  headers: LastEventIdHeader,
  ok: {
    200: {
      description: 'A server-sent event stream that ends after the verification is decided and its calls ended.',
      contentType: 'text/event-stream',
      schema: eventStream(
        'id: 1\nevent: queued\ndata: {"verification_sid":"VE0123456789abcdef0123456789abcdef","sequence":1,"event":"queued","call_sid":"CL0123456789abcdef0123456789abcdef","data":{"flow":"press_one","provider":"twilio"},"date":"2026-01-01T12:00:00Z"}\n\nid: 7\nevent: approved\ndata: {"verification_sid":"VE0123456789abcdef0123456789abcdef","sequence":7,"event":"approved","call_sid":null,"data":{},"date":"2026-01-01T12:00:21Z"}\n\n',
      ),
    },
  },
  errors: [
    { code: 20404, when: 'malformed or unknown verification SID, or a token that is not this verification\'s.', message: 'The requested resource /events/v1/Verifications/VE0123456789abcdef0123456789abcdef was not found' },
    streamLimited,
    ...SERVER_ERRORS,
  ],
});
