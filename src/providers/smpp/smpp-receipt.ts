import type { DeliveryStatus } from '../../messaging/delivery-status.ts';

/**
 * Delivery receipts (SMPP 3.4 §2.11, Appendix B): a `deliver_sm` whose esm_class says "SMSC
 * delivery receipt" (bits 2–5 = 0001) or "intermediate delivery notification" (1000). The message id
 * and state come from the TLVs `receipted_message_id` and `message_state` (§5.3.2.12, §5.3.2.35)
 * when the SMSC sends them, else from the de-facto text of Appendix B:
 * `id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:…`.
 */

/** esm_class message-type bits (§5.2.12). */
const MESSAGE_TYPE_MASK = 0x3c;
const SMSC_DELIVERY_RECEIPT = 0x04;
const INTERMEDIATE_NOTIFICATION = 0x20;

/** What Verity reads from a receipt; `status` is undefined for states that say nothing (UNKNOWN). */
export interface ParsedReceipt {
  messageId: string;
  /** The SMSC's word for the state (`DELIVRD`, `UNDELIV`, or the TLV state's name). */
  stat: string;
  status: DeliveryStatus | undefined;
  /** The `err:` field (the SMSC's or network's error code), when not all zeros. */
  errorCode?: string;
}

/** §5.2.28 message_state values and the Appendix B stat words they go with. */
const MESSAGE_STATES: Readonly<Record<number, string>> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/** A stat word as a Verity delivery status: delivered, could not be delivered, or on its way. */
const STATUS_OF_STAT: Readonly<Record<string, DeliveryStatus | undefined>> = {
  DELIVRD: 'delivered',
  UNDELIV: 'undelivered',
  EXPIRED: 'undelivered',
  DELETED: 'undelivered',
  REJECTD: 'undelivered',
  ACCEPTD: 'sent',
  ENROUTE: 'sent',
  UNKNOWN: undefined,
};

/** The fields of a deliver_sm that matter here, as node-smpp decodes them. */
export interface DeliverSmFields {
  esm_class?: unknown;
  receipted_message_id?: unknown;
  message_state?: unknown;
  /** Decoded text (`{ message }`) or raw octets. */
  short_message?: unknown;
  [field: string]: unknown;
}

/** True when the deliver_sm is a receipt (or intermediate notification), not a message from a phone. */
export function isReceipt(pdu: DeliverSmFields): boolean {
  const type = Number(pdu.esm_class ?? 0) & MESSAGE_TYPE_MASK;
  return type === SMSC_DELIVERY_RECEIPT || type === INTERMEDIATE_NOTIFICATION;
}

/** The text of short_message, whichever form node-smpp left it in. */
function shortMessageText(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'message' in value) {
    const message = (value as { message: unknown }).message;
    return Buffer.isBuffer(message) ? message.toString('latin1') : String(message ?? '');
  }
  return '';
}

/** One `name:value` field of the receipt text (names are matched without regard to case). */
function field(text: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i').exec(text)?.[1];
}

/** The receipt in `pdu`, or undefined when it is not one or names no message. */
export function parseReceipt(pdu: DeliverSmFields): ParsedReceipt | undefined {
  if (!isReceipt(pdu)) return undefined;
  const text = shortMessageText(pdu.short_message);
  const tlvId = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id.replace(/\0+$/, '') : '';
  const messageId = tlvId || field(text, 'id') || '';
  if (!messageId) return undefined;
  const tlvState = typeof pdu.message_state === 'number' ? MESSAGE_STATES[pdu.message_state] : undefined;
  const stat = (tlvState ?? field(text, 'stat') ?? 'UNKNOWN').toUpperCase();
  const err = field(text, 'err');
  return {
    messageId,
    stat,
    status: STATUS_OF_STAT[stat],
    ...(err && !/^0+$/.test(err) ? { errorCode: err } : {}),
  };
}

/**
 * How the SMSC writes message ids in receipts compared with submit_sm_resp (Kannel's `msg-id-type`):
 * the same, or hex in receipts and decimal in responses (`hex-to-dec`), or the other way round.
 */
export type ReceiptIdFormat = 'same' | 'hex-to-dec' | 'dec-to-hex';
export const RECEIPT_ID_FORMATS = ['same', 'hex-to-dec', 'dec-to-hex'] as const satisfies readonly ReceiptIdFormat[];

function convert(id: string, from: 16 | 10, to: 16 | 10): string {
  const valid = from === 16 ? /^(0x)?[0-9a-f]+$/i : /^\d+$/;
  if (!valid.test(id)) return id;
  return BigInt(from === 16 && !id.toLowerCase().startsWith('0x') ? `0x${id}` : id).toString(to);
}

/** A submit_sm_resp id in the canonical form receipts are matched in (numbers without leading zeros, lowercase hex). */
export function submitIdKey(id: string, format: ReceiptIdFormat): string {
  if (format === 'hex-to-dec') return convert(id, 10, 10);
  if (format === 'dec-to-hex') return convert(id, 16, 16);
  return id;
}

/** A receipt's id in the same canonical form as submitIdKey's. */
export function receiptIdKey(id: string, format: ReceiptIdFormat): string {
  if (format === 'hex-to-dec') return convert(id, 16, 10);
  if (format === 'dec-to-hex') return convert(id, 10, 16);
  return id;
}
