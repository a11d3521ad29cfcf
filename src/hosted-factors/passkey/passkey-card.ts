import type { FactorOption } from '../../handoff/factor-options.ts';
import type { PageLocale } from '../../i18n/locales.ts';
import { translator } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { type ChooserPage } from '../../hosted/handoff-pages.ts';

/** The passkey card (the passkey factor's own words, `passkey.*`): one button for a single passkey, one per passkey (by its name) otherwise. */
export function passkeyCard(page: Pick<ChooserPage, 'session'> & { locale?: PageLocale | undefined }, option: Extract<FactorOption, { kind: 'passkey' }>): SafeHtml {
  const t = translator(page.locale, 'passkey');
  const [only] = option.passkeys;
  const buttons =
    option.passkeys.length === 1 && only
      ? html`<input type="hidden" name="factor" value="${only.factorSid}">
<button type="submit">${t('cardButton')}</button>`
      : option.passkeys.map((p, i) => html`${i > 0 ? '\n' : ''}<button type="submit" name="factor" value="${p.factorSid}">${t('cardButtonNamed', { name: p.name })}</button>`);
  return html`<section class="card" aria-labelledby="passkey-title">
<h2 id="passkey-title">${t('cardTitle')}</h2>
<p class="hint">${t('cardHint')}</p>
<form method="post" action="/handoff/passkey" class="passkey-choices">
<input type="hidden" name="session" value="${page.session}">
${buttons}
</form>
</section>`;
}
