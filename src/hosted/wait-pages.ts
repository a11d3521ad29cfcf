import type { PhoneChannel } from '../handoff/factor-options.ts';
import type { PageLocale } from '../i18n/locales.ts';
import { translator } from '../i18n/translator.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { icon, type IconName } from '../pages/icons.ts';
import { anotherWayForm, describedBy, fieldError, HANDOFF_PUSH_JS_PATH, layout } from './handoff-pages.ts';

/*
 * The waiting pages of the hosted sign-in: the push waiting page and the phone code page. Each has
 * one primary action; its timers (expiry, resend) are rendered by the server and only kept running
 * by the countdown script (a progressive enhancement: the server refuses an early resend anyway).
 */

/** The countdown script of the waiting pages (src/hosted-factors/push/assets/handoff-countdown.js). */
const HANDOFF_COUNTDOWN_JS_PATH = '/handoff/assets/handoff-countdown.js';

/** "4:05" for a span of milliseconds (never negative). */
function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The method's icon above the title: the page says at a glance which way of signing in it is. */
const factorBadge = (name: IconName): SafeHtml => html`<div class="factor-badge">${icon(name)}</div>`;

/**
 * A countdown the script keeps running: `{time}` in `template` is the time left; `data-until` the
 * deadline (ms since the epoch); at zero the text becomes `doneText` and the element's form (if it
 * names one in `data-enables`) gets its button back. The server renders the text as it was when the
 * page was made, so without script the page still says it.
 */
function countdown(id: string, until: number, now: number, template: string, doneText: string, enables?: string): SafeHtml {
  const left = until - now;
  const text = left > 0 ? template.replace('{time}', clock(left)) : doneText;
  return html`<p class="countdown" id="${id}" data-until="${until}" data-template="${template}" data-done="${doneText}"${enables ? html` data-enables="${enables}"` : ''}>${text}</p>`;
}

const noticeOf = (notice: string | undefined): SafeHtml | string => (notice ? html`<div class="notice" id="form-status" role="status">${notice}</div>` : '');

export interface PushWaitPage {
  appName: string;
  session: string;
  /** The two digits to pick on the phone, if the service uses number matching. */
  numberMatch: string | null;
  /** The challenge's progress stream, a path on this server. */
  eventsPath: string;
  /** When the request expires, and when "Resend" may be used again (ms since the epoch). */
  expiresAt?: number | undefined;
  resendAt?: number | undefined;
  /** The way back to the application: the session's return path (session-links.ts). */
  leave: string;
  message?: string | undefined;
  /** Guidance (not a failure): shown as a status. */
  notice?: string | undefined;
  locale?: PageLocale | undefined;
  /** The time the page is made (tests pin it); now by default. */
  now?: number | undefined;
}

/**
 * The push waiting page: the number to pick big, a live status (the script follows the challenge
 * and continues on an outcome), the time left, "Resend" (refused by the server before its
 * cooldown), and the way to another method.
 */
export function renderPushWait(page: PushWaitPage): string {
  const t = translator(page.locale, 'handoff');
  const n = translator(page.locale, 'handoff-notice');
  const now = page.now ?? Date.now();
  const alert = page.message ? html`<div class="alert" id="form-error" role="alert">${page.message}</div>` : noticeOf(page.notice);
  const number = page.numberMatch
    ? html`<p class="hint" id="number-hint">${t('numberHint')}</p>
<p class="number-match" id="number-match" aria-describedby="number-hint">${page.numberMatch}</p>`
    : '';
  const expiry = page.expiresAt !== undefined ? countdown('push-expiry', page.expiresAt, now, n('pushExpiresIn', { time: '{time}' }), n('pushExpiredShort')) : '';
  const resend = html`<form method="post" action="/handoff/push/resend" class="resend" id="push-resend">
<input type="hidden" name="session" value="${page.session}">
<button type="submit" class="secondary">${icon('refresh')} ${n('pushResend')}</button>
${page.resendAt !== undefined && page.resendAt > now ? countdown('push-resend-timer', page.resendAt, now, n('resendIn', { time: '{time}' }), n('resendReady'), 'push-resend') : ''}
</form>`;
  return layout(
    t('pushTitle'),
    html`${factorBadge('push')}
<h1>${t('pushTitle')}</h1>
<p class="lead">${t('pushWaitLead', { app: page.appName })}</p>
${alert}
<section class="card wait-card" aria-labelledby="push-status">
${number}
<p class="wait-status" id="push-status" role="status" aria-live="polite"><span class="pulse" aria-hidden="true"></span>${t('pushWaiting')}</p>
${expiry}
<form method="post" action="/handoff/push/continue" id="push-continue" data-events="${page.eventsPath}" data-msg-approved="${t('pushApproved')}" data-msg-denied="${t('pushDenied')}" data-msg-expired="${t('pushExpired')}">
<input type="hidden" name="session" value="${page.session}">
<button type="submit">${t('pushContinue')}</button>
</form>
${resend}
</section>
${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>
<script src="${HANDOFF_COUNTDOWN_JS_PATH}" defer></script>`,
    HANDOFF_PUSH_JS_PATH,
    page.locale,
  );
}

export interface PhoneCodePage {
  appName: string;
  session: string;
  channel: PhoneChannel;
  /** The number with all but its last 2 digits hidden. */
  masked: string;
  /** The verification's wrong codes left (the server's count), when known. */
  attemptsLeft?: number | undefined;
  /** When a new code may be sent (ms since the epoch; the server refuses one before). */
  resendAt?: number | undefined;
  /** The other channel the application allows ("Call me instead" / "Text me instead"). */
  switchTo?: PhoneChannel | undefined;
  /** The way back to the application: the session's return path (session-links.ts). */
  leave: string;
  message?: string | undefined;
  notice?: string | undefined;
  locale?: PageLocale | undefined;
  now?: number | undefined;
}

/** The form of a code sent to the phone (texted or read out on a call), checked at /handoff/phone/check; `error` shows at the field. */
export function phoneCodeForm(session: string, error: string | undefined, locale?: PageLocale, attemptsLeft?: number): SafeHtml {
  const t = translator(locale, 'handoff');
  const n = translator(locale, 'handoff-notice');
  const left = attemptsLeft !== undefined ? html`<p class="hint attempts" id="phone-code-attempts">${n('attemptsLeft', { left: attemptsLeft })}</p>\n` : '';
  return html`<form method="post" action="/handoff/phone/check">
<input type="hidden" name="session" value="${session}">
<label for="phone-code">${t('codeLabel')}</label>
${fieldError('phone-code', error)}${left}<input type="text" class="code-input" id="phone-code" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="12" required${describedBy('phone-code', attemptsLeft !== undefined ? 'phone-code-attempts' : undefined, error !== undefined)} autofocus>
<button type="submit">${t('verify')}</button>
</form>`;
}

/** A form that sends a code again on `channel` (the server applies the cooldown and the session's budget). */
function sendForm(session: string, channel: PhoneChannel, label: SafeHtml, id: string, extra?: SafeHtml): SafeHtml {
  return html`<form method="post" action="/handoff/phone" class="resend" id="${id}">
<input type="hidden" name="session" value="${session}">
<input type="hidden" name="channel" value="${channel}">
<button type="submit" class="secondary">${label}</button>${extra ? html`\n${extra}` : ''}
</form>`;
}

/**
 * The code page after "Text me a code" (a call's code page, which follows the call, is
 * renderCallCode in call-pages.ts): the masked number, one code field with the wrong codes left,
 * "Send a new code" with its countdown, and the other channel when the application allows it.
 */
export function renderPhoneCode(page: PhoneCodePage): string {
  const sms = page.channel === 'sms';
  const t = translator(page.locale, 'handoff');
  const n = translator(page.locale, 'handoff-notice');
  const now = page.now ?? Date.now();
  const waiting = page.resendAt !== undefined && page.resendAt > now;
  const timer = waiting ? countdown('phone-resend-timer', page.resendAt as number, now, n('resendIn', { time: '{time}' }), n('resendReady'), 'phone-resend') : undefined;
  const resend = sendForm(page.session, page.channel, html`${icon('refresh')} ${n(sms ? 'resendSms' : 'resendCall')}`, 'phone-resend', timer);
  const other = page.switchTo ? sendForm(page.session, page.switchTo, html`${icon(page.switchTo === 'call' ? 'call' : 'sms')} ${n(page.switchTo === 'call' ? 'callInstead' : 'textInstead')}`, 'phone-switch') : '';
  return layout(
    t('phoneCodeTitle'),
    html`${factorBadge(sms ? 'sms' : 'call')}
<h1>${t('phoneCodeTitle')}</h1>
<p class="lead">${t.parts(sms ? 'phoneLeadSms' : 'phoneLeadCall', { phone: html`<span class="phone">${page.masked}</span>` })}</p>
${noticeOf(page.notice)}
<section class="card">
${phoneCodeForm(page.session, page.message, page.locale, page.attemptsLeft)}
</section>
<section class="more-actions" aria-labelledby="no-code-title">
<h2 class="quiet" id="no-code-title">${n('noCode')}</h2>
${resend}
${other}
</section>
${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>
<script src="${HANDOFF_COUNTDOWN_JS_PATH}" defer></script>`,
    undefined,
    page.locale,
  );
}
