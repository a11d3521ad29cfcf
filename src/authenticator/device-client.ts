import { importJWK } from 'jose';
import { signDeviceToken, signFactorVerification, signPushResponse } from '../factors/push/device-signing.ts';
import { MAX_DEVICE_TOKEN_SECONDS, type DeviceChallenge } from '../factors/push/push-protocol.ts';
import type { PushFactorEntry } from './stored-factor.ts';
import { endpoint, requestJson, sendRequest } from './verity-request.ts';

/** The factor resource, as far as the authenticator reads it. */
export interface DeviceFactor {
  sid: string;
  status: string;
  friendly_name: string;
  identity: string;
  service_sid: string;
  factor_type: string;
}

/** POST /device/v1/Factors: binds `publicKey` to the identity named by the enrollment token. */
export async function createPushFactor(server: string, enrollmentToken: string, publicKey: string, friendlyName?: string): Promise<DeviceFactor> {
  return requestJson<DeviceFactor>({
    method: 'POST',
    url: endpoint(server, '/device/v1/Factors'),
    bearer: enrollmentToken,
    form: { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey, ...(friendlyName ? { FriendlyName: friendlyName } : {}) },
  });
}

/** A device's private key, as generateDeviceKey returns it or importJWK reads it back. */
type DeviceKey = Parameters<typeof signDeviceToken>[0];

/** The /device/v1 API as one enrolled push factor, every call authenticated by a fresh device token. */
export class DeviceClient {
  constructor(
    readonly server: string,
    readonly factorSid: string,
    private readonly privateKey: DeviceKey,
  ) {}

  static async forEntry(entry: PushFactorEntry): Promise<DeviceClient> {
    return new DeviceClient(entry.server, entry.id, (await importJWK(entry.privateKey, 'ES256')) as DeviceKey);
  }

  /** Proves possession of the key, which verifies the factor. */
  async verifyFactor(): Promise<DeviceFactor> {
    return requestJson<DeviceFactor>({
      method: 'POST',
      url: this.url(''),
      bearer: await this.deviceToken(),
      form: { AuthPayload: await signFactorVerification(this.privateKey, this.factorSid) },
    });
  }

  async fetchFactor(): Promise<DeviceFactor> {
    return requestJson<DeviceFactor>({ method: 'GET', url: this.url(''), bearer: await this.deviceToken() });
  }

  /** Newest first; `pending` asks only for the challenges still waiting for an answer. */
  async listChallenges(status?: 'pending'): Promise<DeviceChallenge[]> {
    const query = status ? `?Status=${status}` : '';
    const body = await requestJson<{ challenges: DeviceChallenge[] }>({ method: 'GET', url: this.url(`/Challenges${query}`), bearer: await this.deviceToken() });
    return body.challenges;
  }

  /** Signs the answer over exactly the details the device shows (dynamic linking) and sends it. */
  async respond(challenge: DeviceChallenge, status: 'approved' | 'denied', number?: string): Promise<DeviceChallenge> {
    return requestJson<DeviceChallenge>({
      method: 'POST',
      url: this.url(`/Challenges/${encodeURIComponent(challenge.sid)}`),
      bearer: await this.deviceToken(),
      form: { AuthPayload: await signPushResponse(this.privateKey, challenge, status, number) },
    });
  }

  /** The SSE body of the challenge stream; Verity ends it when the device token expires. */
  async openChallengeStream(signal: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    const response = await sendRequest({ method: 'GET', url: this.url('/Challenges/Stream'), bearer: await this.deviceToken(MAX_DEVICE_TOKEN_SECONDS), accept: 'text/event-stream', signal });
    if (!response.body) throw new Error('the challenge stream has no body');
    return response.body;
  }

  private async deviceToken(lifetimeSeconds = 60): Promise<string> {
    return signDeviceToken(this.privateKey, this.factorSid, lifetimeSeconds);
  }

  private url(suffix: string): string {
    return endpoint(this.server, `/device/v1/Factors/${encodeURIComponent(this.factorSid)}${suffix}`);
  }
}
