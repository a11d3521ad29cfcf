import type { RegionalCatalog } from './catalog-types.ts';

/**
 * English (British): Twilio lists `en-GB` apart from `en`. The texts are English's except where
 * British usage differs (the present perfect for a finished check, "awaiting"); every other id
 * falls back to en.ts.
 */
export const enGB: RegionalCatalog = {
  'voice.codeAccepted': 'Thank you. Your phone number has been verified.',
  'voice.approveSignIn': 'A sign-in to your account is awaiting your approval.',
  'voice.voiceMatched': 'Thank you. Your voice has been verified. Goodbye.',
  'voice.noInput': 'We haven\'t received any input.',
};
