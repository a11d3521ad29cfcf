import type { FactorOption } from '../../handoff/factor-options.ts';
import { translator } from '../../i18n/translator.ts';
import type { SafeHtml } from '../../pages/html.ts';
import { buttonCard, factorField, type ChooserPage } from '../../hosted/handoff-pages.ts';

/** The chooser's voice card: "Use your voice" for one voiceprint. */
export function voiceprintForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'voiceprint' }>, index: number): SafeHtml {
  const t = translator(page.locale, 'handoff');
  return buttonCard(page, { id: `voiceprint-${index}`, title: t('voiceprintTitle'), hint: t('voiceprintHint', { name: option.name }), action: '/handoff/voiceprint', fields: factorField(option.factorSid), button: t('voiceprintButton') });
}
