import type { HostedFactor } from '../hosted-factor.ts';
import { voiceprintHubCard } from './voiceprint-hub-card.ts';
import { voiceprintForm } from './voiceprint-card.ts';

/** "Use your voice": a voiceprint challenge recorded in the browser. Flow: voiceprint-flow.ts. */
export const VOICEPRINT: HostedFactor = {
  id: 'voiceprint',
  serves: ['voiceprint'],
  // 'tel' when the voice was heard on a call Verity placed (voiceprint-call-flow.ts).
  amr: ['vbm', 'tel'],
  chooser: {
    card: (page, option, index) => (option.kind === 'voiceprint' ? voiceprintForm(page, option, index) : undefined),
    order: 0,
    factorType: 'voiceprint',
    // Without a voiceprint engine configured, the user's voice is listed as not available here.
    optionFor: ({ ctx }, factor) =>
      ctx.voiceprints ? { kind: 'voiceprint', factorSid: factor.sid, name: factor.friendly_name } : { kind: 'unavailable', type: 'voiceprint', name: factor.friendly_name },
  },
  enrollment: {
    card: voiceprintHubCard,
    cardOrder: 40,
    label: { factorType: 'voiceprint', message: 'voiceprintTitle' },
    // One voice per user: a second one would only be a weaker copy of the first. None while voiceprints are off (VERITY_VOICEPRINT).
    offer: ({ ctx, allowed, factors }) => ({ voiceprint: ctx.voiceprints !== undefined && allowed.has('voiceprint') && !factors.some((f) => f.factor_type === 'voiceprint' && f.status === 'verified') }),
  },
};
