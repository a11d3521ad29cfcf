import { downloadRecording } from '../download-recording.ts';
import { describeFetchFailure, fetchNeverConnected, readJsonObject } from '../fetch-failure.ts';
import { DeliveryError } from '../provider.ts';
import { twilioErrorSuffix } from './twilio-provider.ts';
import type { PlaceCallRequest, VoiceProvider } from '../../voice/voice-provider.ts';

export interface TwilioVoiceOptions {
  accountSid: string;
  /** Auth token, or the API key secret when `apiKeySid` is set. */
  authToken: string;
  apiKeySid?: string;
  /** REST API origin, e.g. `https://api.twilio.com`. */
  apiBase: string;
  /** Verity's public origin, which Twilio calls back (`/voice/twilio/calls/…`). */
  publicUrl: string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  /** Delay between attempts when a recording is not downloadable yet (tests shorten it). */
  recordingRetryDelayMs?: number;
}

export interface TwilioVoiceProvider extends VoiceProvider {
  /**
   * Downloads the `RecordingUrl` of a `<Record>` action as WAV (16-bit PCM, 8 kHz mono), with the
   * account's credentials. Only URLs under this account's Recordings on `apiBase` are fetched.
   */
  fetchRecording(recordingUrl: string): Promise<Buffer>;
}

/** Twilio error 21220 "Invalid call state": the call has already ended, which is what hangup wants. */
const CALL_ALREADY_OVER = 21220;

/** The webhook URLs Twilio calls for one Verity call; the routes in src/http/routes/twilio-voice-routes.ts serve them. */
export function twilioCallUrls(publicUrl: string, callSid: string): { answer: string; gather: string; record: string; status: string } {
  const base = `${publicUrl.replace(/\/+$/, '')}/voice/twilio/calls/${encodeURIComponent(callSid)}`;
  return { answer: `${base}/answer`, gather: `${base}/gather`, record: `${base}/record`, status: `${base}/status` };
}

/**
 * Voice calls through Twilio's Calls API. Twilio fetches TwiML from the answer URL when the callee
 * picks up and reports progress to the status URL; both are signed with the auth token
 * (X-Twilio-Signature, see twilio-signature.ts).
 *
 * @example
 * const voice = createTwilioVoiceProvider({ accountSid, authToken, apiBase: 'https://api.twilio.com', publicUrl: 'https://verity.example.com' });
 * const { providerCallId } = await voice.placeCall({ callSid, verificationSid, to, from, ringTimeoutSeconds: 30, flash: false });
 */
export function createTwilioVoiceProvider(options: TwilioVoiceOptions): TwilioVoiceProvider {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const accountUrl = `${options.apiBase.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${options.apiKeySid ?? options.accountSid}:${options.authToken}`).toString('base64')}`;

  async function post(path: string, form: URLSearchParams, what: string): Promise<{ status: number; payload: Record<string, unknown> | undefined }> {
    let response: Response;
    try {
      response = await doFetch(`${accountUrl}/${path}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new DeliveryError(`Twilio ${what} request failed: ${describeFetchFailure(err)}`, { retryable: fetchNeverConnected(err), cause: err });
    }
    return { status: response.status, payload: await readJsonObject(response) };
  }

  return {
    name: 'twilio',

    async placeCall(request: PlaceCallRequest): Promise<{ providerCallId: string }> {
      const urls = twilioCallUrls(options.publicUrl, request.callSid);
      const form = new URLSearchParams({
        To: request.to,
        From: request.from,
        Url: urls.answer,
        Method: 'POST',
        StatusCallback: urls.status,
        StatusCallbackMethod: 'POST',
        Timeout: String(request.ringTimeoutSeconds),
      });
      // Repeated parameter, as twilio-node sends arrays (qs arrayFormat "repeat").
      for (const event of ['initiated', 'ringing', 'answered', 'completed']) form.append('StatusCallbackEvent', event);

      const { status, payload } = await post('Calls.json', form, 'Calls');
      if (status >= 200 && status < 300) {
        const sid = payload?.['sid'];
        if (typeof sid !== 'string' || sid === '') {
          throw new DeliveryError(`Twilio Calls answered HTTP ${status} without a sid`, { retryable: false });
        }
        return { providerCallId: sid };
      }
      // 429 is refused before processing; a 5xx may come after the call was queued.
      throw new DeliveryError(`Twilio Calls request failed with HTTP ${status}${twilioErrorSuffix(payload)}`, { retryable: status === 429 });
    },

    async hangup(_callSid: string, providerCallId: string): Promise<void> {
      // `completed` rather than `canceled`: Twilio hangs up an in-progress call with it and cancels a
      // queued or ringing one, while `canceled` leaves an answered call running. Verity does not
      // know for sure which state the call is in when it hangs up (the answer may be in flight).
      const form = new URLSearchParams({ Status: 'completed' });
      const { status, payload } = await post(`Calls/${encodeURIComponent(providerCallId)}.json`, form, 'call update');
      if (status >= 200 && status < 300) return;
      if (payload?.['code'] === CALL_ALREADY_OVER) return;
      throw new DeliveryError(`Twilio call update failed with HTTP ${status}${twilioErrorSuffix(payload)}`, { retryable: status === 429 });
    },

    fetchRecording(recordingUrl: string): Promise<Buffer> {
      return downloadRecording(`${recordingUrl}.wav`, {
        allowedPrefix: `${accountUrl}/Recordings/`,
        authorization,
        fetch: doFetch,
        timeoutMs,
        // Twilio waits 15 s for the action's TwiML: four tries a second apart stay well inside it.
        attempts: 4,
        retryDelayMs: options.recordingRetryDelayMs ?? 1000,
        maxBytes: 10 * 1024 * 1024,
      });
    },
  };
}
