import { setTimeout as delay } from 'node:timers/promises';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from './provider.ts';
import { redeemSendPass, type SendPass } from '../send-gate/send-gate.ts';

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts?: number;
  /** Wait before the second try; doubles before each later one. */
  baseDelayMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends through `provider`, retrying only errors the provider marked retryable (those where it
 * certainly did not accept the message), so a retry can never deliver a code twice. `pass` is the
 * send gate's permission for this one message (the only way to obtain one is to pass the gate).
 */
export async function sendWithRetry(pass: SendPass, provider: DeliveryProvider, message: OutboundMessage, options: RetryOptions = {}): Promise<DeliveryReceipt> {
  redeemSendPass(pass, { to: message.to, medium: 'message' });
  const attempts = Math.max(1, Math.trunc(options.attempts ?? 3));
  const baseDelayMs = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  for (let attempt = 1; ; attempt++) {
    try {
      return await provider.send(message);
    } catch (err) {
      const error = asDeliveryError(err, provider.name);
      if (!error.retryable || attempt >= attempts) throw error;
      await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

function asDeliveryError(err: unknown, providerName: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  // An unexpected exception says nothing about whether the message went out, so never retry it.
  // Its text may hold anything (a stack detail, the message body): it stays in `cause` for the
  // server log and never reaches the API response.
  return new DeliveryError(`${providerName} provider failed unexpectedly`, { retryable: false, cause: err });
}
