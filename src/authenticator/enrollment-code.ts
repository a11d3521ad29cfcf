import { ENROLLMENT_CODES_PATH, normalizeEnrollmentCode } from '../factors/push/enrollment-codes.ts';
import { usageError } from './authenticator-error.ts';
import { endpoint, requestJson } from './verity-request.ts';

/**
 * A short enrolment code (docs/push.md, "Enrolment codes"): what the enrollment hub's QR code holds
 * (`<server>/device/v1/EnrollmentCodes/XXXX-XXXX-XXXX`) or the code alone, which needs --server.
 */
export interface EnrollmentCodeInput {
  /** Verity's URL, from the link (or --server). */
  server: string | undefined;
  code: string;
}

/** The code and server `text` names, or undefined when it is neither a code nor a code's link (a JWT, an otpauth:// URI). */
export function parseEnrollmentCodeInput(text: string): EnrollmentCodeInput | undefined {
  const trimmed = text.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return undefined;
    }
    const at = url.pathname.lastIndexOf(`${ENROLLMENT_CODES_PATH}/`);
    if (at < 0) return undefined;
    const code = normalizeEnrollmentCode(decodeURIComponent(url.pathname.slice(at + ENROLLMENT_CODES_PATH.length + 1)));
    // Verity may live under a path prefix: the server is everything before /device/v1.
    return code === undefined ? undefined : { server: `${url.origin}${url.pathname.slice(0, at)}`, code };
  }
  const code = normalizeEnrollmentCode(trimmed);
  return code === undefined ? undefined : { server: undefined, code };
}

/** POST …/EnrollmentCodes/{Code}: the enrolment token the code stands for (the code is spent). */
export async function redeemEnrollmentCode(input: EnrollmentCodeInput, serverOverride: string | undefined): Promise<string> {
  const server = serverOverride ?? input.server;
  if (server === undefined) throw usageError('an enrollment code alone needs --server URL (or give the link the QR code holds)');
  if (!/^https?:\/\//.test(server)) throw usageError(`the server URL must start with http:// or https:// (got "${server}")`);
  const answer = await requestJson<{ enrollment_token?: unknown }>({ method: 'POST', url: endpoint(server, `${ENROLLMENT_CODES_PATH}/${input.code}`) });
  if (typeof answer.enrollment_token !== 'string') throw usageError('Verity answered the enrollment code without a token');
  return answer.enrollment_token;
}
