import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { FactorOption } from '../handoff/hosted-handoff.ts';
import { anotherWayForm, escapeHtml, layout, type ChooserPage } from './handoff-pages.ts';

/** SimpleWebAuthn's browser bundle (UMD, defines `SimpleWebAuthnBrowser`), served from this server. */
export const SIMPLEWEBAUTHN_BROWSER_PATH = '/handoff/assets/vendor/simplewebauthn-browser.js';
/** The passkey pages' own script (src/hosted/assets/handoff-passkey.js). */
export const HANDOFF_PASSKEY_JS_PATH = '/handoff/assets/handoff-passkey.js';

/** The chooser's card: one button for a single passkey, one per passkey (by its name) otherwise. */
export function passkeyCard(page: ChooserPage, option: Extract<FactorOption, { kind: 'passkey' }>): string {
  const [only] = option.passkeys;
  const buttons =
    option.passkeys.length === 1 && only
      ? `<input type="hidden" name="factor" value="${escapeHtml(only.factorSid)}">
<button type="submit">Use a passkey</button>`
      : option.passkeys.map((p) => `<button type="submit" name="factor" value="${escapeHtml(p.factorSid)}">Use a passkey: “${escapeHtml(p.name)}”</button>`).join('\n');
  return `<section class="card" aria-labelledby="passkey-title">
<h2 id="passkey-title">Passkey</h2>
<p class="hint">Sign in with the passkey saved on this device or your phone: your fingerprint, face, PIN or screen lock.</p>
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
  returnTo: string;
  message?: string | undefined;
}

const alertOf = (message: string | undefined): string => (message ? `<div class="alert" id="form-error" role="alert">${escapeHtml(message)}</div>` : '');

/**
 * The ceremony's form: the WebAuthn options in a data attribute (read by handoff-passkey.js, never
 * inline script), hidden fields for the credential's JSON or the browser's error, and a button
 * that stays hidden until the script runs. Without script, a notice says why nothing happens.
 */
function ceremonyForm(action: string, ceremony: 'authenticate' | 'register', options: unknown, session: string, button: string, extraFields = ''): string {
  return `<noscript><div class="alert" role="alert">Passkeys need JavaScript, which is turned off or blocked in this browser. Turn it on and reload this page, or try another way.</div></noscript>
<p class="hint" id="passkey-status" role="status" aria-live="polite"></p>
<form method="post" action="${action}" id="passkey-form" data-ceremony="${ceremony}" data-options="${escapeHtml(JSON.stringify(options))}">
<input type="hidden" name="session" value="${escapeHtml(session)}">${extraFields}
<input type="hidden" name="response" value="">
<input type="hidden" name="error" value="">
<button type="submit" id="passkey-start" hidden${ceremony === 'authenticate' ? ' autofocus' : ''}>${button}</button>
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
  return layout(
    'Use your passkey',
    `<h1>Use your passkey</h1>
<p class="lead">Confirm your sign-in to ${escapeHtml(page.appName)} with your passkey “${escapeHtml(page.name)}”. Your device will ask for your fingerprint, face, PIN or screen lock.</p>
${alertOf(page.message)}
<section class="card">
${ceremonyForm('/handoff/passkey/verify', 'authenticate', page.options, page.session, 'Use my passkey', `\n<input type="hidden" name="factor" value="${escapeHtml(page.factorSid)}">`)}
</section>
${anotherWayForm(page.session)}
<p class="hint"><a href="${escapeHtml(page.returnTo)}">Cancel and go back to ${escapeHtml(page.appName)}</a></p>
${scripts}`,
  );
}

export interface PasskeyEnrollPage extends CeremonyPage {
  options: PublicKeyCredentialCreationOptionsJSON;
}

/** Adding a passkey: one button that asks the browser to create the credential. */
export function renderPasskeyEnroll(page: PasskeyEnrollPage): string {
  return layout(
    'Add a passkey',
    `<h1>Add a passkey</h1>
<p class="lead">A passkey lets you confirm it is you when you sign in to ${escapeHtml(page.appName)}, with your fingerprint, face, PIN or screen lock. It stays on your device (or in your password manager); ${escapeHtml(page.appName)} never sees it.</p>
${alertOf(page.message)}
<section class="card">
${ceremonyForm('/handoff/enroll/passkey/verify', 'register', page.options, page.session, 'Create a passkey')}
</section>
<form method="post" action="/handoff/enroll" class="another-way">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<button type="submit" class="link">Set up another method instead</button>
</form>
${scripts}`,
  );
}
