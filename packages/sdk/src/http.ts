import { errorFromResponse } from './errors.ts';

/** The `fetch` the client calls; pass your own to add a proxy, logging or a test double. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A request parameter value: undefined is left out, an array becomes repeated keys. */
export type FormValue = string | number | boolean | undefined | ReadonlyArray<string>;

export interface TransportOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  fetch?: FetchLike | undefined;
}

export interface Transport {
  /**
   * Sends a request with Basic auth; `form` goes in a form-encoded body (POST) or the query string
   * (GET). Resolves with the parsed JSON body (undefined for 204) or rejects with VerityApiError.
   */
  request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, form?: Record<string, FormValue>): Promise<T>;
}

/** The parameters as `application/x-www-form-urlencoded`, the way the Verify API reads them. */
function encodeForm(form: Record<string, FormValue>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params.append(key, String(value));
    else for (const one of value) params.append(key, one);
  }
  return params;
}

/** One path segment (a SID or an entity identity), escaped. */
export const segment = (value: string): string => encodeURIComponent(value);

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  // The global is looked up per call (not captured) so a test can replace it after construction.
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  // btoa takes Latin-1 only; account SIDs and auth tokens are ASCII.
  const authorization = `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`;

  return {
    async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, form: Record<string, FormValue> = {}): Promise<T> {
      const encoded = encodeForm(form).toString();
      const query = method === 'GET' && encoded !== '' ? `?${encoded}` : '';
      const headers: Record<string, string> = { authorization, accept: 'application/json' };
      let body: string | undefined;
      if (method === 'POST') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = encoded;
      }
      const response = await doFetch(`${baseUrl}${path}${query}`, { method, headers, ...(body === undefined ? {} : { body }) });
      if (!response.ok) throw await errorFromResponse(response);
      if (response.status === 204) return undefined as T;
      return (await response.json()) as T;
    },
  };
}
