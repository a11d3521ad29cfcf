import digest from 'sip/digest.js';
import type { SipAuthHeader, SipMessage } from 'sip';

export interface DigestCredentials {
  username: string;
  password: string;
}

const unquote = (value: string | undefined): string | undefined => (value && value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);

/**
 * The challenge of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) that Verity can answer:
 * Digest with MD5 or MD5-sess (RFC 3261 §22.4 with RFC 2617); npm `sip/digest` computes MD5 only,
 * so a SHA-256 challenge (RFC 8760) beside an MD5 one is passed over.
 */
export function answerableChallenge(response: SipMessage): SipAuthHeader | undefined {
  const headers = response.status === 407 ? response.headers['proxy-authenticate'] : response.headers['www-authenticate'];
  if (!Array.isArray(headers)) return undefined;
  return headers.find((header) => {
    const algorithm = unquote(header['algorithm'])?.toLowerCase();
    return header.scheme?.toLowerCase() === 'digest' && unquote(header['nonce']) && unquote(header['realm']) !== undefined && (algorithm === undefined || algorithm === 'md5' || algorithm === 'md5-sess');
  });
}

/** Whether a challenge says only that our nonce went stale (RFC 2617 §3.2.1): a retry with the new nonce is expected, not a refusal. */
export const isStale = (challenge: SipAuthHeader): boolean => unquote(challenge['stale'])?.toLowerCase() === 'true';

/**
 * Adds the Authorization (401) or Proxy-Authorization (407) answering `response`'s challenge to
 * `request`, with qop=auth (auth-int only when that is all the challenge offers), a fresh cnonce
 * and nc=00000001 (npm `sip/digest` computes them). Returns an error instead when there is no
 * challenge Verity can answer.
 */
export function signRequest(request: SipMessage, response: SipMessage, credentials: DigestCredentials): { ok: true } | { ok: false; error: string } {
  const challenge = answerableChallenge(response);
  if (!challenge) return { ok: false, error: `the ${response.status} carries no Digest MD5 challenge` };
  const name = response.status === 407 ? 'proxy-authenticate' : 'www-authenticate';
  try {
    digest.signRequest({ qop: 'auth,auth-int' }, request, { ...response, headers: { ...response.headers, [name]: [challenge] } }, {
      user: credentials.username,
      password: credentials.password,
    });
    return { ok: true };
  } catch (error) {
    // selectQop throws when the challenge offers neither auth nor auth-int.
    return { ok: false, error: `the challenge cannot be answered (${(error as Error).message})` };
  }
}
