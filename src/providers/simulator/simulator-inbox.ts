import type { Clock } from '../../crypto/clock.ts';
import { EventBus } from '../../events/event-bus.ts';
import type { SimMessageRow } from '../../store/schema.ts';
import type { SimMessagesStore } from '../../store/sim-messages-store.ts';
import type { Channel } from '../provider.ts';
import { isoSeconds } from '../../time/format.ts';

/** A message the simulated carrier "delivered", as the simulator API and its live stream show it. */
export interface SimMessage {
  channel: Channel;
  to: string;
  from: string;
  /** Email only (null when the email had no subject); absent for SMS and calls. */
  subject?: string | null;
  body: string;
  /** ISO 8601 in UTC without milliseconds, e.g. `2026-01-01T00:00:00Z`. */
  date_created: string;
}

export interface SimMessageInput {
  channel: Channel;
  to: string;
  from: string;
  subject?: string;
  body: string;
}

const MAX_LIST_LIMIT = 1000;

/** Email addresses compare case-insensitively in practice; phone numbers are already E.164. */
function normalizeSimAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed;
}

function toSimMessage(row: Omit<SimMessageRow, 'seq'>): SimMessage {
  const message: SimMessage = {
    channel: row.channel,
    to: row.to_address,
    from: row.from_address,
    body: row.body,
    date_created: isoSeconds(row.date_created),
  };
  if (row.channel === 'email') message.subject = row.subject;
  return message;
}

/** The simulated carrier's mailbox: every message stored per destination, plus live fan-out for streams. */
export class SimulatorInbox {
  private readonly messages: SimMessagesStore;
  private readonly clock: Clock;
  private readonly bus = new EventBus<SimMessage>();

  constructor(options: { messages: SimMessagesStore; clock: Clock }) {
    this.messages = options.messages;
    this.clock = options.clock;
  }

  async record(input: SimMessageInput): Promise<SimMessage> {
    const row = {
      channel: input.channel,
      to_address: normalizeSimAddress(input.to),
      from_address: input.from,
      subject: input.channel === 'email' ? (input.subject ?? null) : null,
      body: input.body,
      date_created: this.clock.now(),
    };
    await this.messages.insert(row);
    const message = toSimMessage(row);
    this.bus.publish(topic(row.to_address), message);
    return message;
  }

  /** Newest first. */
  async list(address: string, limit = 50): Promise<SimMessage[]> {
    const bounded = Math.min(Math.max(Math.trunc(limit) || 1, 1), MAX_LIST_LIMIT);
    const rows = await this.messages.listTo(normalizeSimAddress(address), bounded);
    return rows.map(toSimMessage);
  }

  /** Calls `listener` for each message recorded to `address` from now on; returns the unsubscribe function. */
  subscribe(address: string, listener: (message: SimMessage) => void): () => void {
    return this.bus.subscribe(topic(normalizeSimAddress(address)), (message) => {
      // A broken stream listener must not turn a recorded delivery into a failed one.
      try {
        listener(message);
      } catch {
        /* the listener's own problem */
      }
    });
  }
}

function topic(normalizedAddress: string): string {
  return `sim:${normalizedAddress}`;
}
