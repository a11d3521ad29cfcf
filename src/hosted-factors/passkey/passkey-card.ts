import type { FactorOption } from '../../handoff/factor-options.ts';
import type { PageLocale } from '../../i18n/locales.ts';
import { translator } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { type ChooserPage } from '../../hosted/handoff-pages.ts';
import { SIMPLEWEBAUTHN_BROWSER_PATH } from './passkey-pages.ts';

/** The chooser card's script (assets/handoff-passkey-card.js): the ceremony starts from the card's own button. */
const PASSKEY_CARD_JS_PATH = '/handoff/assets/handoff-passkey-card.js';

/**
 * The passkey card (the passkey factor's own words, `passkey.*`): one button for a single passkey,
 * one per passkey (by its name) otherwise. Each button names its factor, so the script knows which
 * one was pressed: with script, the click asks for the options and starts WebAuthn right here (one
 * click); without, the form posts to the passkey page as before.
 */
export function passkeyCard(page: Pick<ChooserPage, 'session'> & { locale?: PageLocale | undefined }, option: Extract<FactorOption, { kind: 'passkey' }>): SafeHtml {
  const t = translator(page.locale, 'passkey');
  const [only] = option.passkeys;
  const buttons =
    option.passkeys.length === 1 && only
      ? html`<button type="submit" name="factor" value="${only.factorSid}">${t('cardButton')}</button>`
      : option.passkeys.map((p, i) => html`${i > 0 ? '\n' : ''}<button type="submit" name="factor" value="${p.factorSid}">${t('cardButtonNamed', { name: p.name })}</button>`);
  return html`<section class="card" aria-labelledby="passkey-title">
<h2 id="passkey-title">${t('cardTitle')}</h2>
<p class="hint">${t('cardHint')}</p>
<p class="hint passkey-card-status" id="passkey-card-status" role="status" aria-live="polite"></p>
<form method="post" action="/handoff/passkey" class="passkey-choices" id="passkey-card" data-options="/handoff/passkey/options" data-verify="/handoff/passkey/verify" data-msg-starting="${t('cardStarting')}" data-msg-checking="${t('scriptChecking')}">
<input type="hidden" name="session" value="${page.session}">
${buttons}
</form>
<script src="${SIMPLEWEBAUTHN_BROWSER_PATH}" defer></script>
<script src="${PASSKEY_CARD_JS_PATH}" defer></script>
</section>`;
}
