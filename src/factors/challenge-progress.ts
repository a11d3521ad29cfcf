import { createHmac } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { constantTimeEqual } from '../crypto/digest.ts';
import { isoSeconds } from '../time/format.ts';
import type { ChallengeRow } from '../store/schema.ts';

/**
 * A challenge's progress as the waiting login page sees it. The events are derived from the
 * challenge row, so every Verity node computes the same ones, and each has a fixed sequence number
 * (1 created, 2 delivered to the device, 3 the outcome): a client orders late or duplicated events
 * by it and resumes after a reconnect from Last-Event-ID.
 */
export interface ProgressEvent {
  sequence: 1 | 2 | 3;
  event: 'created' | 'delivered' | 'approved' | 'denied' | 'expired';
  challenge_sid: string;
  status: string;
  date: string;
}

export function progressEvents(row: ChallengeRow, now: number): ProgressEvent[] {
  const at = (sequence: ProgressEvent['sequence'], event: ProgressEvent['event'], ms: number, status = row.status): ProgressEvent => ({
    sequence,
    event,
    challenge_sid: row.sid,
    status,
    date: isoSeconds(ms),
  });
  const events = [at(1, 'created', row.date_created, 'pending')];
  if (row.date_delivered !== null) events.push(at(2, 'delivered', row.date_delivered, 'pending'));
  if (row.status === 'approved' || row.status === 'denied') events.push(at(3, row.status, row.date_responded ?? row.date_updated));
  else if (row.status === 'expired' || row.expiration_date <= now) events.push(at(3, 'expired', row.expiration_date, 'expired'));
  return events;
}

/**
 * The credential of a challenge's events URL (`links.events`, src/http/resources/event-stream-links.ts):
 * an HMAC of its SID under a key derived from the master key. It lets a browser read this one
 * challenge's progress, and nothing else.
 */
export function challengeEventsToken(deps: Pick<AppContext, 'keyring'>, challengeSid: string): string {
  return createHmac('sha256', deps.keyring.derive('challenge-events')).update(challengeSid).digest('base64url').slice(0, 32);
}

export function isChallengeEventsToken(deps: Pick<AppContext, 'keyring'>, challengeSid: string, token: string): boolean {
  return constantTimeEqual(Buffer.from(token), Buffer.from(challengeEventsToken(deps, challengeSid)));
}
