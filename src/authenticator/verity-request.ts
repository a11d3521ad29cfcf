import { AuthenticatorError, VerityApiError } from './authenticator-error.ts';

/** One call to Verity: a form-encoded body, a Bearer token, and Verity's error body turned into an error. */
export interface VerityRequest {
  method: 'GET' | 'POST';
  url: string;
  /** The Bearer token; none for the one open call (redeeming an enrolment code). */
  bearer?: string | undefined;
  form?: Record<string, string>;
  /** application/json unless said otherwise (text/event-stream for a stream). */
  accept?: string;
  signal?: AbortSignal;
}

export async function sendRequest(request: VerityRequest): Promise<Response> {
  const headers: Record<string, string> = { ...(request.bearer !== undefined ? { authorization: `Bearer ${request.bearer}` } : {}), accept: request.accept ?? 'application/json' };
  let body: string | undefined;
  if (request.form) {
    body = new URLSearchParams(request.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  let response: Response;
  try {
    response = await fetch(request.url, { method: request.method, headers, body, signal: request.signal });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new AuthenticatorError(`cannot reach Verity at ${new URL(request.url).origin} (${cause})`, { cause: error });
  }
  if (!response.ok) throw await apiError(response);
  return response;
}

export async function requestJson<T>(request: VerityRequest): Promise<T> {
  const response = await sendRequest(request);
  try {
    return (await response.json()) as T;
  } catch {
    throw new AuthenticatorError(`Verity answered ${request.method} ${new URL(request.url).pathname} with a body that is not JSON`);
  }
}

/** Twilio's error body {code, message, more_info, status}; anything else is summarised. */
async function apiError(response: Response): Promise<VerityApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; more_info?: unknown };
    if (typeof body.message === 'string') {
      return new VerityApiError(response.status, typeof body.code === 'number' ? body.code : undefined, body.message, typeof body.more_info === 'string' ? body.more_info : undefined);
    }
  } catch {
    // not JSON: a proxy's page, say
  }
  return new VerityApiError(response.status, undefined, `${response.statusText || 'request failed'}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

/** `server` + `path`, whatever the trailing slashes. */
export function endpoint(server: string, path: string): string {
  return server.replace(/\/+$/, '') + path;
}
