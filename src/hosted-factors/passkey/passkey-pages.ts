import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { PageLocale } from '../../i18n/locales.ts';
import { translator, type MessageKey, type Translate as Translator } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { anotherWayForm, layout } from '../../hosted/handoff-pages.ts';

/** SimpleWebAuthn's browser bundle (UMD, defines `SimpleWebAuthnBrowser`), served from this server. */
export const SIMPLEWEBAUTHN_BROWSER_PATH = '/handoff/assets/vendor/simplewebauthn-browser.js';
/** The passkey pages' own script (assets/handoff-passkey.js). */
const HANDOFF_PASSKEY_JS_PATH = '/handoff/assets/handoff-passkey.js';

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

const alertOf = (message: string | undefined): SafeHtml | undefined => (message ? html`<div class="alert" id="form-error" role="alert">${message}</div>` : undefined);

type Translate = Translator<MessageKey<'passkey'>>;

/** The script's texts, rendered in the page's language as data-msg-* attributes (handoff-passkey.js has no texts of its own). */
const PASSKEY_SCRIPT_MESSAGES = [
  ['unsupported', 'scriptUnsupported'],
  ['damaged', 'scriptDamaged'],
  ['not-loaded', 'scriptNotLoaded'],
  ['prompt-create', 'scriptPromptCreate'],
  ['prompt-use', 'scriptPromptUse'],
  ['checking', 'scriptChecking'],
  ['unfinished', 'scriptUnfinished'],
] as const;

const scriptMessages = (t: Translate): SafeHtml[] => PASSKEY_SCRIPT_MESSAGES.map(([name, key]) => html` data-msg-${name}="${t(key)}"`);
/**
 * The ceremony's form: the WebAuthn options in a data attribute (read by handoff-passkey.js, never
 * inline script), hidden fields for the credential's JSON or the browser's error, and a button
 * that stays hidden until the script runs. Without script, a notice says why nothing happens.
 */
function ceremonyForm(t: Translate, action: string, ceremony: 'authenticate' | 'register', options: unknown, session: string, button: string, extraFields?: SafeHtml, conditional = false): SafeHtml {
  return html`<noscript><div class="alert" role="alert">${t('noScript')}</div></noscript>
<p class="hint" id="passkey-status" role="status" aria-live="polite"></p>
<form method="post" action="${action}" id="passkey-form" data-ceremony="${ceremony}" data-options="${JSON.stringify(options)}"${conditional ? html` data-conditional="true"` : ''}${scriptMessages(t)}>
<input type="hidden" name="session" value="${session}">${extraFields}
<input type="hidden" name="response" value="">
<input type="hidden" name="error" value="">
<button type="submit" id="passkey-start" hidden${ceremony === 'authenticate' ? html` autofocus` : ''}>${button}</button>
</form>`;
}

/**
 * The autofill field of the usernameless page (conditional mediation): shown by the script only
 * where the browser says it can list passkeys in autofill; it posts nothing (no name), it is only
 * where the browser offers the passkeys. The button stays for a modal prompt.
 */
const autofillField = (t: Translate): SafeHtml => html`<div class="passkey-autofill" id="passkey-autofill" hidden>
<label for="passkey-username">${t('identifyUsernameLabel')}</label>
<p class="hint" id="passkey-username-hint">${t('identifyAutofillHint')}</p>
<input type="text" id="passkey-username" autocomplete="username webauthn" autocapitalize="none" spellcheck="false" aria-describedby="passkey-username-hint">
</div>`;

const scripts = html`<script src="${SIMPLEWEBAUTHN_BROWSER_PATH}" defer></script>
<script src="${HANDOFF_PASSKEY_JS_PATH}" defer></script>`;

export interface PasskeySignInPage extends CeremonyPage {
  factorSid: string;
  /** The passkey factor's friendly name. */
  name: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** The passkey prompt of a sign-in: one button that asks the browser for the assertion. */
export function renderPasskeySignIn(page: PasskeySignInPage): string {
  const t = translator(page.locale, 'passkey');
  return layout(
    t('signInTitle'),
    html`<h1>${t('signInTitle')}</h1>
<p class="lead">${t('signInLead', { app: page.appName, name: page.name })}</p>
${alertOf(page.message)}
<section class="card">
${ceremonyForm(t, '/handoff/passkey/verify', 'authenticate', page.options, page.session, t('signInButton'), html`\n<input type="hidden" name="factor" value="${page.factorSid}">`)}
</section>
${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>
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
  const t = translator(page.locale, 'passkey');
  return layout(
    t('enrollTitle'),
    html`<h1>${t('enrollTitle')}</h1>
<p class="lead">${t('enrollLead', { app: page.appName })}</p>
${alertOf(page.message)}
<section class="card">
${ceremonyForm(t, '/handoff/enroll/passkey/verify', 'register', page.options, page.session, t('enrollButton'))}
</section>
<form method="post" action="/handoff/enroll" class="another-way">
<input type="hidden" name="session" value="${page.session}">
<button type="submit" class="link">${t('enrollAnotherMethod')}</button>
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
  const t = translator(page.locale, 'passkey');
  return layout(
    t('identifyTitle'),
    html`<h1>${t('identifyTitle')}</h1>
<p class="lead">${t('identifyLead', { app: page.appName })}</p>
${alertOf(page.message)}
${page.options ? html`<section class="card">\n${autofillField(t)}\n${ceremonyForm(t, '/handoff/passkey/identify', 'authenticate', page.options, page.session, t('identifyButton'), undefined, true)}\n</section>` : ''}
<p class="hint"><a href="${page.leave}">${t('identifyBack', { app: page.appName })}</a></p>
${page.options ? scripts : ''}`,
    undefined,
    page.locale,
  );
}
