import assert from 'node:assert/strict';
import { readServerSentEvents, type ServerSentEvent } from '../../src/authenticator/sse-reader.ts';
import { generateDeviceKey, signDeviceToken, signFactorVerification, signPushResponse } from '../../src/factors/push/device-signing.ts';
import type { DeviceChallenge } from '../../src/factors/push/push-protocol.ts';
import type { TestVerity } from './start-verity.ts';

type Key = Awaited<ReturnType<typeof generateDeviceKey>>['privateKey'];

/** A push device in a test: its key, its factor, and the device API calls it makes. */
export interface TestDevice {
  factorSid: string;
  privateKey: Key;
  publicKey: string;
  /** Seconds on the server's clock (the manual clock when the test has one). */
  now(): number;
  token(lifetimeSeconds?: number): Promise<string>;
  call(method: string, path: string, form?: Record<string, string>, bearer?: string): Promise<{ status: number; body: any }>;
  pending(): Promise<DeviceChallenge[]>;
  answer(challenge: DeviceChallenge, status: 'approved' | 'denied', number?: string): Promise<{ status: number; body: any }>;
}

export async function deviceCall(v: TestVerity, method: string, path: string, form: Record<string, string> | undefined, bearer: string | undefined): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(v.url + path, { method, headers, ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
  return { status: res.status, body: await res.json() };
}

/** Enrolls a device with an enrollment token from AccessTokens, and verifies its factor. */
export async function enrollDevice(v: TestVerity, serviceSid: string, identity: string, options: { verify?: boolean } = {}): Promise<TestDevice> {
  const now = () => Math.floor(v.ctx.clock.now() / 1000);
  const issued = await v.api('POST', `/v2/Services/${serviceSid}/AccessTokens`, { Identity: identity, FactorType: 'push', FactorFriendlyName: 'Test phone' });
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  const { privateKey, publicKey } = await generateDeviceKey();
  const created = await deviceCall(v, 'POST', '/device/v1/Factors', { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey }, issued.body.token as string);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const factorSid = created.body.sid as string;
  const device: TestDevice = {
    factorSid,
    privateKey,
    publicKey,
    now,
    token: (lifetime = 120) => signDeviceToken(privateKey, factorSid, lifetime, now()),
    call: async (method, path, form, bearer) => deviceCall(v, method, path, form, bearer ?? (await device.token())),
    pending: async () => {
      const res = await device.call('GET', `/device/v1/Factors/${factorSid}/Challenges?Status=pending`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.challenges as DeviceChallenge[];
    },
    answer: async (challenge, status, number) =>
      device.call('POST', `/device/v1/Factors/${factorSid}/Challenges/${challenge.sid}`, { AuthPayload: await signPushResponse(privateKey, challenge, status, number, now()) }),
  };
  if (options.verify !== false) {
    const verified = await device.call('POST', `/device/v1/Factors/${factorSid}`, { AuthPayload: await signFactorVerification(privateKey, factorSid, now()) });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.status, 'verified');
  }
  return device;
}

/** Collects server-sent events from `url` until `stop` says so or `timeoutMs` passes. */
export async function collectEvents(url: string, headers: Record<string, string>, stop: (events: ServerSentEvent[]) => boolean, timeoutMs = 5_000): Promise<ServerSentEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const events: ServerSentEvent[] = [];
  try {
    const res = await fetch(url, { headers, signal: abort.signal });
    assert.equal(res.status, 200);
    for await (const event of readServerSentEvents(res.body as AsyncIterable<Uint8Array>)) {
      events.push(event);
      if (stop(events)) break;
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}
