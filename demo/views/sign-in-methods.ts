/** RFC 8176 authentication method references, in words a customer understands. */
const AMR_WORDS: Record<string, string> = {
  pwd: 'password',
  otp: 'one-time code',
  sms: 'text message',
  tel: 'phone call',
  swk: 'app or passkey on your device',
  hwk: 'security key',
  vbm: 'voiceprint',
  user: 'presence check',
  pin: 'PIN',
  fpt: 'fingerprint',
  face: 'face recognition',
  mfa: 'several factors',
  device: 'this remembered device',
  passkey: 'passkey',
};

/** "password + text message" for ['pwd', 'sms']. */
export function describeAmr(amr: readonly string[]): string {
  return [...new Set(amr.map((m) => AMR_WORDS[m] ?? m))].join(' + ');
}
