import { DomainError } from '../errors/domain-error.ts';
import { invalidParameter } from '../errors/verity-error.ts';
import { describeRange, type OutboundAddressPolicy } from '../net/outbound-address-policy.ts';
import { OutboundTargetError, resolveOutboundTarget, type ResolveHost } from '../net/resolve-outbound-target.ts';

export interface WebhookTargetCheck {
  policy: OutboundAddressPolicy;
  resolveHost: ResolveHost;
  /** How long registration waits for DNS; an answer later than this does not block the registration. */
  lookupTimeoutMs?: number;
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 3_000;

/**
 * Checks a webhook URL when it is registered and returns it normalised: an absolute http(s) URL
 * without credentials (60200), whose host is not, and does not resolve to, an address the policy
 * refuses (64501). A name that does not resolve now is accepted: the receiver may not be deployed
 * yet, and every delivery checks the address it connects to anyway (webhook-dispatcher.ts).
 */
export async function checkWebhookUrl(value: string, check: WebhookTargetCheck): Promise<string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter('WebhookUrl', 'expected an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidParameter('WebhookUrl', 'expected an absolute http(s) URL');
  if (url.username || url.password) throw invalidParameter('WebhookUrl', 'must not contain credentials; verify the Verity-Signature header instead');
  // A receiver never sees the fragment, yet X-Twilio-Signature covers the URL as configured: with one, no delivery would validate.
  if (value.includes('#')) throw invalidParameter('WebhookUrl', 'must not contain a #fragment: receivers never see it, so signatures over the URL would not validate');
  try {
    await withTimeout(resolveOutboundTarget(url.hostname, check.policy, check.resolveHost), check.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof OutboundTargetError && err.reason === 'refused') {
      throw new DomainError('webhook_url_not_allowed', `Invalid parameter: WebhookUrl (its host is or resolves to ${describeRange(err.range ?? '')}; Verity calls only public addresses)`, {
        details: { range: err.range },
      });
    }
    // Lookup failures and slow DNS: accepted here, checked again at every delivery.
  }
  return url.toString();
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
