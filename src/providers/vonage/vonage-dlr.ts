import type { DeliveryStatus, DeliveryStatusReport } from '../../messaging/delivery-status.ts';
import { isValidVonageSignature, type VonageSignatureMethod } from './vonage-signature.ts';
import { VONAGE_DLR_ERRORS } from './vonage-status.ts';

/**
 * The DLR `status` values (developer.vonage.com/messaging/sms/guides/delivery-receipts) as Verity's:
 * `accepted` (by the downstream carrier) and `buffered` (held by it for a later try) are on their
 * way; `expired` and `failed` never reached the handset; `rejected` was refused before it was sent.
 * `unknown` says nothing new, so it is taken and ignored.
 */
const DLR_STATUSES: Readonly<Record<string, DeliveryStatus | null>> = {
  accepted: 'sent',
  buffered: 'sent',
  delivered: 'delivered',
  expired: 'undelivered',
  failed: 'undelivered',
  rejected: 'failed',
  unknown: null,
};

/** Vonage message ids: 16 hex digits, or the newer UUIDs. */
const MESSAGE_ID = /^[0-9A-Za-z-]{8,64}$/;
const ERROR_CODE = /^[0-9]{1,4}$/;
const PRICE = /^\d+(\.\d+)?$/;
/** `message-timestamp`: when Vonage got the receipt, UTC, `yyyy-MM-dd HH:mm:ss`. */
const MESSAGE_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** How long a signed DLR's `timestamp` may be from Verity's clock either way. */
export const DLR_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

export type VonageDlr =
  | { kind: 'report'; report: Omit<DeliveryStatusReport, 'provider'> }
  | { kind: 'ignored'; status: string }
  | { kind: 'malformed'; problem: string };

export type DlrAuthenticity = { ok: true } | { ok: false; why: 'missing' | 'invalid' | 'stale' };

/**
 * Whether a DLR is Vonage's: `sig` made with the signature secret over every other parameter, and
 * `timestamp` (Unix seconds, part of what is signed) within five minutes of `now` (ms), so a captured
 * receipt cannot be replayed later.
 */
export function authenticateDlr(params: Readonly<Record<string, string>>, secret: string, method: VonageSignatureMethod, now: number): DlrAuthenticity {
  if (params['sig'] === undefined || params['sig'] === '') return { ok: false, why: 'missing' };
  if (!isValidVonageSignature(params, secret, method)) return { ok: false, why: 'invalid' };
  const timestamp = Number(params['timestamp']);
  if (!/^\d{1,12}$/.test(params['timestamp'] ?? '') || Math.abs(now - timestamp * 1000) > DLR_TIMESTAMP_TOLERANCE_MS) return { ok: false, why: 'stale' };
  return { ok: true };
}

/**
 * Reads a DLR (one per part of a message): `messageId` (the part's id), `status`, `err-code` and
 * `message-timestamp`. The report names the part's id; `client-ref` (the attempt id
 * Verity sent) is not needed to find it.
 *
 * @example
 * readVonageDlr({ messageId: '0A0000001234567B', status: 'failed', 'err-code': '3', … });
 * // → { kind: 'report', report: { providerMessageId: '0A0000001234567B', status: 'undelivered', errorCode: '3', errorMessage: 'Absent Subscriber - Permanent' } }
 */
export function readVonageDlr(params: Readonly<Record<string, string>>): VonageDlr {
  const messageId = params['messageId'];
  if (messageId === undefined || !MESSAGE_ID.test(messageId)) return { kind: 'malformed', problem: 'messageId is missing or not a Vonage message id' };
  const status = params['status'];
  if (status === undefined || status === '') return { kind: 'malformed', problem: 'status is missing' };
  const errorCode = params['err-code'];
  if (errorCode !== undefined && errorCode !== '' && !ERROR_CODE.test(errorCode)) return { kind: 'malformed', problem: 'err-code is not a number' };
  const price = params['price'];
  if (price !== undefined && price !== '' && !PRICE.test(price)) return { kind: 'malformed', problem: 'price is not a decimal' };
  const mapped = DLR_STATUSES[status];
  if (mapped === undefined) return { kind: 'malformed', problem: 'status is not a DLR status' };
  if (mapped === null) return { kind: 'ignored', status };
  const at = messageTime(params['message-timestamp']);
  // err-code 0 is "Delivered": no error.
  const error = errorCode !== undefined && errorCode !== '' && errorCode !== '0' ? { errorCode, errorMessage: VONAGE_DLR_ERRORS[errorCode] ?? 'Unknown error code' } : {};
  return {
    kind: 'report',
    report: {
      providerMessageId: messageId,
      status: mapped,
      ...error,
      // The DLR's `price` is its part's; the send's answer already gave the whole message's (DeliveryReceipt.price).
      ...(at !== undefined ? { at } : {}),
    },
  };
}

function messageTime(text: string | undefined): number | undefined {
  const m = MESSAGE_TIMESTAMP.exec(text ?? '');
  if (!m) return undefined;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(at) ? undefined : at;
}
