import type { FactorOption } from '../../handoff/factor-options.ts';
import { translator } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { callableNumber, callMeForm } from './voiceprint-call-pages.ts';
import { buttonCard, factorField, type ChooserPage } from '../../hosted/handoff-pages.ts';

/** The chooser's voice card: "Use your voice" for one voiceprint. */
export function voiceprintForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'voiceprint' }>, index: number): SafeHtml {
  const t = translator(page.locale, 'handoff');
  const card = { id: `voiceprint-${index}`, title: t('voiceprintTitle'), hint: t('voiceprintHint', { name: option.name }), action: '/handoff/voiceprint', fields: factorField(option.factorSid), button: t('voiceprintButton') };
  // When the request lets Verity call its trusted number: "Call me and I will say my phrase" too (voiceprint-call-flow.ts).
  const masked = callableNumber(page.options);
  if (!masked) return buttonCard(page, card);
  return html`<section class="card" aria-labelledby="${card.id}-title">
<h2 id="${card.id}-title">${card.title}</h2>
<p class="hint">${card.hint}</p>
<form method="post" action="${card.action}">
<input type="hidden" name="session" value="${page.session}">${card.fields}
<button type="submit">${card.button}</button>
</form>
${callMeForm(page.session, option.factorSid, masked, page.locale)}
</section>`;
}
