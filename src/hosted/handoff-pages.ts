import { readFileSync } from 'node:fs';
import type { PageLocale } from './i18n.ts';
import type { FactorOption, PhoneChannel } from '../handoff/hosted-handoff.ts';
import { passkeyCard } from './passkey-pages.ts';

/** The stylesheet of the hosted pages, read once; served at HANDOFF_CSS_PATH (no inline style or script). */
export const HANDOFF_CSS = readFileSync(new URL('./assets/handoff.css', import.meta.url));
export const HANDOFF_CSS_PATH = '/handoff/assets/handoff.css';
/** The one script of the pages: the push waiting page follows the challenge's progress (the page works without it). */
export { HANDOFF_PUSH_JS } from './handoff-push-script.ts';
export const HANDOFF_PUSH_JS_PATH = '/handoff/assets/handoff-push.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] as string);
}

/**
 * A strict Content Security Policy: nothing but this server's stylesheet, no script (the push
 * waiting page alone: this server's script file and its event stream), no framing; forms may post
 * here and (after the 303) land on the verified `return_to` origin only.
 */
export function handoffCsp(formTargets: string[] = [], options: { script?: boolean } = {}): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    ...(options.script ? ["script-src 'self'", "connect-src 'self'"] : []),
    "base-uri 'none'",
    `form-action ${formTargets.length === 0 ? "'none'" : ["'self'", ...formTargets].join(' ')}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

export function layout(title: string, body: string, script?: string, lang: PageLocale = 'en'): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Verity</title>
<link rel="stylesheet" href="${HANDOFF_CSS_PATH}">
${script ? `<script src="${escapeHtml(script)}" defer></script>\n` : ''}</head>
<body>
<main>
${body}
<footer>Secured by Verity</footer>
</main>
</body>
</html>
`;
}

export interface ChooserPage {
  appName: string;
  /** The sealed hand-off session, posted back by every form. */
  session: string;
  options: FactorOption[];
  returnTo: string;
  /** A message about the last attempt (wrong code, lock-out). */
  message?: string | undefined;
  /** The form the message is about, so its input gets `aria-invalid` and focus. */
  failed?: string | undefined;
  /** `status`: the message guides (a neutral notice) instead of reporting a failure. */
  tone?: 'alert' | 'status' | undefined;
}

function totpForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'totp' }>, index: number, autofocus: boolean): string {
  const id = `totp-${index}`;
  const invalid = page.failed === option.factorSid;
  return `<section class="card" aria-labelledby="${id}-title">
<h2 id="${id}-title">Authenticator app</h2>
<p class="hint" id="${id}-hint">Enter the 6-digit code shown for “${escapeHtml(option.name)}”.</p>
<form method="post" action="/handoff/totp">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<input type="hidden" name="factor" value="${escapeHtml(option.factorSid)}">
<label for="${id}">Code</label>
<input type="text" id="${id}" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="10" required aria-describedby="${id}-hint${invalid ? ' form-error' : ''}"${invalid ? ' aria-invalid="true"' : ''}${autofocus ? ' autofocus' : ''}>
<button type="submit">Verify</button>
</form>
</section>`;
}

function recoveryForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'recovery_code' }>, autofocus: boolean): string {
  const invalid = page.failed === 'recovery_code';
  return `<section class="card" aria-labelledby="recovery-title">
<h2 id="recovery-title">Recovery code</h2>
<p class="hint" id="recovery-hint">Lost your device? Use one of your single-use recovery codes (${option.remaining} left).</p>
<form method="post" action="/handoff/recovery-code">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<label for="recovery-code">Recovery code</label>
<input type="text" id="recovery-code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" placeholder="ABCD-EFGH-JKMN" required aria-describedby="recovery-hint${invalid ? ' form-error' : ''}"${invalid ? ' aria-invalid="true"' : ''}${autofocus ? ' autofocus' : ''}>
<button type="submit">Use recovery code</button>
</form>
</section>`;
}

function pushForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'push' }>, index: number): string {
  const id = `push-${index}`;
  return `<section class="card" aria-labelledby="${id}-title">
<h2 id="${id}-title">Approve on your phone</h2>
<p class="hint">We send a request to “${escapeHtml(option.name)}”: approve it there.</p>
<form method="post" action="/handoff/push">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<input type="hidden" name="factor" value="${escapeHtml(option.factorSid)}">
<button type="submit">Send a request to my phone</button>
</form>
</section>`;
}

/** A code texted or read out to the application's trusted number, an approval by a call, or a flash call to it. */
function phoneForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'phone' | 'phone_call' }>): string {
  const ending = escapeHtml(option.masked.slice(-2));
  const card = (id: string, title: string, hint: string, action: string, fields: string, button: string): string => `<section class="card" aria-labelledby="${id}-title">
<h2 id="${id}-title">${title}</h2>
<p class="hint">${hint}</p>
<form method="post" action="${action}">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">${fields}
<button type="submit">${button}</button>
</form>
</section>`;
  if (option.kind === 'phone_call' && option.mode === 'press_one') {
    return card('phone-approve', 'Approve with a call', `We call your phone number ending in ${ending}: answer, and key in the two digits this page shows.`, '/handoff/call', '', 'Call me to approve');
  }
  if (option.kind === 'phone_call') {
    return card('phone-flash', 'Missed call', `We call your phone number ending in ${ending} and hang up: enter the last digits of the number that called.`, '/handoff/flashcall', '', 'Give me a missed call');
  }
  const sms = option.channel === 'sms';
  return card(`phone-${option.channel}`, sms ? 'Text message' : 'Phone call', `${sms ? 'We text a code to' : 'We call you and read a code to'} your phone number ending in ${ending}.`, '/handoff/phone', `\n<input type="hidden" name="channel" value="${option.channel}">`, sms ? 'Text me a code' : 'Call me with a code');
}

function voiceprintForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'voiceprint' }>, index: number): string {
  const id = `voiceprint-${index}`;
  return `<section class="card" aria-labelledby="${id}-title">
<h2 id="${id}-title">Use your voice</h2>
<p class="hint">Say your pass phrase into your microphone (“${escapeHtml(option.name)}”).</p>
<form method="post" action="/handoff/voiceprint">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<input type="hidden" name="factor" value="${escapeHtml(option.factorSid)}">
<button type="submit">Use my voice</button>
</form>
</section>`;
}

const FACTOR_LABELS: Record<string, string> = { push: 'Push approval', voiceprint: 'Voice', passkeys: 'Passkey', sms: 'Text message', call: 'Phone call', email: 'Email' };

/** The factor chooser: one form per factor the user can use here, and those not available yet. */
export function renderChooser(page: ChooserPage): string {
  const usable = page.options.filter((o) => o.kind !== 'unavailable');
  const unavailable = page.options.filter((o): o is Extract<FactorOption, { kind: 'unavailable' }> => o.kind === 'unavailable');
  const focusTarget = page.failed ?? (usable[0]?.kind === 'totp' ? usable[0].factorSid : usable[0]?.kind);
  const sections = usable.map((option, i) => {
    if (option.kind === 'totp') return totpForm(page, option, i, focusTarget === option.factorSid);
    if (option.kind === 'push') return pushForm(page, option, i);
    if (option.kind === 'phone' || option.kind === 'phone_call') return phoneForm(page, option);
    if (option.kind === 'voiceprint') return voiceprintForm(page, option, i);
    if (option.kind === 'passkey') return passkeyCard(page, option);
    return recoveryForm(page, option as Extract<FactorOption, { kind: 'recovery_code' }>, focusTarget === 'recovery_code');
  });
  const others = unavailable.length
    ? `<section class="card unavailable" aria-labelledby="unavailable-title">
<h2 id="unavailable-title">Not available here yet</h2>
<ul>${unavailable.map((o) => `<li>${escapeHtml(FACTOR_LABELS[o.type] ?? o.type)} (${escapeHtml(o.name)})</li>`).join('')}</ul>
</section>`
    : '';
  const alert = !page.message
    ? ''
    : page.tone === 'status'
      ? `<div class="notice" id="form-status" role="status">${escapeHtml(page.message)}</div>`
      : `<div class="alert" id="form-error" role="alert">${escapeHtml(page.message)}</div>`;
  if (usable.length === 0) {
    return layout('Verify it’s you', `<h1>Verify it’s you</h1>
<p class="lead">${escapeHtml(page.appName)} asked for a second factor, but none of the methods it accepts is set up for your account here.</p>
${others}
<p><a class="button" href="${escapeHtml(page.returnTo)}">Back to ${escapeHtml(page.appName)}</a></p>`);
  }
  return layout('Verify it’s you', `<h1>Verify it’s you</h1>
<p class="lead">${escapeHtml(page.appName)} asks you to confirm your sign-in with ${usable.length > 1 ? 'one of these methods' : 'this method'}.</p>
${alert}
${sections.join('\n')}
${others}
<p class="hint"><a href="${escapeHtml(page.returnTo)}">Cancel and go back to ${escapeHtml(page.appName)}</a></p>`);
}

export interface PushWaitPage {
  appName: string;
  session: string;
  /** The two digits to pick on the phone, if the service uses number matching. */
  numberMatch: string | null;
  /** The challenge's progress stream, a path on this server. */
  eventsPath: string;
  returnTo: string;
  message?: string | undefined;
}

/** The push waiting page: the number big, a script that continues on an outcome, and the same button without script. */
export function renderPushWait(page: PushWaitPage): string {
  const alert = page.message ? `<div class="alert" id="form-error" role="alert">${escapeHtml(page.message)}</div>` : '';
  const number = page.numberMatch
    ? `<p class="hint" id="number-hint">On your phone, choose this number:</p>
<p class="number-match" id="number-match">${escapeHtml(page.numberMatch)}</p>`
    : '';
  return layout(
    'Approve on your phone',
    `<h1>Approve on your phone</h1>
<p class="lead">We sent a sign-in request for ${escapeHtml(page.appName)} to your phone. Open it and approve it.</p>
${alert}
<section class="card">
${number}
<p class="hint" id="push-status" role="status" aria-live="polite">Waiting for your approval…</p>
<form method="post" action="/handoff/push/continue" id="push-continue" data-events="${escapeHtml(page.eventsPath)}">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<button type="submit">I approved it — continue</button>
</form>
</section>
${anotherWayForm(page.session)}
<p class="hint"><a href="${escapeHtml(page.returnTo)}">Cancel and go back to ${escapeHtml(page.appName)}</a></p>`,
    HANDOFF_PUSH_JS_PATH,
  );
}

export interface PhoneCodePage {
  appName: string;
  session: string;
  channel: PhoneChannel;
  /** The number with all but its last 2 digits hidden. */
  masked: string;
  returnTo: string;
  message?: string | undefined;
}

/** The form of a code sent to the phone (texted or read out on a call), checked at /handoff/phone/check. */
export function phoneCodeForm(session: string, invalid: boolean): string {
  return `<form method="post" action="/handoff/phone/check">
<input type="hidden" name="session" value="${escapeHtml(session)}">
<label for="phone-code">Code</label>
<input type="text" id="phone-code" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="12" required${invalid ? ' aria-invalid="true" aria-describedby="form-error"' : ''} autofocus>
<button type="submit">Verify</button>
</form>`;
}

/** The code form after "Text me a code" (a call's code form, which follows the call, is renderCallCode in call-pages.ts). */
export function renderPhoneCode(page: PhoneCodePage): string {
  const sms = page.channel === 'sms';
  const invalid = page.message !== undefined;
  const alert = invalid ? `<div class="alert" id="form-error" role="alert">${escapeHtml(page.message as string)}</div>` : '';
  return layout(
    'Enter your code',
    `<h1>Enter your code</h1>
<p class="lead">${sms ? 'We texted a code to' : 'We are calling'} <span class="phone">${escapeHtml(page.masked)}</span>${sms ? '' : ' to read you a code'}.</p>
${alert}
<section class="card">
${phoneCodeForm(page.session, invalid)}
</section>
${anotherWayForm(page.session)}
<p class="hint"><a href="${escapeHtml(page.returnTo)}">Cancel and go back to ${escapeHtml(page.appName)}</a></p>`,
  );
}

/** "Try another way": a form back to the chooser, for every waiting page (fallback between factors). */
export function anotherWayForm(session: string): string {
  return `<form method="post" action="/handoff/choose" class="another-way">
<input type="hidden" name="session" value="${escapeHtml(session)}">
<button type="submit" class="link">Try another way</button>
</form>`;
}

/** An error page: the specific reason, and a way back only to a verified return URL. */
export function renderError(title: string, message: string, returnTo?: string): string {
  const back = returnTo ? `<p><a class="button" href="${escapeHtml(returnTo)}">Back to the application</a></p>` : '<p class="hint">Go back to the application you came from and sign in again.</p>';
  return layout(title, `<h1>${escapeHtml(title)}</h1>
<div class="alert" role="alert">${escapeHtml(message)}</div>
${back}`);
}
