import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicCredentials } from '../../src/net/basic-credentials.ts';
import { startFakeCarrier, type FakeCarrier } from './fake-carrier.ts';

export const BANDWIDTH_ACCOUNT_ID = '9900000';
export const BANDWIDTH_USERNAME = 'api-user';
export const BANDWIDTH_PASSWORD = 'api-password-0123';
export const BANDWIDTH_APPLICATION_ID = '04e88489-df02-4e34-a0ee-27a91849555f';

export interface BandwidthRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
}

export type BandwidthBehaviour = 'accept' | 'rate-limit' | 'server-error' | 'bad-request' | 'hang';

export type FakeBandwidth = FakeCarrier<BandwidthRequest, BandwidthBehaviour>;

/**
 * A local stand-in for Bandwidth's Voice API v2 that validates requests the way it does, for the
 * parts Verity uses: create call, update call (state), recording media.
 */
export async function startFakeBandwidth(): Promise<FakeBandwidth> {
  const activeCalls = new Set<string>();

  function bandwidthError(res: ServerResponse, status: number, type: string, description: string): void {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify({ type, description, id: null }));
  }

  function answer(fake: FakeBandwidth, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const path = req.url ?? '';

    const given = basicCredentials(req.headers.authorization);
    if (given?.username !== BANDWIDTH_USERNAME || given.password !== BANDWIDTH_PASSWORD) {
      return bandwidthError(res, 401, 'authentication-error', 'The credentials provided were invalid');
    }
    const media = /^\/api\/v2\/accounts\/(\d+)\/calls\/(c-[0-9a-f-]+)\/recordings\/(r-[0-9a-f-]+)\/media$/.exec(path);
    if (req.method === 'GET' && media) {
      fake.received.push({ method: 'GET', path, body: undefined });
      if (fake.recordingMissingFor > 0) {
        fake.recordingMissingFor--;
        return bandwidthError(res, 404, 'not-found', 'Recording not found');
      }
      res.writeHead(200, { 'content-type': 'audio/vnd.wave' });
      res.end(fake.wav);
      return;
    }
    const match = /^\/api\/v2\/accounts\/(\d+)\/calls(?:\/(c-[0-9a-f-]+))?$/.exec(path);
    if (req.method !== 'POST' || !match) return bandwidthError(res, 404, 'not-found', 'Not found');
    if (match[1] !== BANDWIDTH_ACCOUNT_ID) return bandwidthError(res, 403, 'authorization-error', 'Access is denied');
    if (req.headers['content-type']?.split(';')[0] !== 'application/json') return bandwidthError(res, 415, 'validation', 'Invalid media type');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return bandwidthError(res, 400, 'validation', 'Malformed JSON');
    }
    fake.received.push({ method: 'POST', path, body });
    if (fake.behaviour === 'hang') return;
    if (fake.behaviour === 'rate-limit') return bandwidthError(res, 429, 'rate-limit', 'Too many requests');
    if (fake.behaviour === 'server-error') return bandwidthError(res, 500, 'internal-server-error', 'Internal server error');
    if (fake.behaviour === 'bad-request') return bandwidthError(res, 400, 'validation', 'Invalid to: must be an E164 telephone number');

    const callId = match[2];
    if (callId !== undefined) {
      if (!activeCalls.has(callId)) return bandwidthError(res, 404, 'not-found', 'Call not found');
      if (body['state'] !== 'completed' && body['state'] !== 'active') return bandwidthError(res, 400, 'validation', 'Invalid state');
      activeCalls.delete(callId);
      res.writeHead(200).end();
      return;
    }
    for (const field of ['from', 'to', 'applicationId', 'answerUrl']) {
      if (typeof body[field] !== 'string') return bandwidthError(res, 400, 'validation', `${field} is required`);
    }
    if (body['applicationId'] !== BANDWIDTH_APPLICATION_ID) return bandwidthError(res, 400, 'validation', 'Unknown application');
    const id = `c-${randomUUID()}`;
    activeCalls.add(id);
    res.writeHead(201, { 'content-type': 'application/json', location: `${fake.apiBase}/api/v2/accounts/${BANDWIDTH_ACCOUNT_ID}/calls/${id}` });
    res.end(JSON.stringify({ accountId: BANDWIDTH_ACCOUNT_ID, applicationId: BANDWIDTH_APPLICATION_ID, callId: id, callUrl: `${fake.apiBase}/api/v2/accounts/${BANDWIDTH_ACCOUNT_ID}/calls/${id}`, to: body['to'], from: body['from'], tag: body['tag'] }));
  }

  return startFakeCarrier(answer);
}
