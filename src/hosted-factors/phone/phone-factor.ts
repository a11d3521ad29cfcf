import type { FactorOption } from '../../handoff/factor-options.ts';
import type { ChooserListing, HostedFactor } from '../hosted-factor.ts';
import { phoneHubCard } from './phone-hub-card.ts';
import { maskPhone } from '../hosted-flow.ts';
import { phoneForm } from './phone-card.ts';

/** A code to the application's trusted number needs no factor enrolled here: listed even for a user unknown here. */
function phoneOptions({ ctx, request, allowed }: ChooserListing): FactorOption[] {
  const phone = request.phone;
  if (!phone) return [];
  const options: FactorOption[] = (['sms', 'call'] as const).filter((c) => allowed.has(c)).map((channel) => ({ kind: 'phone', channel, masked: maskPhone(phone) }));
  if (allowed.has('call')) options.push({ kind: 'phone_call', mode: 'press_one', masked: maskPhone(phone) });
  if (allowed.has('flashcall') && ctx.config.voice.flashCall) options.push({ kind: 'phone_call', mode: 'flashcall', masked: maskPhone(phone) });
  return options;
}

/**
 * The phone the application vouches for (`phone` claim): a code by SMS or call (phone-code-flow.ts),
 * "approve with a call" or a flash call (call-flow.ts); amr ["sms"] or ["tel"].
 */
export const PHONE: HostedFactor = {
  id: 'phone',
  serves: ['sms', 'call', 'flashcall'],
  amr: ['sms', 'tel'],
  chooser: { order: 20, options: phoneOptions, card: (page, option) => (option.kind === 'phone' || option.kind === 'phone_call' ? phoneForm(page, option) : undefined) },
  enrollment: {
    card: phoneHubCard,
    cardOrder: 50,
    fieldsOf: (page) => (page.offers.phone.length > 0 ? ['phone_number'] : []),
    offer: ({ allowed }) => ({ phone: (['sms', 'call'] as const).filter((c) => allowed.has(c)) }),
  },
};
