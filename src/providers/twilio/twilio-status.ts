import type { DeliveryStatus, DeliveryStatusReport } from '../../messaging/delivery-status.ts';
import type { TwilioParams } from './twilio-signature.ts';

/**
 * Twilio's MessageStatus values (twilio.com/docs/messaging/api/message-resource#message-status-values)
 * as Verity's delivery statuses. `read` (WhatsApp, RCS) is a delivered message the user opened;
 * `canceled` is a scheduled message that was never sent. Inbound statuses (`receiving`, `received`)
 * and any status Twilio adds later are not in the table: they are taken and ignored.
 */
const MESSAGE_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * The final CallStatus values of a call that speaks a message (its StatusCallback reports only the
 * end): answered and spoken, not answered, or not placed at all.
 */
const CALL_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  completed: 'delivered',
  busy: 'undelivered',
  'no-answer': 'undelivered',
  canceled: 'undelivered',
  failed: 'failed',
};

/** What a status callback says: a report, a status Verity does not track, or a body that is not a status callback. */
export type TwilioStatusCallback =
  | { kind: 'report'; report: Omit<DeliveryStatusReport, 'provider'> }
  | { kind: 'ignored'; status: string }
  | { kind: 'malformed'; problem: string };

const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/;
const CALL_SID = /^CA[0-9a-f]{32}$/;
/** Twilio's error codes are 5-digit numbers (30003 Unreachable destination handset). */
const ERROR_CODE = /^[0-9]{1,6}$/;

/**
 * Reads a Messages or Calls StatusCallback (form parameters, already authenticated): MessageSid +
 * MessageStatus (+ ErrorCode) for an SMS, CallSid + CallStatus for a call that speaks the message.
 *
 * @example
 * readTwilioStatus({ MessageSid: 'SM…', MessageStatus: 'undelivered', ErrorCode: '30003' });
 * // → { kind: 'report', report: { providerMessageId: 'SM…', status: 'undelivered', errorCode: '30003' } }
 */
export function readTwilioStatus(params: TwilioParams): TwilioStatusCallback {
  const messageSid = single(params, 'MessageSid');
  const callSid = single(params, 'CallSid');
  if (messageSid !== undefined) {
    if (!MESSAGE_SID.test(messageSid)) return { kind: 'malformed', problem: 'MessageSid is not a message SID' };
    const status = single(params, 'MessageStatus');
    if (status === undefined || status === '') return { kind: 'malformed', problem: 'MessageStatus is missing' };
    const errorCode = single(params, 'ErrorCode');
    if (errorCode !== undefined && errorCode !== '' && !ERROR_CODE.test(errorCode)) return { kind: 'malformed', problem: 'ErrorCode is not a Twilio error code' };
    const mapped = MESSAGE_STATUSES[status];
    if (mapped === undefined) return { kind: 'ignored', status };
    // Twilio sends ErrorCode on undelivered and failed messages only; its text is in Twilio's error dictionary.
    return { kind: 'report', report: { providerMessageId: messageSid, status: mapped, ...(errorCode ? { errorCode } : {}) } };
  }
  if (callSid !== undefined) {
    if (!CALL_SID.test(callSid)) return { kind: 'malformed', problem: 'CallSid is not a call SID' };
    const status = single(params, 'CallStatus');
    if (status === undefined || status === '') return { kind: 'malformed', problem: 'CallStatus is missing' };
    const mapped = CALL_STATUSES[status];
    if (mapped === undefined) return { kind: 'ignored', status };
    return { kind: 'report', report: { providerMessageId: callSid, status: mapped, ...(mapped !== 'delivered' ? { errorMessage: status } : {}) } };
  }
  return { kind: 'malformed', problem: 'neither MessageSid nor CallSid is given' };
}

/** One form parameter; a repeated one is not a status callback's. */
function single(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}
