import type { FactorOption } from '../../handoff/factor-options.ts';
import { translator } from '../../i18n/translator.ts';
import type { SafeHtml } from '../../pages/html.ts';
import { buttonCard, factorField, type ChooserPage } from '../../hosted/handoff-pages.ts';

/** The chooser's push card: "Approve on your phone" for one push device. */
export function pushForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'push' }>, index: number): SafeHtml {
  const t = translator(page.locale, 'handoff');
  return buttonCard(page, { id: `push-${index}`, title: t('pushTitle'), hint: t('pushHint', { name: option.name }), action: '/handoff/push', fields: factorField(option.factorSid), button: t('pushButton') });
}
