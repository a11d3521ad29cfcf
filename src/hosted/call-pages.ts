import { CALL_MESSAGES, CALL_SCRIPT_MESSAGES, type CallMessageKey } from './call-messages.ts';
import { anotherWayForm, escapeHtml, fieldError, layout, phoneCodeForm } from './handoff-pages.ts';
import { translator, type MessageParams, type PageLocale } from './i18n.ts';

/** The script of the call pages (src/hosted/assets/handoff-call.js): it follows the call's progress; every page works without it. */
export const HANDOFF_CALL_JS_PATH = '/handoff/assets/handoff-call.js';

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
type T = (key: CallMessageKey, params?: MessageParams) => string;

/** A message as HTML: its text escaped, then its `{name}` placeholders replaced by the given markup. */
function withMarkup(t: T, key: CallMessageKey, markup: Record<string, string>, params: MessageParams = {}): string {
  return escapeHtml(t(key, params)).replace(/\{(\w+)\}/g, (whole, name: string) => markup[name] ?? whole);
}

/** `statusRinging` → `data-msg-status-ringing`, read by the script as `dataset.msgStatusRinging`. */
const dataAttribute = (key: string): string => `data-msg-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The script's progress messages in the page's language (the script keeps English fallbacks). */
const scriptMessages = (t: T): string => CALL_SCRIPT_MESSAGES.map((key) => ` ${dataAttribute(key)}="${escapeHtml(t(key))}"`).join('');

/**
 * The call's progress as the script fills it in: a status line (role=status, so screen readers
 * announce each step) and the steps so far. Without script the status line says what to expect.
 */
function progressRegion(t: T, progress: CallProgressView, mode: Mode, initial: string): string {
  return `<div class="call-progress" id="call-progress" data-events="${escapeHtml(progress.eventsPath)}" data-call="${escapeHtml(progress.callSid ?? '')}" data-mode="${mode}"${scriptMessages(t)}>
<p class="call-status" id="call-status" role="status" aria-live="polite">${escapeHtml(initial)}</p>
<ol class="call-steps" id="call-steps" aria-label="${escapeHtml(t('progressLabel'))}"></ol>
</div>`;
}

const alertOf = (message: string | undefined): string => (message !== undefined ? `<div class="alert" id="form-error" role="alert">${escapeHtml(message)}</div>` : '');

/** The message split by where it shows: pages with a code field show a code's error at the field. */
const placed = (page: CallPageBase): { top: string | undefined; field: string | undefined } =>
  page.messageAt === 'page' ? { top: page.message, field: undefined } : { top: undefined, field: page.message };

/** A one-button form of the retry card. */
function retryForm(session: string, action: string, label: string, fields = ''): string {
  return `<form method="post" action="${action}">
<input type="hidden" name="session" value="${escapeHtml(session)}">${fields}
<button type="submit" class="secondary">${escapeHtml(label)}</button>
</form>`;
}

function retryCard(title: string, forms: string[]): string {
  return `<section class="card call-retry" id="call-retry" aria-labelledby="call-retry-title">
<h2 id="call-retry-title">${escapeHtml(title)}</h2>
${forms.join('\n')}
</section>`;
}

const footer = (t: T, page: CallPageBase): string => `${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${escapeHtml(page.leave)}">${escapeHtml(t('cancel', { app: page.appName }))}</a></p>`;

/** The code form of "Call me with a code": the call's progress live, the code form, and what to do if the call did not come. */
export function renderCallCode(page: CallCodePage): string {
  const t = translator(CALL_MESSAGES, page.locale);
  const forms = [retryForm(page.session, '/handoff/phone', t('callAgain'), '\n<input type="hidden" name="channel" value="call">')];
  if (page.smsAllowed) forms.push(retryForm(page.session, '/handoff/phone', t('textInstead'), '\n<input type="hidden" name="channel" value="sms">'));
  return layout(
    t('codeTitle'),
    `<h1>${escapeHtml(t('codeTitle'))}</h1>
<p class="lead">${withMarkup(t, 'codeLead', { phone: `<span class="phone">${escapeHtml(page.masked)}</span>` })}</p>
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
  const t = translator(CALL_MESSAGES, page.locale);
  return layout(
    t('approveTitle'),
    `<h1>${escapeHtml(t('approveTitle'))}</h1>
<p class="lead">${withMarkup(t, 'approveLead', { phone: `<span class="phone">${escapeHtml(page.masked)}</span>`, app: escapeHtml(page.appName) })}</p>
${alertOf(page.message)}
<section class="card">
<p class="hint" id="number-hint">${escapeHtml(t('keyInOnCall'))}</p>
<p class="number-match" id="number-match" aria-describedby="number-hint">${escapeHtml(page.numberMatch)}</p>
${progressRegion(t, page.progress, 'approve', t('approveStatus'))}
<form method="post" action="/handoff/call/continue" id="call-continue">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<button type="submit">${escapeHtml(t('approveContinue'))}</button>
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
  const t = translator(CALL_MESSAGES, page.locale);
  const { top, field } = placed(page);
  const invalid = field !== undefined;
  return layout(
    t('flashTitle'),
    `<h1>${escapeHtml(t('flashTitle'))}</h1>
<p class="lead">${withMarkup(t, 'flashLead', { prefix: `<span class="phone">${escapeHtml(page.callerIdPrefix)}</span>` }, { digits: page.digits })}</p>
${alertOf(top)}
<section class="card">
${progressRegion(t, page.progress, 'flash', t('flashStatus', { last: page.masked.slice(-2) }))}
<form method="post" action="/handoff/flashcall/check">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<label for="flash-code">${escapeHtml(t('flashLabel', { digits: page.digits }))}</label>
${fieldError('flash-code', field)}<input type="text" id="flash-code" name="code" inputmode="numeric" pattern="[0-9 +]*" autocomplete="off" maxlength="20" required aria-describedby="flash-hint${invalid ? ' flash-code-error' : ''}"${invalid ? ' aria-invalid="true"' : ''} autofocus>
<p class="hint" id="flash-hint">${escapeHtml(t('flashHint', { prefix: page.callerIdPrefix, digits: page.digits }))}</p>
<button type="submit">${escapeHtml(t('verify'))}</button>
</form>
</section>
${retryCard(t('noCall'), [retryForm(page.session, '/handoff/flashcall', t('callAgain'))])}
${footer(t, page)}`,
    HANDOFF_CALL_JS_PATH,
    page.locale,
  );
}
