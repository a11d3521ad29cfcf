import { describeFetchFailure, fetchNeverConnected } from '../fetch-failure.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import { isGsm7 } from '../smpp/gsm7.ts';
import { encodeSms } from '../smpp/sms-encoding.ts';
import { KANNEL_DLR_MASK, isUrlSafeId } from './kannel-dlr.ts';

export interface KannelProviderOptions {
  /** smsbox's sendsms URL (`http://127.0.0.1:13013/cgi-bin/sendsms`). */
  sendsmsUrl: string;
  username: string;
  password: string;
  /** The smsc-id to send through; Kannel routes when absent. */
  smsc?: string | undefined;
  from: string;
  /** The dlr-url of an attempt (kannelDlrUrl): where Kannel reports what became of it. */
  dlrUrl(attemptId: string): string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** sendsms `coding`: 0 GSM 7-bit, 2 UCS-2 (Kannel's DC_7BIT, DC_UCS2). */
const CODING = { gsm7: '0', ucs2: '2' } as const;

/**
 * What Kannel's sendsms answered, for Verity: accepted (`0: Accepted for delivery`, `3: Queued for
 * later delivery` when the SMSC is down: Kannel stores it and sends it once it is back, so it is
 * Kannel's now), or a DeliveryError. Only `503 Temporal failure, try again later.` (the bearerbox
 * refused it for now) and a 429 prove Kannel did not keep the message; `500 Sending failed.` may
 * come after some parts went out, and 400/403 (bad request, `Authorization failed for sendsms`,
 * `Not routable. Do not try again.`) will not change on a retry.
 */
function refusal(status: number, answer: string): DeliveryError {
  return new DeliveryError(`Kannel sendsms answered HTTP ${status}${answer ? `: ${answer}` : ''}`, { retryable: status === 503 || status === 429 });
}

/**
 * SMS through a Kannel gateway's HTTP sendsms interface (smsbox), so any SMSC Kannel speaks (SMPP,
 * UCP/EMI, CIMD, modems) is reachable. The text goes as UTF-8 with `coding` 0 when every character
 * is in the GSM 7-bit alphabet, else 2 (UCS-2); Kannel splits long texts (`concatenation = true` in
 * its sendsms-user). Every message asks for all report types (`dlr-mask` 31) at its own dlr-url.
 * Kannel answers no message id: the attempt id, carried by the dlr-url, is the receipt's id.
 */
export function createKannelProvider(options: KannelProviderOptions): DeliveryProvider {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  return {
    name: 'kannel',
    receipts: true,
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel !== 'sms') throw new DeliveryError(`the kannel provider does not deliver the ${message.channel} channel`, { retryable: false });
      if (!isUrlSafeId(message.attemptId)) throw new DeliveryError('the attempt id cannot go into a Kannel dlr-url', { retryable: false });
      const coding = isGsm7(message.body) ? 'gsm7' : 'ucs2';
      const url = new URL(options.sendsmsUrl);
      const params: Record<string, string> = {
        username: options.username,
        password: options.password,
        from: options.from,
        to: message.to,
        text: message.body,
        charset: 'UTF-8',
        coding: CODING[coding],
        'dlr-mask': String(KANNEL_DLR_MASK),
        'dlr-url': options.dlrUrl(message.attemptId),
        ...(options.smsc ? { smsc: options.smsc } : {}),
      };
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);

      let response: Response;
      let answer: string;
      try {
        response = await doFetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
        answer = (await response.text()).trim().slice(0, 200);
      } catch (err) {
        // A timeout or a reset after connecting may come after Kannel queued the message.
        throw new DeliveryError(`Kannel sendsms request failed: ${describeFetchFailure(err)}`, { retryable: fetchNeverConnected(err), cause: err });
      }
      if (response.status < 200 || response.status > 299) throw refusal(response.status, answer);
      return {
        providerMessageId: message.attemptId,
        // As Verity counts them; Kannel splits on the same limits (153 septets, 67 UCS-2 units a part).
        parts: encodeSms(message.body, { reference: 0 }).parts.length,
        status: 'queued',
      };
    },
  };
}
