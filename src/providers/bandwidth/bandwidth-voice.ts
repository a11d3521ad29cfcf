import { basicAuthorization, carrierApi, carrierRefusal } from '../carrier-api.ts';
import { downloadRecording } from '../download-recording.ts';
import { DeliveryError } from '../provider.ts';
import type { PlaceCallRequest, VoiceProvider } from '../../voice/voice-provider.ts';

export interface BandwidthVoiceOptions {
  accountId: string;
  /** API credentials (HTTP Basic). */
  username: string;
  password: string;
  /** The voice application the calls belong to. */
  applicationId: string;
  /** Credentials Bandwidth sends (HTTP Basic) on every callback to Verity. */
  callbackUsername: string;
  callbackPassword: string;
  /** Voice API origin, e.g. `https://voice.bandwidth.com`. */
  apiBase: string;
  /** Verity's public origin, which Bandwidth calls back (`/voice/bandwidth/calls/…`). */
  publicUrl: string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  /** Delay between attempts when a recording is not downloadable yet (tests shorten it). */
  recordingRetryDelayMs?: number;
}

export interface BandwidthVoiceProvider extends VoiceProvider {
  /** Downloads the `mediaUrl` of a `recordComplete` event with the API credentials (only URLs of this account on `apiBase`). */
  fetchRecording(mediaUrl: string): Promise<Buffer>;
}

/** The callback URLs Bandwidth calls for one Verity call; bandwidth-voice-routes.ts serves them. */
export function bandwidthCallUrls(publicUrl: string, callSid: string): { answer: string; gather: string; record: string; disconnect: string } {
  const base = `${publicUrl.replace(/\/+$/, '')}/voice/bandwidth/calls/${encodeURIComponent(callSid)}`;
  return { answer: `${base}/answer`, gather: `${base}/gather`, record: `${base}/record`, disconnect: `${base}/disconnect` };
}

/**
 * Voice calls through Bandwidth's Voice API v2. Bandwidth posts JSON events to the answer and
 * disconnect URLs given at creation (HTTP Basic with the callback credentials) and runs the BXML
 * the answer returns. It reports no ringing: `ringing` is never called for these calls.
 *
 * @example
 * const voice = createBandwidthVoiceProvider({ accountId, username, password, applicationId, callbackUsername, callbackPassword, apiBase: 'https://voice.bandwidth.com', publicUrl });
 * const { providerCallId } = await voice.placeCall({ callSid, verificationSid, to, from, ringTimeoutSeconds: 30, flash: false });
 */
export function createBandwidthVoiceProvider(options: BandwidthVoiceOptions): BandwidthVoiceProvider {
  const callsUrl = `${options.apiBase.replace(/\/+$/, '')}/api/v2/accounts/${encodeURIComponent(options.accountId)}/calls`;
  const api = carrierApi({ carrier: 'Bandwidth', authorization: basicAuthorization(options.username, options.password), fetch: options.fetch, timeoutMs: options.timeoutMs });

  return {
    name: 'bandwidth',

    async placeCall(request: PlaceCallRequest): Promise<{ providerCallId: string }> {
      const urls = bandwidthCallUrls(options.publicUrl, request.callSid);
      const { ok, status, payload } = await api.post(callsUrl, { json: {
        from: request.from,
        to: request.to,
        applicationId: options.applicationId,
        answerUrl: urls.answer,
        answerMethod: 'POST',
        disconnectUrl: urls.disconnect,
        disconnectMethod: 'POST',
        username: options.callbackUsername,
        password: options.callbackPassword,
        callTimeout: request.ringTimeoutSeconds,
        // Echoed back in every event, for correlation in Bandwidth's own logs.
        tag: request.callSid,
      } }, 'create call');
      if (ok) {
        const callId = payload?.['callId'];
        if (typeof callId !== 'string' || callId === '') {
          throw new DeliveryError(`Bandwidth create call answered HTTP ${status} without a callId`, { retryable: false });
        }
        return { providerCallId: callId };
      }
      throw carrierRefusal(`Bandwidth create call failed with HTTP ${status}${bandwidthErrorSuffix(payload)}`, status);
    },

    async hangup(_callSid: string, providerCallId: string): Promise<void> {
      // `completed` ends the call whether it is still ringing or answered.
      const { ok, status, payload } = await api.post(`${callsUrl}/${encodeURIComponent(providerCallId)}`, { json: { state: 'completed' } }, 'update call');
      // Bandwidth answers 404 for a call that is no longer active: it is over, which is what we wanted.
      if (ok || status === 404) return;
      throw carrierRefusal(`Bandwidth update call failed with HTTP ${status}${bandwidthErrorSuffix(payload)}`, status);
    },

    fetchRecording(mediaUrl: string): Promise<Buffer> {
      return downloadRecording(mediaUrl, {
        allowedPrefix: `${callsUrl}/`,
        authorization: api.authorization,
        fetch: api.fetch,
        timeoutMs: api.timeoutMs,
        // recordComplete may come before the media is stored (retried on 404).
        retryDelayMs: options.recordingRetryDelayMs,
      });
    },
  };
}

/** Bandwidth's error body is `{type, description, id}`. */
function bandwidthErrorSuffix(payload: Record<string, unknown> | undefined): string {
  const type = payload?.['type'];
  let description = typeof payload?.['description'] === 'string' ? payload['description'] : '';
  if (typeof type !== 'string' && description === '') return '';
  if (description.length > 300) description = `${description.slice(0, 300)}…`;
  return `: Bandwidth ${typeof type === 'string' ? type : 'error'}${description ? ` (${description})` : ''}`;
}
