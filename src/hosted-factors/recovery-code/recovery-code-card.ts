import type { FactorOption } from '../../handoff/factor-options.ts';
import { translator } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { describedBy, fieldError, type ChooserPage } from '../../hosted/handoff-pages.ts';

/** The chooser's recovery code card: one code of the set (how many are left). */
export function recoveryForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'recovery_code' }>, autofocus: boolean): SafeHtml {
  const invalid = page.failed === 'recovery_code' && page.message !== undefined;
  const t = translator(page.locale, 'handoff');
  return html`<section class="card" aria-labelledby="recovery-title">
<h2 id="recovery-title">${t('recoveryTitle')}</h2>
<p class="hint" id="recovery-hint">${t('recoveryHint', { remaining: option.remaining })}</p>
<form method="post" action="/handoff/recovery-code">
<input type="hidden" name="session" value="${page.session}">
<label for="recovery-code">${t('recoveryTitle')}</label>
${fieldError('recovery-code', invalid ? page.message : undefined)}<input type="text" id="recovery-code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" placeholder="ABCD-EFGH-JKMN" required${describedBy('recovery-code', 'recovery-hint', invalid)}${autofocus ? html` autofocus` : ''}>
<button type="submit">${t('recoveryButton')}</button>
</form>
</section>`;
}
