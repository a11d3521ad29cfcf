import { recoveryCodeSummary } from '../../factors/recovery/recovery-codes.ts';
import type { FactorOption } from '../../handoff/factor-options.ts';
import type { ChooserListing, HostedFactor } from '../hosted-factor.ts';
import { recoveryCodeHubCard } from './recovery-code-hub-card.ts';
import { recoveryForm } from './recovery-code-card.ts';

async function recoveryOptions({ ctx, entity, allowed }: ChooserListing): Promise<FactorOption[]> {
  if (!entity || !allowed.has('recovery_code')) return [];
  const { remaining } = await recoveryCodeSummary(ctx, entity);
  return remaining > 0 ? [{ kind: 'recovery_code', remaining }] : [];
}

/** A single-use recovery code, amr ["otp"]. Flow: recovery-code-flow.ts. */
export const RECOVERY_CODE: HostedFactor = {
  id: 'recovery_code',
  serves: ['recovery_code'],
  amr: ['otp'],
  chooser: {
    order: 30,
    options: recoveryOptions,
    card: (page, option, _index, focus) => (option.kind === 'recovery_code' ? recoveryForm(page, option, focus === 'recovery_code') : undefined),
    fieldOf: (option) => (option.kind === 'recovery_code' ? 'recovery_code' : undefined),
  },
  enrollment: {
    card: recoveryCodeHubCard,
    cardOrder: 60,
    offer: ({ allowed }) => ({ recoveryCodes: allowed.has('recovery_code') }),
  },
};
