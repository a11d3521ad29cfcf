import { constantTimeEqual, keyedDigest } from '../../crypto/digest.ts';
import type { DeliveryStatus, DeliveryStatusReport } from '../../messaging/delivery-status.ts';

/**
 * Kannel's delivery reports. Kannel calls the `dlr-url` Verity gave with each sendsms, after
 * replacing its escapes (`%d` the report type, `%A` the SMSC's answer, `%T` the time); it cannot
 * sign the call. So the URL Verity gives carries the attempt id and a token, an HMAC of the attempt
 * id under a key derived from the master key for this instance: only a holder of that URL (Kannel)
 * can report on that attempt, and one URL reports on one attempt only.
 */

/** Report types Verity asks for (sendsms `dlr-mask`): delivered 1, undelivered 2, buffered 4, SMSC ack 8, SMSC reject 16. */
export const KANNEL_DLR_MASK = 31;

/** Attempt ids and instance names go into the URL as they are: no character Kannel or a URL would change. */
const URL_SAFE = /^[A-Za-z0-9_-]{1,64}$/;

/** The path of an instance's dlr-url (`/messaging/<instance>/dlr`), where its route listens. */
export function kannelDlrPath(instance: string): string {
  if (!URL_SAFE.test(instance)) throw new Error(`a Kannel provider instance name must be 1-64 letters, digits, - or _ (got ${JSON.stringify(instance)})`);
  return `/messaging/${instance}/dlr`;
}

/** The dlr-url token of an attempt: base64url HMAC-SHA256 (256 bits) of the attempt id under the instance's callback key. */
export function kannelDlrToken(key: Buffer, attemptId: string): string {
  return keyedDigest(key, 'kannel-dlr', attemptId).toString('base64url');
}

/** Whether `token` is the attempt's token (constant time). */
export function isKannelDlrToken(key: Buffer, attemptId: string, token: string): boolean {
  return constantTimeEqual(Buffer.from(token), Buffer.from(kannelDlrToken(key, attemptId)));
}

export function isUrlSafeId(id: string): boolean {
  return URL_SAFE.test(id);
}

/**
 * The dlr-url of one attempt. Kannel fills in `type=%d`, `answer=%A`, `ts=%T` and `smsc=%i`
 * (URL-encoded) when it calls it; the attempt id and the token are Verity's and contain no `%`.
 */
export function kannelDlrUrl(publicUrl: string, instance: string, key: Buffer, attemptId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${kannelDlrPath(instance)}?attempt=${attemptId}&token=${kannelDlrToken(key, attemptId)}&type=%d&answer=%A&ts=%T&smsc=%i`;
}

/** One call of the dlr-url, as the route parsed it. */
export interface KannelDlr {
  attempt: string;
  /** `%d`: one report type bit (Kannel ≥ 1.5 adds 0x20 expired and 0x40 unknown to the failure bit 2). */
  type: number;
  /** `%A`: `ACK/`, `NACK/0x…/<reason>`, or the SMSC's receipt text (`id:… stat:UNDELIV err:011 text:…`). */
  answer?: string | undefined;
  /** `%T`: Unix seconds of the report. */
  ts?: number | undefined;
}

/** The status a report type means, by its bit; undefined when it has none Verity asked for. */
function statusOf(type: number): DeliveryStatus | undefined {
  if (type & 0x01) return 'delivered';
  // The handset could not be reached (or the message expired): the carrier had it, the phone did not.
  if (type & 0x02) return 'undelivered';
  // The SMSC refused the submit: it never went out.
  if (type & 0x10) return 'failed';
  // The SMSC accepted it (8), or holds it on the way (4: ENROUTE/ACCEPTD/BUFFRED receipts).
  if (type & 0x0c) return 'sent';
  return undefined;
}

/** The carrier's error code and words from `%A`, never the message text a receipt may quote after `text:`. */
function errorOf(answer: string | undefined, status: DeliveryStatus): Pick<DeliveryStatusReport, 'errorCode' | 'errorMessage'> {
  if (!answer || status === 'delivered' || status === 'sent') return {};
  const nack = /^NACK\/(0x[0-9a-fA-F]{1,8})?\/?([^\n]{0,120})/.exec(answer);
  if (nack) return { ...(nack[1] ? { errorCode: nack[1].toLowerCase() } : {}), ...(nack[2] ? { errorMessage: nack[2].trim() } : {}) };
  const receipt = answer.split(/\btext:/i)[0] ?? '';
  const err = /\berr:([0-9A-Za-z]{1,10})/.exec(receipt)?.[1];
  const stat = /\bstat:([A-Za-z]{1,10})/.exec(receipt)?.[1];
  return { ...(err ? { errorCode: err } : {}), ...(stat ? { errorMessage: stat.toUpperCase() } : {}) };
}

/** The delivery-status report one dlr-url call makes, or undefined for a report type Verity does not know. */
export function kannelDlrReport(instance: string, dlr: KannelDlr): DeliveryStatusReport | undefined {
  const status = statusOf(dlr.type);
  if (!status) return undefined;
  return {
    provider: instance,
    attemptId: dlr.attempt,
    status,
    ...errorOf(dlr.answer, status),
    ...(dlr.ts !== undefined && dlr.ts > 0 ? { at: dlr.ts * 1000 } : {}),
  };
}
