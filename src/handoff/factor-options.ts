/** What the hosted chooser offers, as data: the flows build these and the pages render them (no imports either way). */

export type PhoneChannel = 'sms' | 'call';

export type FactorOption =
  | { kind: 'totp'; factorSid: string; name: string }
  | { kind: 'push'; factorSid: string; name: string }
  /** A code to the phone number the application passed (`phone`), shown masked. */
  | { kind: 'phone'; channel: PhoneChannel; masked: string }
  /** "Approve with a call" (press the digits shown) or a flash call to that number (hosted-factors/phone/call-flow.ts). */
  | { kind: 'phone_call'; mode: 'press_one' | 'flashcall'; masked: string }
  | { kind: 'recovery_code'; remaining: number }
  /** "Use your voice": a voiceprint challenge recorded in the browser (hosted-factors/voiceprint/voiceprint-flow.ts). */
  | { kind: 'voiceprint'; factorSid: string; name: string }
  /** "Use a passkey": the user's passkeys in one card, a WebAuthn assertion in the browser (hosted-factors/passkey/passkey-flow.ts). */
  | { kind: 'passkey'; passkeys: Array<{ factorSid: string; name: string }> }
  /** Enrolled and allowed by the request, but not yet runnable on these pages. */
  | { kind: 'unavailable'; type: string; name: string };
