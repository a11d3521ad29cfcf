/**
 * Event types a webhook can subscribe to: Twilio Verify's factor and challenge events, plus
 * Verity's recovery-code and verification lifecycle events (Twilio has no webhook for these).
 */
export const EVENT_TYPES = [
  'factor.created',
  'factor.verified',
  'factor.deleted',
  'challenge.approved',
  'challenge.denied',
  'recovery_code.used',
  'verification.pending',
  'verification.approved',
  'verification.canceled',
  'verification.expired',
  'verification.max_attempts_reached',
  'verification.failed',
  'verification.denied',
  'verification.progress',
  'verification.delivery_status',
  'factor.call_progress',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** In a webhook's `event_types`, subscribes to every type, including ones added later. */
export const ALL_EVENT_TYPES = '*';

/** Whether a webhook subscribed to `filters` receives events of `type`. */
export function eventTypeMatches(filters: readonly string[], type: string): boolean {
  return filters.includes(type) || filters.includes(ALL_EVENT_TYPES);
}
