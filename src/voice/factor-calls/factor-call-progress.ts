import { createHmac } from 'node:crypto';
import type { Config } from '../../config/config.ts';
import type { Keyring } from '../../crypto/keyring.ts';
import type { Clock } from '../../crypto/clock.ts';
import { constantTimeEqual } from '../../crypto/digest.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { recordEvent } from '../../events/record-event.ts';
import type { CallRow, FactorCallEventRow } from '../../store/schema.ts';
import type { StoreSet } from '../../store/store-set.ts';
import { isoSeconds } from '../../time/format.ts';

/**
 * What happened on a call placed for a factor (voiceprint enrolment or check), step by step:
 * `queued`, `ringing`, `answered`, `prompt_played`, `recording` (a recording was received),
 * `scored` (a check's decision), the outcome (`approved`, `denied`, `failed`) and how the call ended
 * (`completed`, `no-answer`, `busy`, `rejected`, `canceled`, `failed`). Each event gets the next
 * sequence number of its call and goes to webhooks (`factor.call_progress`) in the same
 * transaction. Data never holds audio, a score, a threshold or a voiceprint: only the decision.
 */
export type FactorCallEvent =
  | 'queued'
  | 'ringing'
  | 'answered'
  | 'prompt_played'
  | 'recording'
  | 'scored'
  | 'approved'
  | 'denied'
  | 'failed'
  | 'completed'
  | 'no-answer'
  | 'busy'
  | 'rejected'
  | 'canceled';

/** What an event's data may say: small facts, never a score or audio (checked here, so no caller can leak one). */
const ALLOWED_DATA = new Set(['flow', 'provider', 'prompts', 'note', 'take', 'accepted', 'needed', 'decision', 'reason', 'reasons']);

function safeData(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key, value]) => ALLOWED_DATA.has(key) && (typeof value !== 'object' || Array.isArray(value))));
}

type CallRef = Pick<CallRow, 'sid' | 'account_sid' | 'service_sid' | 'factor_sid' | 'challenge_sid' | 'flow'>;

/** Records one event of `call` (inside a transaction that holds the call's row lock). */
export async function recordFactorCallProgress(
  tx: Pick<StoreSet, 'factorCallEvents' | 'outbox'>,
  clock: Clock,
  call: CallRef,
  event: FactorCallEvent,
  data: Record<string, unknown> = {},
): Promise<FactorCallEventRow> {
  const row = await tx.factorCallEvents.append(call.sid, event, safeData(data), clock.now());
  await recordEvent(tx, clock, {
    accountSid: call.account_sid,
    serviceSid: call.service_sid,
    type: 'factor.call_progress',
    resourceSid: call.sid,
    payload: factorCallProgressResource(call, row),
  });
  return row;
}

/** An event as streams and webhooks show it. */
export function factorCallProgressResource(call: Pick<CallRef, 'factor_sid' | 'challenge_sid' | 'flow'>, row: FactorCallEventRow): Record<string, unknown> {
  return { call_sid: row.call_sid, factor_sid: call.factor_sid, challenge_sid: call.challenge_sid, flow: call.flow, sequence: row.sequence, event: row.event, data: row.data, date: isoSeconds(row.date_created) };
}

/** The bus topic of one factor call's live streams (`factor:` topics reach every node: src/events/cluster-bus.ts). */
export const factorCallTopic = (callSid: string): string => `factor:call:${callSid}`;

/**
 * Wakes the streams of the call (and of its challenge, which relays its calls' progress) and the
 * webhook dispatcher, after commit, on this node and (cluster bus) every other.
 */
export function announceFactorCall(bus: EventBus<{ type: string; resourceSid: string }>, call: Pick<CallRow, 'sid' | 'challenge_sid'>): void {
  bus.publish(factorCallTopic(call.sid), { type: 'factor.call_progress', resourceSid: call.sid });
  if (call.challenge_sid) bus.publish(`challenge:${call.challenge_sid}`, { type: 'factor.call_progress', resourceSid: call.challenge_sid });
  bus.publish('outbox', { type: 'factor.call_progress', resourceSid: call.sid });
}

/**
 * The credential of a factor call's progress stream (`links.events`): an HMAC of its SID under a key
 * derived from the master key, for this one call's progress and nothing else.
 */
function factorCallEventsToken(deps: { keyring: Keyring }, callSid: string): string {
  return createHmac('sha256', deps.keyring.derive('factor-call-events')).update(callSid).digest('base64url').slice(0, 32);
}

export function isFactorCallEventsToken(deps: { keyring: Keyring }, callSid: string, token: string): boolean {
  return constantTimeEqual(Buffer.from(token), Buffer.from(factorCallEventsToken(deps, callSid)));
}

/** `links.events` of a factor call: its progress stream, readable with the token in the path. */
export function factorCallEventsUrl(ctx: { config: Pick<Config, 'publicUrl'>; keyring: Keyring }, callSid: string): string {
  return `${ctx.config.publicUrl}/events/v1/Calls/${callSid}/${factorCallEventsToken(ctx, callSid)}`;
}
