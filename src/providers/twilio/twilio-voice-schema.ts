import { z } from 'zod';
import { callWebhookSchemas } from '../call-webhooks/call-webhook-schema.ts';

/** The schemas of Twilio's voice webhooks (twilio-voice-routes.ts): form parameters in, TwiML out. */

const TwilioVoiceCallback = z
  .looseObject({
    CallSid: z.string().optional().meta({ description: 'Twilio\'s call SID (`CA…`).' }),
    CallStatus: z.string().optional().meta({ description: 'status: `ringing`, or the end (`completed`, `busy`, `no-answer`, `failed`, `canceled`); others are ignored.' }),
    Digits: z.string().optional().meta({ description: 'gather: the keys pressed (empty after a timeout).' }),
    RecordingUrl: z.string().optional().meta({ format: 'uri', description: 'record: where Twilio stored the recording.' }),
    SipResponseCode: z.string().optional().meta({ description: 'status: SIP code of the end, logged.' }),
  })
  .meta({ id: 'TwilioVoiceCallback', description: 'The parameters of Twilio\'s voice webhooks that Verity reads (Twilio sends more, all covered by the signature).' });

const TwilioSignature = z.looseObject({
  'X-Twilio-Signature': z.string().meta({
    description:
      'Twilio\'s signature: base64 HMAC-SHA1, keyed with the account auth token (`VERITY_TWILIO_WEBHOOK_AUTH_TOKEN`, default `VERITY_TWILIO_AUTH_TOKEN`), of the full URL (`VERITY_PUBLIC_URL` + path and query) followed by the sorted form parameters.',
  }),
});

export const twilioVoiceSchemas = callWebhookSchemas({
  carrier: 'Twilio',
  intro: 'Called by Twilio, not by applications; present only with `VERITY_VOICE_PROVIDER=twilio`.',
  outro: 'Every request must carry a valid X-Twilio-Signature, else 403.',
  caller: 'none',
  headers: TwilioSignature,
  body: TwilioVoiceCallback,
  consumes: 'application/x-www-form-urlencoded',
  markup: { name: 'TwiML', contentType: 'text/xml', example: '<?xml version="1.0" encoding="UTF-8"?><Response><Gather …><Say language="en-US">…</Say></Gather></Response>' },
  refused: {
    code: 20003,
    status: 403,
    when: 'X-Twilio-Signature is missing or does not match (wrong auth token, or a `VERITY_PUBLIC_URL` other than the one the call was placed with).',
    message: 'The X-Twilio-Signature header is missing or does not match the request',
  },
  answer: { event: 'Answer', summary: 'the call was answered', description: 'Twilio fetches the call\'s first instructions (`Url` of the call).' },
  gather: { event: 'Gather', summary: 'keys were pressed', description: 'The `<Gather>` action: `Digits` (empty after a timeout) go to the call flow.' },
  record: {
    event: 'Record',
    summary: 'a recording is ready',
    description: 'The `<Record>` action: Verity downloads `RecordingUrl` (with the REST credentials) for the call flow; a download that fails counts as an empty recording.',
  },
  progress: {
    event: 'Status',
    summary: 'the call status changed',
    description: 'The call\'s `StatusCallback`: `CallStatus=ringing` records the `ringing` progress event; an end (completed, busy, no-answer, failed, canceled) ends the call; other statuses are ignored.',
  },
});
