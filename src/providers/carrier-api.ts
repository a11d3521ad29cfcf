import { describeFetchFailure, fetchNeverConnected, readJsonObject } from './fetch-failure.ts';
import { DeliveryError } from './provider.ts';

/** A carrier REST API's answer: the HTTP status and its JSON body (undefined when it is not a JSON object). */
interface CarrierResponse {
  status: number;
  /** 2xx. */
  ok: boolean;
  payload: Record<string, unknown> | undefined;
}

export interface CarrierApiOptions {
  /** How errors name the carrier: `Twilio`, `Bandwidth`. */
  carrier: string;
  /** The `Authorization` header of every request (HTTP Basic of the REST API credentials). */
  authorization: string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch | undefined;
  timeoutMs?: number | undefined;
}

/** A carrier REST API reached with one set of credentials, failures classified the same way for every carrier. */
export interface CarrierApi {
  /**
   * POSTs a form or a JSON body. A request that failed on the way throws a DeliveryError
   * `<carrier> <what> request failed: …`, retryable only when it certainly never reached the carrier.
   */
  post(url: string, body: { form: URLSearchParams } | { json: unknown }, what: string): Promise<CarrierResponse>;
  /** The `fetch` and timeout the API uses, for recording downloads with the same credentials. */
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs: number;
  readonly authorization: string;
}

/**
 * The one way the Twilio and Bandwidth adapters call their carrier's REST API.
 *
 * @example
 * const api = carrierApi({ carrier: 'Bandwidth', authorization: basicAuthorization(user, password) });
 * const { ok, status, payload } = await api.post(callsUrl, { json: { to, from } }, 'create call');
 * if (!ok) throw carrierRefusal(`Bandwidth create call failed with HTTP ${status}`, status);
 */
export function carrierApi(options: CarrierApiOptions): CarrierApi {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    fetch: doFetch,
    timeoutMs,
    authorization: options.authorization,
    async post(url, body, what) {
      const isForm = 'form' in body;
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: options.authorization,
            'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json',
            accept: 'application/json',
          },
          body: isForm ? body.form.toString() : JSON.stringify(body.json),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        // A timeout or a reset after connecting may come after the carrier acted on the request.
        throw new DeliveryError(`${options.carrier} ${what} request failed: ${describeFetchFailure(err)}`, { retryable: fetchNeverConnected(err), cause: err });
      }
      return { status: response.status, ok: response.status >= 200 && response.status < 300, payload: await readJsonObject(response) };
    },
  };
}

/**
 * A carrier's refusal as a DeliveryError: HTTP 429 is refused before processing, so retrying it
 * cannot duplicate anything; any other status (a 5xx above all) may come after the carrier acted.
 */
export function carrierRefusal(message: string, status: number): DeliveryError {
  return new DeliveryError(message, { retryable: status === 429 });
}

/** `Basic base64(user:password)`, the REST APIs' authentication. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
