import type { HostedFactor } from '../hosted-factor.ts';
import { pushHubCard } from './push-hub-card.ts';
import { pushForm } from './push-card.ts';

/** "Approve on your phone": a push challenge to a verified push factor, amr ["swk"]. Flow: push-flow.ts. */
export const PUSH: HostedFactor = {
  id: 'push',
  serves: ['push'],
  amr: ['swk'],
  chooser: {
    card: (page, option, index) => (option.kind === 'push' ? pushForm(page, option, index) : undefined),
    order: 0,
    factorType: 'push',
    optionFor: (_listing, factor) => ({ kind: 'push', factorSid: factor.sid, name: factor.friendly_name }),
  },
  enrollment: {
    card: pushHubCard,
    cardOrder: 20,
    label: { factorType: 'push', message: 'pushTitle' },
    offer: ({ allowed }) => ({ push: allowed.has('push') }),
  },
};
