import type { FactorOption } from '../../handoff/factor-options.ts';
import { translator } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { describedBy, fieldError, type ChooserPage } from '../../hosted/handoff-pages.ts';

/** The chooser's TOTP card: the code of one authenticator app (its input gets focus and the error when the message is about it). */
export function totpForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'totp' }>, index: number, autofocus: boolean): SafeHtml {
  const id = `totp-${index}`;
  const invalid = page.failed === option.factorSid && page.message !== undefined;
  const t = translator(page.locale, 'handoff');
  return html`<section class="card" aria-labelledby="${id}-title">
<h2 id="${id}-title">${t('totpTitle')}</h2>
<p class="hint" id="${id}-hint">${t('totpHint', { name: option.name })}</p>
<form method="post" action="/handoff/totp">
<input type="hidden" name="session" value="${page.session}">
<input type="hidden" name="factor" value="${option.factorSid}">
<label for="${id}">${t('codeLabel')}</label>
${fieldError(id, invalid ? page.message : undefined)}<input type="text" class="code-input" id="${id}" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="10" required${describedBy(id, `${id}-hint`, invalid)}${autofocus ? html` autofocus` : ''}>
<button type="submit">${t('verify')}</button>
</form>
</section>`;
}
