import { z } from 'zod';
import { callWebhookSchemas } from '../call-webhooks/call-webhook-schema.ts';

/** The schemas of Bandwidth's voice callbacks (bandwidth-voice-routes.ts): JSON events in, BXML out. */

const BandwidthVoiceCallback = z
  .looseObject({
    eventType: z.enum(['answer', 'gather', 'recordComplete', 'disconnect']).optional(),
    callId: z.string().optional(),
    digits: z.string().optional().meta({ description: 'gather: the keys pressed (empty after a timeout).' }),
    mediaUrl: z.string().optional().meta({ format: 'uri', description: 'recordComplete: where Bandwidth stored the recording.' }),
    cause: z.string().optional().meta({ description: 'disconnect: `hangup` (completed), `busy`, `timeout` (no-answer), `cancel` (canceled), `rejected`; any other cause is a failure.' }),
    errorMessage: z.string().optional().meta({ description: 'disconnect: Bandwidth\'s explanation of a failure, logged.' }),
  })
  .meta({ id: 'BandwidthVoiceCallback', description: 'The fields of Bandwidth\'s callback events that Verity reads (Bandwidth sends more).' });

export const bandwidthVoiceSchemas = callWebhookSchemas({
  carrier: 'Bandwidth',
  intro: 'Called by Bandwidth, not by applications; present only with `VERITY_VOICE_PROVIDER=bandwidth`.',
  outro:
    'Bandwidth signs nothing: every callback must carry `VERITY_BANDWIDTH_CALLBACK_USERNAME`/`VERITY_BANDWIDTH_CALLBACK_PASSWORD` as HTTP Basic (Verity gives them to Bandwidth with each call), else 401.',
  caller: 'bandwidth',
  body: BandwidthVoiceCallback,
  consumes: 'application/json',
  markup: {
    name: 'BXML',
    contentType: 'application/xml',
    example: '<?xml version="1.0" encoding="UTF-8"?><Response><Gather …><SpeakSentence locale="en_US" gender="female">…</SpeakSentence></Gather></Response>',
  },
  refused: { code: 20003, when: 'the callback does not carry the callback credentials as HTTP Basic (checked before the body is read).', message: 'Bandwidth callbacks must carry the configured callback credentials (HTTP Basic)' },
  answer: { event: 'Answer', summary: 'the call was answered', description: 'The `answer` event (`answerUrl` of the call): Bandwidth fetches the call\'s first instructions.' },
  gather: { event: 'Gather', summary: 'keys were pressed', description: 'The `gather` event: `digits` (empty after a timeout) go to the call flow.' },
  record: {
    event: 'Record',
    summary: 'a recording is ready',
    description: 'The `recordComplete` event: Verity downloads `mediaUrl` (with the API credentials) for the call flow; a download that fails counts as an empty recording.',
  },
  progress: {
    event: 'Disconnect',
    summary: 'the call ended',
    description:
      'The `disconnect` event (`disconnectUrl` of the call): `cause` hangup, busy, timeout, cancel or rejected ends the call as completed, busy, no-answer, canceled or rejected; any other cause as failed.',
  },
});
