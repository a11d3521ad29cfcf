import type { Clock } from '../../crypto/clock.ts';
import { InProcessEventBus } from '../../events/event-bus.ts';
import type { SimMessageRow, SimMessageStatus } from '../../store/schema.ts';
import type { SimMessagesStore } from '../../store/sim-messages-store.ts';
import type { Channel } from '../provider.ts';
import { isoSeconds } from '../../time/format.ts';

/** A message the simulated carrier accepted, as the simulator API and its live stream show it. */
export interface SimMessage {
  /** The carrier's message id (`SIM…`, the send's providerMessageId); null for messages stored before statuses existed. */
  id: string | null;
  channel: Channel;
  to: string;
  from: string;
  /** Email only (null when the email had no subject); absent for SMS and calls. */
  subject?: string | null;
  body: string;
  /** Where the simulated carrier says it is (src/messaging/delivery-status.ts). */
  status: SimMessageStatus;
  /** The simulated carrier's error for undelivered/failed (`30003`), else null. */
  error_code: string | null;
  /** ISO 8601 in UTC without milliseconds, e.g. `2026-01-01T00:00:00Z`. */
  date_created: string;
  /** When the status last changed (ISO 8601, as date_created). */
  date_updated: string;
}

export interface SimMessageInput {
  channel: Channel;
  to: string;
  from: string;
  subject?: string;
  body: string;
  /** The carrier's message id, the provider instance that accepted it and Verity's attempt id. */
  messageId?: string;
  instance?: string;
  attemptId?: string;
  /** Default `delivered` (a message recorded without a status engine). */
  status?: SimMessageStatus;
}

/** A status change as the stream sends it (`event: status`). */
export interface SimStatusChange {
  message: SimMessage;
  /** The provider instance that accepted it (receipts go out under its name). */
  instance: string | null;
  attemptId: string | null;
}

const MAX_LIST_LIMIT = 1000;

/** Email addresses compare case-insensitively in practice; phone numbers are already E.164. */
function normalizeSimAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed;
}

function toSimMessage(row: Omit<SimMessageRow, 'seq'>): SimMessage {
  const message: SimMessage = {
    id: row.message_id,
    channel: row.channel,
    to: row.to_address,
    from: row.from_address,
    body: row.body,
    status: row.status,
    error_code: row.error_code,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated ?? row.date_created),
  };
  if (row.channel === 'email') message.subject = row.subject;
  return message;
}

type InboxEvent = { type: 'message'; message: SimMessage } | { type: 'status'; message: SimMessage };

/**
 * The simulated carrier's mailbox: every message stored per destination with its delivery status,
 * plus live fan-out (new messages and status changes) for streams. One per store: every simulator
 * instance of an app (two simulated carriers to demonstrate failover) shares it (`sharedInbox`).
 */
export class SimulatorInbox {
  private readonly messages: SimMessagesStore;
  private readonly clock: Clock;
  private readonly bus = new InProcessEventBus<InboxEvent>();

  constructor(options: { messages: SimMessagesStore; clock: Clock }) {
    this.messages = options.messages;
    this.clock = options.clock;
  }

  async record(input: SimMessageInput): Promise<SimMessage> {
    const now = this.clock.now();
    const row = {
      channel: input.channel,
      to_address: normalizeSimAddress(input.to),
      from_address: input.from,
      subject: input.channel === 'email' ? (input.subject ?? null) : null,
      body: input.body,
      date_created: now,
      message_id: input.messageId ?? null,
      instance: input.instance ?? null,
      attempt_id: input.attemptId ?? null,
      status: input.status ?? 'delivered',
      error_code: null,
      date_updated: now,
    };
    await this.messages.insert(row);
    const message = toSimMessage(row);
    this.bus.publish(topic(row.to_address), { type: 'message', message });
    return message;
  }

  /**
   * Moves message `id` to `to` (forward only; with `from`, only from that status) and tells the
   * streams. Answers the change, or undefined when the message is unknown or did not move.
   */
  async advance(id: string, change: { to: SimMessageStatus; from?: SimMessageStatus; errorCode?: string | null }): Promise<SimStatusChange | undefined> {
    const row = await this.messages.advance(id, { to: change.to, ...(change.from ? { from: change.from } : {}), errorCode: change.errorCode ?? null, at: this.clock.now() });
    if (!row) return undefined;
    const message = toSimMessage(row);
    this.bus.publish(topic(row.to_address), { type: 'status', message });
    return { message, instance: row.instance, attemptId: row.attempt_id };
  }

  async find(id: string): Promise<SimStatusChange | undefined> {
    const row = await this.messages.byMessageId(id);
    return row && { message: toSimMessage(row), instance: row.instance, attemptId: row.attempt_id };
  }

  /** Newest first. */
  async list(address: string, limit = 50): Promise<SimMessage[]> {
    const bounded = Math.min(Math.max(Math.trunc(limit) || 1, 1), MAX_LIST_LIMIT);
    const rows = await this.messages.listTo(normalizeSimAddress(address), bounded);
    return rows.map(toSimMessage);
  }

  /**
   * Calls `listener` for each message recorded to `address` from now on (and, with `onStatus`, for
   * each status change of a message to it); returns the unsubscribe function.
   */
  subscribe(address: string, listener: (message: SimMessage) => void, onStatus?: (message: SimMessage) => void): () => void {
    return this.bus.subscribe(topic(normalizeSimAddress(address)), (event) => {
      // A broken stream listener must not turn a recorded delivery into a failed one.
      try {
        if (event.type === 'message') listener(event.message);
        else onStatus?.(event.message);
      } catch {
        /* the listener's own problem */
      }
    });
  }
}

function topic(normalizedAddress: string): string {
  return `sim:${normalizedAddress}`;
}

const inboxes = new WeakMap<SimMessagesStore, SimulatorInbox>();

/** The one inbox of a store: every simulator instance built on the same stores shares it (and its live streams). */
export function sharedInbox(messages: SimMessagesStore, clock: Clock): SimulatorInbox {
  let inbox = inboxes.get(messages);
  if (!inbox) {
    inbox = new SimulatorInbox({ messages, clock });
    inboxes.set(messages, inbox);
  }
  return inbox;
}
