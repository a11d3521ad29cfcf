import type { AppContext } from '../../context.ts';
import { createChallenge } from '../../factors/challenges.ts';
import type { HandoffSession } from '../../handoff/handoff-session.ts';
import type { EntityRow } from '../../store/schema.ts';
import type { HostedFactor } from '../hosted-factor.ts';
import { totpHubCard } from './totp-hub-card.ts';
import { totpForm } from './totp-card.ts';

/**
 * Opens one challenge (for the session's lifetime) per verified TOTP factor, at most 5, so the
 * challenge's attempt limit, the entity's lock-out and the single use of a time step all apply.
 */
async function openTotpChallenges(ctx: AppContext, session: HandoffSession, entity: EntityRow): Promise<void> {
  const service = await ctx.stores.services.find(session.accountSid, session.request.serviceSid);
  const factors = service ? await ctx.stores.factors.list(entity.sid, 50, 0) : [];
  for (const factor of factors.filter((f) => f.factor_type === 'totp' && f.status === 'verified').slice(0, 5)) {
    const challenge = await createChallenge(ctx, service as NonNullable<typeof service>, entity, {
      factorSid: factor.sid,
      expirationDate: new Date(session.expiresAt).toISOString(),
      message: 'Sign-in hand-off',
    });
    session.challenges[factor.sid] = challenge.sid;
  }
}

/** A TOTP code for one of the challenges the session opened (startHostedHandoff), amr ["otp"]. Flow: totp-flow.ts. */
export const TOTP: HostedFactor = {
  id: 'totp',
  serves: ['totp'],
  amr: ['otp'],
  chooser: {
    card: (page, option, index, focus) => (option.kind === 'totp' ? totpForm(page, option, index, focus === option.factorSid) : undefined),
    fieldOf: (option) => (option.kind === 'totp' ? option.factorSid : undefined),
    order: 0,
    openSession: openTotpChallenges,
    factorType: 'totp',
    // A factor without a challenge in this session (more than 5 of them) is not offered.
    optionFor: ({ session }, factor) => (session.challenges[factor.sid] ? { kind: 'totp', factorSid: factor.sid, name: factor.friendly_name } : undefined),
  },
  enrollment: {
    card: totpHubCard,
    cardOrder: 10,
    label: { factorType: 'totp', message: 'totpTitle' },
    offer: ({ allowed }) => ({ totp: allowed.has('totp') }),
  },
};
