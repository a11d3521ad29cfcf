import type { HostedFactor } from '../hosted-factor.ts';

/** "Approve on your phone": a push challenge to a verified push factor, amr ["swk"]. Flow: push-flow.ts. */
export const PUSH: HostedFactor = {
  id: 'push',
  serves: ['push'],
  amr: ['swk'],
  chooser: {
    order: 0,
    factorType: 'push',
    optionFor: (_listing, factor) => ({ kind: 'push', factorSid: factor.sid, name: factor.friendly_name }),
  },
  enrollment: {
    label: { factorType: 'push', message: 'pushTitle' },
    offer: ({ allowed }) => ({ push: allowed.has('push') }),
  },
};
