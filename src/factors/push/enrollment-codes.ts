import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { seal, unseal } from '../../crypto/seal.ts';
import { VerityError } from '../../errors/verity-error.ts';

/**
 * Short push enrolment codes (docs/push.md, "Enrolment codes"): a phone scans a QR code of
 * `<publicUrl>/device/v1/EnrollmentCodes/<CODE>` (under 100 characters) instead of the 665-character
 * enrolment token, and trades the code for that token once (POST, no authentication).
 *
 * A code is 12 Crockford base32 characters (60 random bits), shown `XXXX-XXXX-XXXX`; reading it
 * ignores case and dashes and takes I/L for 1 and O for 0. Only its SHA-256 is stored (looked up,
 * so no comparison of secrets happens in this process), with the token sealed beside it; it expires
 * with the token and is deleted when redeemed.
 */

type EnrollmentCodesDeps = Pick<AppContext, 'clock' | 'config' | 'keyring' | 'stores'>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 12;
/** The path a code is redeemed at (and the QR code points to). */
export const ENROLLMENT_CODES_PATH = '/device/v1/EnrollmentCodes';

export interface IssuedEnrollmentCode {
  /** `XXXX-XXXX-XXXX`. */
  code: string;
  /** What the QR code holds: the redemption URL. */
  url: string;
  expiresAt: number;
}

/** 60 random bits as 12 Crockford base32 characters. */
function newCode(): string {
  let bits = randomBytes(8).readBigUInt64BE() >> 4n;
  let out = '';
  for (let i = 0; i < CODE_CHARS; i++) {
    out = (CROCKFORD[Number(bits & 31n)] as string) + out;
    bits >>= 5n;
  }
  return out;
}

/** A code as typed or scanned → its 12 canonical characters, or undefined if it cannot be one. */
export function normalizeEnrollmentCode(input: string): string | undefined {
  const text = input.trim().toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return /^[0-9A-HJKMNP-TV-Z]{12}$/.test(text) ? text : undefined;
}

export const formatEnrollmentCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;

const digestOf = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');
const sealContext = (digest: string): string => `enrollment-code:${digest}`;

/** A code for the enrolment `token`, valid until the token's expiry (`expiresAt`, ms). */
export async function issueEnrollmentCode(ctx: EnrollmentCodesDeps, token: string, expiresAt: number): Promise<IssuedEnrollmentCode> {
  const now = ctx.clock.now();
  // Codes nobody redeemed are forgotten as new ones are made (a handful at a time).
  await ctx.stores.pushEnrollmentCodes.purgeExpired(now);
  const code = newCode();
  const digest = digestOf(code);
  await ctx.stores.pushEnrollmentCodes.insert({ code_digest: digest, token_sealed: seal(ctx.keyring, token, sealContext(digest)), expires_at: expiresAt, date_created: now });
  const shown = formatEnrollmentCode(code);
  return { code: shown, url: enrollmentCodeUrl(ctx, shown), expiresAt };
}

/** Where a code is redeemed, which its QR code holds: `<publicUrl>/device/v1/EnrollmentCodes/XXXX-XXXX-XXXX`. */
export const enrollmentCodeUrl = (ctx: Pick<AppContext, 'config'>, code: string): string => `${ctx.config.publicUrl}${ENROLLMENT_CODES_PATH}/${code}`;

/** The refusal of a code that is unknown, used or expired (the same for all three: nothing to learn by probing). */
const enrollmentCodeNotFound = (): VerityError =>
  new VerityError(20404, 'The enrollment code is unknown, already used or expired', { details: { error: 'enrollment_code_not_found' } });

/** Trades a code for its enrolment token, once; a second redemption (or a concurrent one that lost) is refused. */
export async function redeemEnrollmentCode(ctx: EnrollmentCodesDeps, input: string): Promise<string> {
  const code = normalizeEnrollmentCode(input);
  if (code === undefined) throw enrollmentCodeNotFound();
  const digest = digestOf(code);
  const row = await ctx.stores.pushEnrollmentCodes.claim(digest, ctx.clock.now());
  if (!row) throw enrollmentCodeNotFound();
  return unseal(ctx.keyring, row.token_sealed, sealContext(digest));
}
