import { z } from 'zod';
import { type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { pathSid } from '../schema/resource-fields.ts';
import { SERVER_ERRORS, eventStream } from './device-schema.ts';
import type { FactorCallEvent } from '../../voice/factor-calls/factor-call-progress.ts';

/**
 * A factor call's progress events, in the order they usually come; a Record so that an event added
 * to factor-call-progress.ts does not compile until it is documented here.
 */
const FACTOR_CALL_EVENTS: Record<FactorCallEvent, string> = {
  queued: 'the call was handed to the voice provider (`data`: `{flow, provider}`)',
  ringing: 'the phone rings',
  answered: 'the callee picked up',
  prompt_played: 'the call said something: the pass phrase (or prompt digits) to say, "again", or goodbye (`data`: `{prompts}`)',
  recording: 'a recording was received (`data`: `{take}`, its number on this call); never the audio',
  scored: 'the recording was judged (`data`: `{decision}`: a check\'s `match`, `no_match` or `rejected` (could not hear clearly); an enrolment take\'s `kept` or `refused` with `{accepted, needed}`). Never the score or threshold',
  approved: 'the outcome: the voice matched (check) or the voiceprint is made (enrolment)',
  denied: 'the outcome: the voice did not match on this call, or a replay was suspected (`data.reason`)',
  failed: 'the outcome: the call gave up (`data.reason`: `too_many_recordings`, a refusal such as `voiceprint_locked`, `no_longer_valid`), or how the call ended when the provider could not place it or went silent',
  completed: 'the call ended after it was answered',
  'no-answer': 'nobody answered before the ring timeout',
  busy: 'the line was busy',
  rejected: 'the callee declined the call',
  canceled: 'Verity hung up the call while it was ringing',
};

const progressRows = Object.entries(FACTOR_CALL_EVENTS).map(([event, when]) => `| \`${event}\` | ${when} |`);

const FactorCallEventsPath = z.object({
  callSid: pathSid('CL', 'Call SID (`CL` + 32 hex) of a voiceprint call.'),
  token: z.string().meta({ description: 'The credential of the events URL (from the call\'s `links.events`).', pattern: '^[A-Za-z0-9_-]{32}$' }),
});

const LastEventIdHeader = z.looseObject({
  'last-event-id': z.string().optional().meta({ description: 'Sent by a reconnecting EventSource: only events with a higher sequence follow.' }),
});

const streamLimited: ErrorCase = {
  code: 20429,
  when: 'the client IP holds `VERITY_EVENTS_MAX_STREAMS_PER_IP` progress streams open on this Verity process already (`Retry-After: 10`), or its request rate, shared with the hosted pages (`VERITY_RATE_HOSTED_IP_*`), is exceeded.',
  retryAfter: true,
  message: 'Too many requests',
};

export const streamFactorCallEventsSchema = operation({
  operationId: 'streamFactorCallEvents',
  tag: 'Factors',
  summary: 'Stream a voiceprint call\'s progress (server-sent events)',
  description: [
    '**Verity extension.** The URL is a voiceprint call\'s `links.events` (`POST …/Factors/{Sid}/Calls`, `POST …/Challenges/{Sid}/Calls`): no credentials, its token grants reading this call\'s progress and nothing else, so the page the user waits on can open it from the browser (`new EventSource(url)`).',
    '',
    'A `text/event-stream` that starts with the comment `: connected`; each event has `id:` its per-call sequence number, `event:` its name and `data:` a FactorCallProgressEvent as JSON `{call_sid, factor_sid, challenge_sid, flow, sequence, event, data, date}`. Data never holds audio, a score or a threshold. Events, in the order they usually come:',
    '',
    '| event | when |',
    '|---|---|',
    ...progressRows,
    '',
    'The stream ends once the call has ended. A reconnecting client sends `Last-Event-ID` and gets only later events. The events are read from the database, so the stream is right on whichever Verity node it reaches. The same events go to webhooks as `factor.call_progress`; a challenge\'s own stream (`links.events` of the challenge) relays its calls\' events as `call_progress` events.',
  ].join('\n'),
  caller: 'none',
  params: FactorCallEventsPath,
  headers: LastEventIdHeader,
  ok: {
    200: {
      description: 'A server-sent event stream that ends after the call ended.',
      contentType: 'text/event-stream',
      schema: eventStream(
        'id: 1\nevent: queued\ndata: {"call_sid":"CL0123456789abcdef0123456789abcdef","factor_sid":"YF0123456789abcdef0123456789abcdef","challenge_sid":"YC0123456789abcdef0123456789abcdef","flow":"voiceprint_verify","sequence":1,"event":"queued","data":{"flow":"voiceprint_verify","provider":"twilio"},"date":"2026-01-01T12:00:00Z"}\n\nid: 6\nevent: scored\ndata: {"call_sid":"CL0123456789abcdef0123456789abcdef","factor_sid":"YF0123456789abcdef0123456789abcdef","challenge_sid":"YC0123456789abcdef0123456789abcdef","flow":"voiceprint_verify","sequence":6,"event":"scored","data":{"decision":"match"},"date":"2026-01-01T12:00:14Z"}\n\n',
      ),
    },
  },
  errors: [
    { code: 20404, when: 'malformed or unknown call SID, a call placed for a verification, or a token that is not this call\'s.', message: 'The requested resource /events/v1/Calls/CL0123456789abcdef0123456789abcdef was not found' },
    streamLimited,
    ...SERVER_ERRORS,
  ],
});
