/**
 * An error answer of the Verity API. The body follows the Verify v2 error format
 * (`{code, message, more_info, status}`), so `code` is the stable number to switch on: 60200 for a
 * bad parameter, 20404 for an unknown resource, 60202 for too many checks, and so on (docs/errors.md).
 *
 * @example
 * try {
 *   await client.verifications.check(serviceSid, { to, code });
 * } catch (error) {
 *   if (error instanceof VerityApiError && error.code === 60202) wait(error.retryAfterSeconds);
 *   else throw error;
 * }
 */
export class VerityApiError extends Error {
  override readonly name = 'VerityApiError';
  /** The Verify error code, or null when the answer had no error body (a proxy's 502, say). */
  readonly code: number | null;
  /** The HTTP status. */
  readonly status: number;
  /** A documentation link for the code, as the server gives it. */
  readonly moreInfo: string | null;
  /** Seconds to wait before trying again (the Retry-After header), when the server said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: { code: number | null; status: number; message: string; moreInfo?: string | null; retryAfterSeconds?: number | undefined }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status;
    this.moreInfo = init.moreInfo ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** Reads Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Builds the error of a non-2xx response from its body (JSON error or anything else). */
export async function errorFromResponse(response: Response): Promise<VerityApiError> {
  const text = await response.text().catch(() => '');
  let body: { code?: unknown; message?: unknown; more_info?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') body = parsed as typeof body;
  } catch {
    // Not JSON: the status alone describes the failure.
  }
  return new VerityApiError({
    code: typeof body.code === 'number' ? body.code : null,
    status: response.status,
    message: typeof body.message === 'string' ? body.message : `HTTP ${response.status} ${response.statusText}`.trim(),
    moreInfo: typeof body.more_info === 'string' ? body.more_info : null,
    retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
  });
}
