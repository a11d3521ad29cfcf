/**
 * How a failed `fetch` to a provider's REST API is classified. Shared by the HTTP providers so that
 * "retryable" means the same everywhere: the request certainly never reached the provider.
 */

/** Socket errors that mean the TCP connection never came up, so the provider cannot have seen the request. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * True when `err` (thrown by fetch) proves the request never left: the connection was refused or
 * the host did not resolve. A timeout or a reset after connecting may come after the provider
 * acted on the request, so those are not retryable.
 */
export function fetchNeverConnected(err: unknown): boolean {
  return !isTimeout(err) && neverConnected(err);
}

/** A short description for logs and DeliveryError messages: the error and its socket code. */
export function describeFetchFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${(err.cause as NodeJS.ErrnoException).code ?? err.cause.message})` : '';
  return `${err.message}${cause}`;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** fetch reports socket errors as `TypeError: fetch failed` with the system error in `cause` (an AggregateError when several addresses were tried). */
function neverConnected(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 4) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== undefined && CONNECT_FAILURES.has(code)) return true;
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.every((inner: unknown) => neverConnected(inner, depth + 1));
  }
  return neverConnected(err.cause, depth + 1);
}

/** A provider's JSON response body as an object, or undefined when it is not a JSON object. */
export async function readJsonObject(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = await response.json();
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
