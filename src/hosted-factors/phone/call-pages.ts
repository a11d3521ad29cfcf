import type { PageLocale } from '../../i18n/locales.ts';
import { translator, type MessageKey, type Translate } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { anotherWayForm, fieldError, layout } from '../../hosted/handoff-pages.ts';
import { phoneCodeForm } from '../../hosted/wait-pages.ts';

/** The script of the call pages (assets/handoff-call.js): it follows the call's progress; every page works without it. */
const HANDOFF_CALL_JS_PATH = '/handoff/assets/handoff-call.js';

/** A verification's progress stream (a path on this server) and the call the page follows (older calls of it are ignored). */
export interface CallProgressView {
  eventsPath: string;
  callSid: string | undefined;
}

interface CallPageBase {
  appName: string;
  /** The hand-off session, posted back by every form. */
  session: string;
  /** The number with all but its last 2 digits hidden. */
  masked: string;
  progress: CallProgressView;
  /** The way back to the application: the session's return path (session-links.ts), a signed error result. */
  leave: string;
  message?: string | undefined;
  /** Where `message` shows: at the code field (the default: a wrong or malformed code) or atop the page (about the call). */
  messageAt?: 'field' | 'page' | undefined;
  /** The pages' language (the session's); English when absent. */
  locale?: PageLocale | undefined;
}

export interface CallCodePage extends CallPageBase {
  /** The request allows a text message too: offer "Text me instead". */
  smsAllowed: boolean;
}

export interface CallApprovalPage extends CallPageBase {
  /** The two digits to key in on the call. */
  numberMatch: string;
}

export interface FlashCallPage extends CallPageBase {
  /** The caller ids' fixed start, such as +1500555. */
  callerIdPrefix: string;
  /** How many last digits of the caller id are the code. */
  digits: number;
}

type Mode = 'code' | 'approve' | 'flash';
type T = Translate<MessageKey<'call'>>;

/** The progress messages the page script (assets/handoff-call.js) reads, in the order of its events. */
export const CALL_SCRIPT_MESSAGES = [
  'stepCalling',
  'statusCalling',
  'stepRinging',
  'statusRinging',
  'statusRingingFlash',
  'stepAnswered',
  'statusAnsweredCode',
  'statusAnsweredApprove',
  'statusAnsweredFlash',
  'stepCodeRead',
  'statusCodeRead',
  'stepAsked',
  'statusAsked',
  'stepKeysReceived',
  'statusKeysReceived',
  'stepKeyPressed',
  'statusRepeating',
  'stepApproved',
  'statusApproved',
  'stepDenied',
  'statusDenied',
  'stepExpired',
  'statusExpired',
  'stepTooMany',
  'statusTooMany',
  'stepEnded',
  'statusEndedCode',
  'statusEndedEarly',
  'statusEndedFlash',
  'statusEnded',
  'stepMissed',
  'statusMissed',
  'stepNoAnswer',
  'statusNoAnswer',
  'stepBusy',
  'statusBusy',
  'stepDeclined',
  'statusDeclined',
  'stepFailed',
  'statusFailed',
  'stepCanceled',
  'statusCanceled',
  'statusAgain',
] as const satisfies ReadonlyArray<MessageKey<'call'>>;

/** `statusRinging` → `data-msg-status-ringing`, read by the script as `dataset.msgStatusRinging`. */
const dataAttribute = (key: string): string => `data-msg-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The script's progress messages in the page's language, as data-msg-* attributes (the script has no texts of its own). */
const scriptMessages = (t: T): SafeHtml[] => CALL_SCRIPT_MESSAGES.map((key) => html` ${dataAttribute(key)}="${t(key)}"`);

/**
 * The call's progress as the script fills it in: a status line (role=status, so screen readers
 * announce each step) and the steps so far. Without script the status line says what to expect.
 */
function progressRegion(t: T, progress: CallProgressView, mode: Mode, initial: string): SafeHtml {
  return html`<div class="call-progress" id="call-progress" data-events="${progress.eventsPath}" data-call="${progress.callSid ?? ''}" data-mode="${mode}"${scriptMessages(t)}>
<p class="call-status" id="call-status" role="status" aria-live="polite">${initial}</p>
<ol class="call-steps" id="call-steps" aria-label="${t('progressLabel')}"></ol>
</div>`;
}

const alertOf = (message: string | undefined): SafeHtml | undefined => (message !== undefined ? html`<div class="alert" id="form-error" role="alert">${message}</div>` : undefined);

/** The message split by where it shows: pages with a code field show a code's error at the field. */
const placed = (page: CallPageBase): { top: string | undefined; field: string | undefined } =>
  page.messageAt === 'page' ? { top: page.message, field: undefined } : { top: undefined, field: page.message };

/** A one-button form of the retry card. */
function retryForm(session: string, action: string, label: string, fields?: SafeHtml): SafeHtml {
  return html`<form method="post" action="${action}">
<input type="hidden" name="session" value="${session}">${fields}
<button type="submit" class="secondary">${label}</button>
</form>`;
}

function retryCard(title: string, forms: SafeHtml[]): SafeHtml {
  return html`<section class="card call-retry" id="call-retry" aria-labelledby="call-retry-title">
<h2 id="call-retry-title">${title}</h2>
${forms.map((form, i) => html`${i > 0 ? '\n' : ''}${form}`)}
</section>`;
}

const footer = (t: T, page: CallPageBase): SafeHtml => html`${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>`;

/** The code form of "Call me with a code": the call's progress live, the code form, and what to do if the call did not come. */
export function renderCallCode(page: CallCodePage): string {
  const t = translator(page.locale, 'call');
  const forms = [retryForm(page.session, '/handoff/phone', t('callAgain'), html`\n<input type="hidden" name="channel" value="call">`)];
  if (page.smsAllowed) forms.push(retryForm(page.session, '/handoff/phone', t('textInstead'), html`\n<input type="hidden" name="channel" value="sms">`));
  return layout(
    t('codeTitle'),
    html`<h1>${t('codeTitle')}</h1>
<p class="lead">${t.parts('codeLead', { phone: html`<span class="phone">${page.masked}</span>` })}</p>
${alertOf(placed(page).top)}
<section class="card">
${progressRegion(t, page.progress, 'code', t('codeStatus'))}
${phoneCodeForm(page.session, placed(page).field, page.locale)}
</section>
${retryCard(t('missedTheCall'), forms)}
${footer(t, page)}`,
    HANDOFF_CALL_JS_PATH,
    page.locale,
  );
}

/** "Approve with a call": the two digits to key in, the call's progress, and a continue form the script posts on an outcome. */
export function renderCallApproval(page: CallApprovalPage): string {
  const t = translator(page.locale, 'call');
  return layout(
    t('approveTitle'),
    html`<h1>${t('approveTitle')}</h1>
<p class="lead">${t.parts('approveLead', { phone: html`<span class="phone">${page.masked}</span>`, app: page.appName })}</p>
${alertOf(page.message)}
<section class="card">
<p class="hint" id="number-hint">${t('keyInOnCall')}</p>
<p class="number-match" id="number-match" aria-describedby="number-hint">${page.numberMatch}</p>
${progressRegion(t, page.progress, 'approve', t('approveStatus'))}
<form method="post" action="/handoff/call/continue" id="call-continue">
<input type="hidden" name="session" value="${page.session}">
<button type="submit">${t('approveContinue')}</button>
</form>
</section>
${retryCard(t('missedTheCall'), [retryForm(page.session, '/handoff/call', t('callAgain'))])}
${footer(t, page)}`,
    HANDOFF_CALL_JS_PATH,
    page.locale,
  );
}

/** A flash call: the caller id's start, the form for its last digits, and the call's progress. */
export function renderFlashCall(page: FlashCallPage): string {
  const t = translator(page.locale, 'call');
  const { top, field } = placed(page);
  const invalid = field !== undefined;
  return layout(
    t('flashTitle'),
    html`<h1>${t('flashTitle')}</h1>
<p class="lead">${t.parts('flashLead', { prefix: html`<span class="phone">${page.callerIdPrefix}</span>`, digits: page.digits })}</p>
${alertOf(top)}
<section class="card">
${progressRegion(t, page.progress, 'flash', t('flashStatus', { last: page.masked.slice(-2) }))}
<form method="post" action="/handoff/flashcall/check">
<input type="hidden" name="session" value="${page.session}">
<label for="flash-code">${t('flashLabel', { digits: page.digits })}</label>
${fieldError('flash-code', field)}<input type="text" id="flash-code" name="code" inputmode="numeric" pattern="[0-9 +]*" autocomplete="off" maxlength="20" required aria-describedby="flash-hint${invalid ? ' flash-code-error' : ''}"${invalid ? html` aria-invalid="true"` : ''} autofocus>
<p class="hint" id="flash-hint">${t('flashHint', { prefix: page.callerIdPrefix, digits: page.digits })}</p>
<button type="submit">${t('verify')}</button>
</form>
</section>
${retryCard(t('noCall'), [retryForm(page.session, '/handoff/flashcall', t('callAgain'))])}
${footer(t, page)}`,
    HANDOFF_CALL_JS_PATH,
    page.locale,
  );
}
