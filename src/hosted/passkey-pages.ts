import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { FactorOption } from '../handoff/hosted-handoff.ts';
import { anotherWayForm, escapeHtml, layout, type ChooserPage } from './handoff-pages.ts';
import { translator, type MessageParams, type PageLocale } from './i18n.ts';
import { PASSKEY_MESSAGES, type PasskeyMessageKey } from './passkey-messages.ts';

/** SimpleWebAuthn's browser bundle (UMD, defines `SimpleWebAuthnBrowser`), served from this server. */
export const SIMPLEWEBAUTHN_BROWSER_PATH = '/handoff/assets/vendor/simplewebauthn-browser.js';
/** The passkey pages' own script (src/hosted/assets/handoff-passkey.js). */
export const HANDOFF_PASSKEY_JS_PATH = '/handoff/assets/handoff-passkey.js';

/** The chooser's card: one button for a single passkey, one per passkey (by its name) otherwise. */
export function passkeyCard(page: Pick<ChooserPage, 'session'> & { locale?: PageLocale | undefined }, option: Extract<FactorOption, { kind: 'passkey' }>): string {
  const t = translator(PASSKEY_MESSAGES, page.locale);
  const [only] = option.passkeys;
  const buttons =
    option.passkeys.length === 1 && only
      ? `<input type="hidden" name="factor" value="${escapeHtml(only.factorSid)}">
<button type="submit">${escapeHtml(t('cardButton'))}</button>`
      : option.passkeys.map((p) => `<button type="submit" name="factor" value="${escapeHtml(p.factorSid)}">${escapeHtml(t('cardButtonNamed', { name: p.name }))}</button>`).join('\n');
  return `<section class="card" aria-labelledby="passkey-title">
<h2 id="passkey-title">${escapeHtml(t('cardTitle'))}</h2>
<p class="hint">${escapeHtml(t('cardHint'))}</p>
<form method="post" action="/handoff/passkey" class="passkey-choices">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
${buttons}
</form>
</section>`;
}

/** What both ceremonies' pages share: the message, the script's form and status, and the no-script notice. */
interface CeremonyPage {
  appName: string;
  session: string;
  /** The way back to the application: the session's return path (session-links.ts), a signed error result. */
  leave: string;
  message?: string | undefined;
  /** The page language (the session's); English when absent. */
  locale?: PageLocale | undefined;
}

const alertOf = (message: string | undefined): string => (message ? `<div class="alert" id="form-error" role="alert">${escapeHtml(message)}</div>` : '');

type Translate = (key: PasskeyMessageKey, params?: MessageParams) => string;

/** The script's texts, rendered in the page's language as data-msg-* attributes (handoff-passkey.js keeps English fallbacks). */
const scriptMessages = (t: Translate): string =>
  (
    [
      ['unsupported', 'scriptUnsupported'],
      ['damaged', 'scriptDamaged'],
      ['not-loaded', 'scriptNotLoaded'],
      ['prompt-create', 'scriptPromptCreate'],
      ['prompt-use', 'scriptPromptUse'],
      ['checking', 'scriptChecking'],
      ['unfinished', 'scriptUnfinished'],
    ] as const
  )
    .map(([name, key]) => ` data-msg-${name}="${escapeHtml(t(key))}"`)
    .join('');

/**
 * The ceremony's form: the WebAuthn options in a data attribute (read by handoff-passkey.js, never
 * inline script), hidden fields for the credential's JSON or the browser's error, and a button
 * that stays hidden until the script runs. Without script, a notice says why nothing happens.
 */
function ceremonyForm(t: Translate, action: string, ceremony: 'authenticate' | 'register', options: unknown, session: string, button: string, extraFields = ''): string {
  return `<noscript><div class="alert" role="alert">${escapeHtml(t('noScript'))}</div></noscript>
<p class="hint" id="passkey-status" role="status" aria-live="polite"></p>
<form method="post" action="${action}" id="passkey-form" data-ceremony="${ceremony}" data-options="${escapeHtml(JSON.stringify(options))}"${scriptMessages(t)}>
<input type="hidden" name="session" value="${escapeHtml(session)}">${extraFields}
<input type="hidden" name="response" value="">
<input type="hidden" name="error" value="">
<button type="submit" id="passkey-start" hidden${ceremony === 'authenticate' ? ' autofocus' : ''}>${escapeHtml(button)}</button>
</form>`;
}

const scripts = `<script src="${SIMPLEWEBAUTHN_BROWSER_PATH}" defer></script>
<script src="${HANDOFF_PASSKEY_JS_PATH}" defer></script>`;

export interface PasskeySignInPage extends CeremonyPage {
  factorSid: string;
  /** The passkey factor's friendly name. */
  name: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** The passkey prompt of a sign-in: one button that asks the browser for the assertion. */
export function renderPasskeySignIn(page: PasskeySignInPage): string {
  const t = translator(PASSKEY_MESSAGES, page.locale);
  return layout(
    t('signInTitle'),
    `<h1>${escapeHtml(t('signInTitle'))}</h1>
<p class="lead">${escapeHtml(t('signInLead', { app: page.appName, name: page.name }))}</p>
${alertOf(page.message)}
<section class="card">
${ceremonyForm(t, '/handoff/passkey/verify', 'authenticate', page.options, page.session, t('signInButton'), `\n<input type="hidden" name="factor" value="${escapeHtml(page.factorSid)}">`)}
</section>
${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${escapeHtml(page.leave)}">${escapeHtml(t('cancel', { app: page.appName }))}</a></p>
${scripts}`,
    undefined,
    page.locale,
  );
}

export interface PasskeyEnrollPage extends CeremonyPage {
  options: PublicKeyCredentialCreationOptionsJSON;
}

/** Adding a passkey: one button that asks the browser to create the credential. */
export function renderPasskeyEnroll(page: PasskeyEnrollPage): string {
  const t = translator(PASSKEY_MESSAGES, page.locale);
  return layout(
    t('enrollTitle'),
    `<h1>${escapeHtml(t('enrollTitle'))}</h1>
<p class="lead">${escapeHtml(t('enrollLead', { app: page.appName }))}</p>
${alertOf(page.message)}
<section class="card">
${ceremonyForm(t, '/handoff/enroll/passkey/verify', 'register', page.options, page.session, t('enrollButton'))}
</section>
<form method="post" action="/handoff/enroll" class="another-way">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<button type="submit" class="link">${escapeHtml(t('enrollAnotherMethod'))}</button>
</form>
${scripts}`,
    undefined,
    page.locale,
  );
}

export interface PasskeyIdentifyPage extends CeremonyPage {
  /** Sign-in options without allowCredentials; undefined when passkeys cannot run on this page (the message says why). */
  options: PublicKeyCredentialRequestOptionsJSON | undefined;
}

/**
 * "Sign in with a passkey" (`purpose: 'identify'`): no username, the browser offers the passkeys it
 * holds for the RP ID. There is no chooser to fall back to: the way back is the application, whose
 * password sign-in stays.
 */
export function renderPasskeyIdentify(page: PasskeyIdentifyPage): string {
  const t = translator(PASSKEY_MESSAGES, page.locale);
  return layout(
    t('identifyTitle'),
    `<h1>${escapeHtml(t('identifyTitle'))}</h1>
<p class="lead">${escapeHtml(t('identifyLead', { app: page.appName }))}</p>
${alertOf(page.message)}
${page.options ? `<section class="card">\n${ceremonyForm(t, '/handoff/passkey/identify', 'authenticate', page.options, page.session, t('identifyButton'))}\n</section>` : ''}
<p class="hint"><a href="${escapeHtml(page.leave)}">${escapeHtml(t('identifyBack', { app: page.appName }))}</a></p>
${page.options ? scripts : ''}`,
    undefined,
    page.locale,
  );
}
