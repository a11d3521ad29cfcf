import type { FastifyInstance } from 'fastify';
import type { TestVerity } from '../support/start-verity.ts';

/** A form (repeated keys for lists) or a WAV upload. */
export type TourBody = Record<string, string | string[]> | Buffer;

/** The tours' requests: `app.inject` (no socket), the body as the API takes it, the JSON answer parsed. */
export async function injectTourRequest(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  authorization: string | undefined,
  body?: TourBody,
): Promise<{ status: number; body: Record<string, any> | undefined; text: string }> {
  const wav = Buffer.isBuffer(body);
  const form = body && !wav ? new URLSearchParams(Object.entries(body).flatMap(([k, vs]) => (Array.isArray(vs) ? vs : [vs]).map((one) => [k, one]))).toString() : undefined;
  const type = wav ? 'audio/wav' : form !== undefined ? 'application/x-www-form-urlencoded' : undefined;
  const res = await app.inject({
    method,
    url,
    headers: { ...(authorization ? { authorization } : {}), ...(type ? { 'content-type': type } : {}) },
    ...(body ? { payload: wav ? body : form } : {}),
  });
  const json = res.headers['content-type']?.toString().startsWith('application/json') ? (res.json() as Record<string, any>) : undefined;
  return { status: res.statusCode, body: json, text: res.body };
}

/** The test account's HTTP Basic credentials. */
export const accountAuthorization = (v: TestVerity): string => `Basic ${Buffer.from(`${v.accountSid}:${v.authToken}`).toString('base64')}`;
