import type { PhoneChannel } from '../handoff/factor-options.ts';
import type { PageLocale } from '../i18n/locales.ts';
import { translator, type MessageKey, type Translate as Translator } from '../i18n/translator.ts';
import { html, trustedHtml, type SafeHtml } from '../pages/html.ts';
import { describedBy, fieldError, layout } from '../hosted/handoff-pages.ts';
import { icon, type IconName } from '../pages/icons.ts';

/** The push set-up page's script (src/hosted-factors/push/assets/handoff-enroll-push.js): it asks the status route and checks once the device is set up. */
const ENROLL_PUSH_JS_PATH = '/handoff/assets/handoff-enroll-push.js';

/** The recovery codes page's script (src/hosted-factors/hub/assets/handoff-hub.js): Copy, Download and Print. */
const HUB_JS_PATH = '/handoff/assets/handoff-hub.js';

/** The push set-up script's status lines (data-msg-* name, message key), rendered in the page's language. */
const ENROLL_PUSH_SCRIPT_MESSAGES = [
  ['waiting', 'pushWaiting'],
  ['added', 'pushSetUpContinuing'],
  ['expired', 'pushTokenExpired'],
  ['unconfirmed', 'pushEnrolledWaiting'],
  ['failed', 'pushCheckFailed'],
] as const;

/** A message on a hub page: `status` for what went well (polite), `alert` for what did not. */
export interface EnrollNotice {
  text: string;
  tone: 'status' | 'alert';
  /**
   * The hub field an alert is about, shown at that field instead of the banner: `phone_number`
   * (the number to add), or a factor's sid (its rename form).
   */
  field?: string | undefined;
}

export interface ListedFactor {
  /** The factor's sid, posted back by its rename and remove forms (checked against the session's user). */
  sid: string;
  name: string;
  /** What kind of method, in words ("Authenticator app"), in the page's language. */
  type: string;
  /** The factor type (`totp`, `push`, `passkeys`, `voiceprint`): its icon. */
  kind?: string | undefined;
  /** Milliseconds since the epoch. */
  created: number;
  /** When it last proved a sign-in (ms), null: not yet. */
  lastUsed?: number | null | undefined;
  /** Rename and Remove are offered: the session's step-up covers this method. */
  manageable: boolean;
}

/** Each factor type's icon (src/pages/icons.ts). */
const FACTOR_ICONS: Record<string, IconName> = { totp: 'totp', push: 'push', passkeys: 'passkey', voiceprint: 'voice' };
/** A method's icon, in its round badge. */
export const methodIcon = (name: IconName): SafeHtml => html`<span class="method-icon">${icon(name)}</span>`;
/** "Last used 2026-12-07", or that it was never used to sign in. */
export const lastUsedText = (t: Translate, lastUsed: number | null | undefined): string => (lastUsed ? t('lastUsed', { date: t.day(lastUsed) }) : t('neverUsed'));

interface PageBase {
  appName: string;
  /** The hand-off session, posted back by every form. */
  session: string;
  /** The page language (the session's); English when absent. */
  locale?: PageLocale | undefined;
}

/** The hub's words (`enroll.*`). */
export type Translate = Translator<MessageKey<'enroll'>>;

export const textOf = (page: PageBase): Translate => translator(page.locale, 'enroll');

export interface EnrollHubPage extends PageBase {
  /** The way back to the application: the session's return path (session-links.ts), a signed error result. */
  leave: string;
  /** The request's display name (`name` claim), shown as the account; never `sub`. */
  displayName?: string | undefined;
  factors: ListedFactor[];
  recoveryCodes: { total: number; remaining: number; dateCreated?: number | null | undefined; lastUsed?: number | null | undefined };
  /** The phone the application vouches for (and offers codes to), masked: listed as a method the application manages. */
  trustedPhone?: string | undefined;
  /** The number confirmed on this hub, if any (shown in full: the user just typed it). */
  phoneNumber: string | undefined;
  offers: { totp: boolean; push: boolean; recoveryCodes: boolean; phone: PhoneChannel[]; passkey: boolean; voiceprint: boolean };
  notice?: EnrollNotice | undefined;
}

export const sessionField = (sealed: string): SafeHtml => html`<input type="hidden" name="session" value="${sealed}">`;

export function noticeBlock(notice: EnrollNotice | undefined): SafeHtml | undefined {
  if (!notice) return undefined;
  return notice.tone === 'alert'
    ? html`<div class="alert" id="form-error" role="alert">${notice.text}</div>`
    : html`<div class="notice" id="form-status" role="status" aria-live="polite">${notice.text}</div>`;
}

/** A card with one button that posts the session to `action`; `hint` is text or markup; `iconName` its method's icon, `buttonIcon` the button's. */
export function addCard(id: string, title: string, hint: string | SafeHtml, action: string, button: string, sealed: string, iconName?: IconName, buttonIcon: IconName = 'plus'): SafeHtml {
  return html`<section class="card add-card" aria-labelledby="${id}-title">
<h3 id="${id}-title">${iconName ? methodIcon(iconName) : ''}${title}</h3>
<p class="hint">${hint}</p>
<form method="post" action="${action}">
${sessionField(sealed)}
<button type="submit" class="secondary">${iconName ? icon(buttonIcon) : ''}${button}</button>
</form>
</section>`;
}

/** The alert the hub shows at one of its fields (`field`), if that is where it belongs. */
export const errorAt = (page: EnrollHubPage, field: string): string | undefined => (page.notice?.tone === 'alert' && page.notice.field === field ? page.notice.text : undefined);

/**
 * One factor of the hub's list, with its Rename (a disclosure: no script needed) and Remove (which
 * asks to confirm on the next page) when the session's step-up covers it.
 */
export function factorItem(f: ListedFactor, session: string, t: Translate, error: string | undefined): SafeHtml {
  const id = f.sid;
  const field = `rename-${id}`;
  const name = f.name;
  const about = html`${methodIcon(FACTOR_ICONS[f.kind ?? ''] ?? 'shield')}<div class="method-about"><span class="factor-name" id="name-${id}">${name}</span> <span class="hint">${t('factorAdded', { type: f.type, date: t.day(f.created) })}</span>
<span class="hint last-used">${lastUsedText(t, f.lastUsed)}</span></div>`;
  if (!f.manageable) return html`<li class="method" data-factor="${id}">${about}</li>`;
  return html`<li class="method" data-factor="${id}">${about}
<div class="manage">
<details class="rename"${error !== undefined ? html` open` : ''}><summary aria-label="${t('renameNamed', { name: f.name })}">${icon('edit')}${t('renameButton')}</summary>
<form method="post" action="/handoff/enroll/rename">
${sessionField(session)}
<input type="hidden" name="factor" value="${id}">
<label for="${field}">${t('renameLabel', { name: f.name })}</label>
${fieldError(field, error)}<input type="text" class="name" id="${field}" name="friendly_name" value="${name}" maxlength="32" required autocomplete="off" spellcheck="false"${describedBy(field, undefined, error !== undefined)}${error !== undefined ? html` autofocus` : ''}>
<button type="submit">${t('renameSave')}</button>
</form>
</details>
<form method="post" action="/handoff/enroll/remove">
${sessionField(session)}
<input type="hidden" name="factor" value="${id}">
<button type="submit" class="link remove" aria-label="${t('removeNamed', { name: f.name })}">${icon('trash')}${t('removeButton')}</button>
</form>
</div>
</li>`;
}

/** "Back to my sign-in methods": the hub again, for every step page. */
function backToHub(sealed: string, label: string): SafeHtml {
  return html`<form method="post" action="/handoff/enroll" class="another-way">
${sessionField(sealed)}
<button type="submit" class="link">${label}</button>
</form>`;
}

/** Groups of 4 for reading aloud or typing: `JBSW Y3DP EHPK 3PXP`. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * Inline SVG from `qrcode` (no `data:` URL: CSP img-src is 'self'), labelled for assistive
 * technology. The SVG is the library's drawing of a value we made (no user text reaches it), hence trusted.
 */
const qrFigure = (svg: string, label: string): SafeHtml =>
  html`<figure class="qr">${trustedHtml(svg.replace('<svg ', () => html`<svg role="img" aria-label="${label}" `.value))}</figure>`;

export interface EnrollTotpPage extends PageBase {
  qrSvg: string;
  /** Base32 secret, for typing into the app. */
  secret: string;
  /** The otpauth:// URI the QR code holds, for pasting (the virtual phone's authenticator takes it). */
  uri: string;
  digits: number;
  message?: string | undefined;
}

export function enrollTotpPage(page: EnrollTotpPage): string {
  const t = textOf(page);
  return layout(
    t('totpButton'),
    html`<h1>${t('totpButton')}</h1>
<p class="lead">${t('totpLead', { digits: page.digits })}</p>
<section class="card">
${qrFigure(page.qrSvg, t('totpQrLabel'))}
<p class="hint" id="secret-hint">${t('totpCantScan')}</p>
<p class="secret" id="totp-secret" aria-describedby="secret-hint">${groupSecret(page.secret)}</p>
<details class="setup-link"><summary>${t('totpCopyLink')}</summary>
<label for="totp-uri">${t('totpLinkLabel')}</label>
<input type="text" id="totp-uri" class="uri" value="${page.uri}" readonly>
</details>
<form method="post" action="/handoff/enroll/totp/verify">
${sessionField(page.session)}
<label for="totp-code">${t('totpCodeLabel')}</label>
${fieldError('totp-code', page.message)}<input type="text" id="totp-code" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="10" required${describedBy('totp-code', undefined, page.message !== undefined)} autofocus>
<button type="submit">${t('totpSubmit')}</button>
</form>
</section>
${backToHub(page.session, t('backToHub'))}`,
    undefined,
    page.locale,
  );
}

export interface EnrollPushPage extends PageBase {
  /** The single-use enrollment token (the fallback for authenticators that take no code). */
  token: string;
  /** The short code that stands for the token (`XXXX-XXXX-XXXX`), and the QR code of its redemption URL; without it the QR code is the token's. */
  code?: string | undefined;
  qrSvg: string;
  /** Minutes left before the token (and its code) expire. */
  minutes: number;
  message?: string | undefined;
}

export function enrollPushPage(page: EnrollPushPage): string {
  const t = textOf(page);
  const tokenField = html`<label for="enroll-token">${t('pushTokenLabel', { minutes: page.minutes })}</label>
<textarea id="enroll-token" class="token" rows="5" readonly aria-describedby="token-hint">${page.token}</textarea>`;
  const codeBlock = page.code
    ? html`${qrFigure(page.qrSvg, t('pushCodeQrLabel'))}
<p class="hint code-label" id="enroll-code-label">${t('pushCodeLabel')}</p>
<p class="enroll-code" id="enroll-code" aria-labelledby="enroll-code-label">${page.code}</p>
<p class="copy-row" hidden><button type="button" class="secondary copy" data-copy="enroll-code" data-msg-copied="${t('pushCodeCopied')}" data-msg-copy-failed="${t('copyFailed')}">${icon('copy')}${t('pushCodeCopy')}</button> <span class="copy-status" role="status" aria-live="polite"></span></p>
<p class="hint valid-for">${icon('totp')}${t('pushCodeValid', { minutes: page.minutes })}</p>
<p class="hint" id="token-hint">${t.parts('pushCodeHint', { phone: html`<code>/phone</code>`, command: html`<code>verity-authenticator enroll</code>` })}</p>
<details class="setup-link"><summary>${t('pushTokenFallback')}</summary>
${tokenField}
</details>`
    : html`${qrFigure(page.qrSvg, t('pushQrLabel'))}
${tokenField}
<p class="hint" id="token-hint">${t.parts('pushTokenHint', { phone: html`<code>/phone</code>`, command: html`<code>verity-authenticator enroll</code>` })}</p>`;
  // The script's status lines, in the page's language (the script has no texts of its own).
  const scriptText = ENROLL_PUSH_SCRIPT_MESSAGES.map(([name, key]) => html` data-msg-${name}="${t(key)}"`);
  return layout(
    t('pushButton'),
    html`<h1>${t('pushButton')}</h1>
<p class="lead">${page.code ? t('pushCodeLead') : t('pushLead', { app: page.appName })}</p>
${page.message ? html`<div class="alert" id="form-error" role="alert">${page.message}</div>` : ''}
<section class="card push-code">
${codeBlock}
<p class="hint" id="push-enroll-status" role="status" aria-live="polite">${t('pushWaiting')}</p>
<form method="post" action="/handoff/enroll/push/check" id="push-enroll-check" data-status="/handoff/enroll/push/status"${scriptText}>
${sessionField(page.session)}
<button type="submit">${t('pushCheck')}</button>
</form>
</section>
${backToHub(page.session, t('backToHub'))}`,
    ENROLL_PUSH_JS_PATH,
    page.locale,
  );
}

export interface EnrollRecoveryCodesPage extends PageBase {
  codes: string[];
  /** True when an earlier set existed: it no longer works. */
  replaced: boolean;
}

export function enrollRecoveryCodesPage(page: EnrollRecoveryCodesPage): string {
  const t = textOf(page);
  // The file Download saves: a plain name (letters and digits of the application's name).
  const fileName = `${page.appName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'verity'}-recovery-codes.txt`;
  return layout(
    t('codesTitle'),
    html`<h1>${t('codesTitle')}</h1>
<div class="alert" role="alert">${icon('warning')} ${t('codesSaveNow')}${page.replaced ? ` ${t('codesReplaced')}` : ''}</div>
<section class="card codes-card print-area" aria-labelledby="codes-title">
<h2 id="codes-title">${t('codesCount', { count: page.codes.length })}</h2>
<p class="hint print-only">${t('codesFileHeading', { app: page.appName })}</p>
<ol class="recovery-codes" id="recovery-codes">${page.codes.map((c) => html`<li><code>${c}</code></li>`)}</ol>
<div class="code-actions" id="code-actions" hidden data-file="${fileName}" data-heading="${t('codesFileHeading', { app: page.appName })}" data-msg-copied="${t('codesCopied')}" data-msg-copy-failed="${t('copyFailed')}" data-msg-downloaded="${t('codesDownloaded', { file: fileName })}">
<button type="button" class="secondary" data-action="copy">${icon('copy')}${t('codesCopy')}</button>
<button type="button" class="secondary" data-action="download">${icon('download')}${t('codesDownload')}</button>
<button type="button" class="secondary" data-action="print">${icon('print')}${t('codesPrint')}</button>
</div>
<p class="hint copy-status" id="codes-status" role="status" aria-live="polite"></p>
</section>
${backToHub(page.session, t('savedBackToHub'))}`,
    HUB_JS_PATH,
    page.locale,
  );
}

export interface EnrollPhoneCodePage extends PageBase {
  masked: string;
  channel: PhoneChannel;
  message?: string | undefined;
}

export function enrollPhoneCodePage(page: EnrollPhoneCodePage): string {
  const t = textOf(page);
  const number = html`<span class="phone">${page.masked}</span>`;
  return layout(
    t('phonePageTitle'),
    html`<h1>${t('phonePageTitle')}</h1>
<p class="lead">${t.parts(page.channel === 'sms' ? 'phoneLeadSms' : 'phoneLeadCall', { number })}</p>
<section class="card">
<form method="post" action="/handoff/enroll/phone/check">
${sessionField(page.session)}
<label for="phone-code">${t('phoneCodeLabel')}</label>
${fieldError('phone-code', page.message)}<input type="text" id="phone-code" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="12" required${describedBy('phone-code', undefined, page.message !== undefined)} autofocus>
<button type="submit">${t('phoneCodeSubmit')}</button>
</form>
</section>
${backToHub(page.session, t('backToHub'))}`,
    undefined,
    page.locale,
  );
}

export interface EnrollRemovePage extends PageBase {
  factor: { sid: string; name: string; type: string; kind?: string | undefined };
}

/** "Remove this sign-in method?": the one place a removal is confirmed; "Keep it" goes back to the hub. */
export function enrollRemovePage(page: EnrollRemovePage): string {
  const t = textOf(page);
  const params = { name: page.factor.name, type: page.factor.type, app: page.appName };
  return layout(
    t('removeTitle'),
    html`<h1>${t('removeTitle')}</h1>
<section class="card remove-card">
<p class="method-summary">${methodIcon(FACTOR_ICONS[page.factor.kind ?? ''] ?? 'shield')}<span><span class="factor-name">${page.factor.name}</span> <span class="hint">${page.factor.type}</span></span></p>
<p>${t('removeLead', params)}</p>
<form method="post" action="/handoff/enroll/remove/confirm">
${sessionField(page.session)}
<input type="hidden" name="factor" value="${page.factor.sid}">
<button type="submit" class="danger">${icon('trash')}${t('removeConfirm', params)}</button>
</form>
</section>
${backToHub(page.session, t('removeKeep'))}`,
    undefined,
    page.locale,
  );
}
