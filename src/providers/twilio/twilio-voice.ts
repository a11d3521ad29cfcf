import { carrierRefusal } from '../carrier-api.ts';
import { downloadRecording } from '../download-recording.ts';
import { DeliveryError } from '../provider.ts';
import { twilioAccount, twilioErrorSuffix, type TwilioAccountOptions } from './twilio-account.ts';
import type { PlaceCallRequest, VoiceProvider } from '../../voice/voice-provider.ts';

export interface TwilioVoiceOptions extends TwilioAccountOptions {
  /** Verity's public origin, which Twilio calls back (`/voice/twilio/calls/…`). */
  publicUrl: string;
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

/** The webhook URLs Twilio calls for one Verity call; twilio-voice-routes.ts serves them. */
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
  const { accountUrl, api } = twilioAccount(options);

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

      const { ok, status, payload } = await api.post(`${accountUrl}/Calls.json`, { form }, 'Calls');
      if (ok) {
        const sid = payload?.['sid'];
        if (typeof sid !== 'string' || sid === '') {
          throw new DeliveryError(`Twilio Calls answered HTTP ${status} without a sid`, { retryable: false });
        }
        return { providerCallId: sid };
      }
      throw carrierRefusal(`Twilio Calls request failed with HTTP ${status}${twilioErrorSuffix(payload)}`, status);
    },

    async hangup(_callSid: string, providerCallId: string): Promise<void> {
      // `completed` rather than `canceled`: Twilio hangs up an in-progress call with it and cancels a
      // queued or ringing one, while `canceled` leaves an answered call running. Verity does not
      // know for sure which state the call is in when it hangs up (the answer may be in flight).
      const form = new URLSearchParams({ Status: 'completed' });
      const { ok, status, payload } = await api.post(`${accountUrl}/Calls/${encodeURIComponent(providerCallId)}.json`, { form }, 'call update');
      if (ok || payload?.['code'] === CALL_ALREADY_OVER) return;
      throw carrierRefusal(`Twilio call update failed with HTTP ${status}${twilioErrorSuffix(payload)}`, status);
    },

    fetchRecording(recordingUrl: string): Promise<Buffer> {
      return downloadRecording(`${recordingUrl}.wav`, {
        allowedPrefix: `${accountUrl}/Recordings/`,
        authorization: api.authorization,
        fetch: api.fetch,
        timeoutMs: api.timeoutMs,
        retryDelayMs: options.recordingRetryDelayMs,
      });
    },
  };
}
