// What the push enrollment form accepts: an enrollment token (a JWT), a short enrollment code
// (12 Crockford base32 characters, shown as XXXX-XXXX-XXXX; any case, dashes optional), or the
// link the enrollment page's QR code encodes, <publicUrl>/device/v1/EnrollmentCodes/<CODE>.

const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;
const CODE_PATH = /\/device\/v1\/EnrollmentCodes\/([^/?#]+)\/?$/i;
/** Crockford's alphabet: digits and letters but I, L, O and U. */
const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{12}$/;

/**
 * "abcd-efgh-jkmn" → "ABCD-EFGH-JKMN"; undefined when it is not a code. Crockford's decoding reads
 * I and L as 1 and O as 0, so a code read aloud or retyped from a screen still works.
 */
export function normaliseCode(text) {
  const plain = text.replace(/[\s-]/g, '').toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');
  return CROCKFORD.test(plain) ? `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}` : undefined;
}

/**
 * `{ token }` for an enrollment JWT, `{ code }` for a code or an enrollment link, or `{ error }` saying
 * what was wrong. A link is redeemed at this page's own server whatever its host: the virtual phone
 * only talks to the Verity that serves it.
 */
export function parseEnrollmentInput(text) {
  const value = text.trim();
  if (!value) return { error: 'Paste an enrollment code, link or token first.' };
  if (JWT.test(value)) return { token: value };
  if (/^https?:\/\//i.test(value)) {
    let path;
    try {
      path = new URL(value).pathname;
    } catch {
      return { error: 'That link is not a valid URL.' };
    }
    const match = CODE_PATH.exec(path);
    const code = match && normaliseCode(decodeURIComponent(match[1]));
    return code ? { code } : { error: 'That link is not a push enrollment link (…/device/v1/EnrollmentCodes/<code>).' };
  }
  const code = normaliseCode(value);
  if (code) return { code };
  return { error: 'Expected an enrollment code such as ABCD-EFGH-JKMN, its link, or an enrollment token (eyJ…).' };
}
