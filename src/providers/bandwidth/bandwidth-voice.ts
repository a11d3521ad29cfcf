import { downloadRecording } from '../download-recording.ts';
import { describeFetchFailure, fetchNeverConnected, readJsonObject } from '../fetch-failure.ts';
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

/** The callback URLs Bandwidth calls for one Verity call; src/http/routes/bandwidth-voice-routes.ts serves them. */
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
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const callsUrl = `${options.apiBase.replace(/\/+$/, '')}/api/v2/accounts/${encodeURIComponent(options.accountId)}/calls`;
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;

  async function post(url: string, body: unknown, what: string): Promise<{ status: number; payload: Record<string, unknown> | undefined }> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new DeliveryError(`Bandwidth ${what} request failed: ${describeFetchFailure(err)}`, { retryable: fetchNeverConnected(err), cause: err });
    }
    return { status: response.status, payload: await readJsonObject(response) };
  }

  return {
    name: 'bandwidth',

    async placeCall(request: PlaceCallRequest): Promise<{ providerCallId: string }> {
      const urls = bandwidthCallUrls(options.publicUrl, request.callSid);
      const { status, payload } = await post(callsUrl, {
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
      }, 'create call');
      if (status >= 200 && status < 300) {
        const callId = payload?.['callId'];
        if (typeof callId !== 'string' || callId === '') {
          throw new DeliveryError(`Bandwidth create call answered HTTP ${status} without a callId`, { retryable: false });
        }
        return { providerCallId: callId };
      }
      // 429 is refused before processing; a 5xx may come after the call was started.
      throw new DeliveryError(`Bandwidth create call failed with HTTP ${status}${bandwidthErrorSuffix(payload)}`, { retryable: status === 429 });
    },

    async hangup(_callSid: string, providerCallId: string): Promise<void> {
      // `completed` ends the call whether it is still ringing or answered.
      const { status, payload } = await post(`${callsUrl}/${encodeURIComponent(providerCallId)}`, { state: 'completed' }, 'update call');
      if (status >= 200 && status < 300) return;
      // Bandwidth answers 404 for a call that is no longer active: it is over, which is what we wanted.
      if (status === 404) return;
      throw new DeliveryError(`Bandwidth update call failed with HTTP ${status}${bandwidthErrorSuffix(payload)}`, { retryable: status === 429 });
    },

    fetchRecording(mediaUrl: string): Promise<Buffer> {
      return downloadRecording(mediaUrl, {
        allowedPrefix: `${callsUrl}/`,
        authorization,
        fetch: doFetch,
        timeoutMs,
        // recordComplete may come before the media is stored; Bandwidth waits 15 s for the BXML.
        attempts: 4,
        retryDelayMs: options.recordingRetryDelayMs ?? 1000,
        maxBytes: 10 * 1024 * 1024,
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
