import type { FactorOption } from '../handoff/factor-options.ts';
import type { HandoffFactor } from '../handoff/handoff-claims.ts';

/*
 * The chooser's order (issue 17): the method last used in this browser first (last-method.ts),
 * then the application's `factor_order` if its request gave one, else the strongest and quickest
 * first: passkey, push, TOTP, voice, phone (text, call), email, recovery code.
 */

/** Verity's own order, by the request's factor names. */
const DEFAULT_METHOD_ORDER: readonly HandoffFactor[] = ['passkeys', 'push', 'totp', 'voiceprint', 'sms', 'call', 'flashcall', 'email', 'recovery_code'];

/** The request `factors` name of the method an option offers (what `factor_order` and the last-method cookie name). */
export function methodOf(option: FactorOption): HandoffFactor | undefined {
  switch (option.kind) {
    case 'passkey':
      return 'passkeys';
    case 'phone':
      return option.channel;
    case 'phone_call':
      return option.mode === 'press_one' ? 'call' : 'flashcall';
    case 'unavailable':
      return (DEFAULT_METHOD_ORDER as readonly string[]).includes(option.type) ? (option.type as HandoffFactor) : undefined;
    default:
      return option.kind;
  }
}

/**
 * The options in the application's order (methods it did not list after those it did), else in
 * Verity's; options of one method keep their order (a user's two authenticator apps).
 */
export function orderOptions(options: readonly FactorOption[], appOrder?: readonly HandoffFactor[]): FactorOption[] {
  const rank = (option: FactorOption): number => {
    const method = methodOf(option);
    const own = method === undefined ? DEFAULT_METHOD_ORDER.length : DEFAULT_METHOD_ORDER.indexOf(method);
    const app = method === undefined || !appOrder ? -1 : appOrder.indexOf(method);
    return app >= 0 ? app : (appOrder?.length ?? 0) + own;
  };
  return options
    .map((option, index) => ({ option, index, rank: rank(option) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((x) => x.option);
}

/** The usable options with the last-used method's first option moved to the front (if it is offered). */
export function withLastUsedFirst(options: readonly FactorOption[], lastUsed: HandoffFactor | undefined): { options: FactorOption[]; lastUsedFirst: boolean } {
  const at = lastUsed === undefined ? -1 : options.findIndex((o) => methodOf(o) === lastUsed);
  if (at < 0) return { options: [...options], lastUsedFirst: false };
  return { options: [options[at] as FactorOption, ...options.slice(0, at), ...options.slice(at + 1)], lastUsedFirst: true };
}
