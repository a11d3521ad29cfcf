import { anotherWayForm, escapeHtml, layout, phoneCodeForm } from './handoff-pages.ts';

/** The script of the call pages (src/hosted/assets/handoff-call.js): it follows the call's progress; every page works without it. */
export const HANDOFF_CALL_JS_PATH = '/handoff/assets/handoff-call.js';

/** A verification's progress stream (a path on this server) and the call the page follows (older calls of it are ignored). */
export interface CallProgressView {
  eventsPath: string;
  callSid: string | undefined;
}

interface CallPageBase {
  appName: string;
  /** The sealed hand-off session, posted back by every form. */
  session: string;
  /** The number with all but its last 2 digits hidden. */
  masked: string;
  progress: CallProgressView;
  returnTo: string;
  message?: string | undefined;
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

/**
 * The call's progress as the script fills it in: a status line (role=status, so screen readers
 * announce each step) and the steps so far. Without script the status line says what to expect.
 */
function progressRegion(progress: CallProgressView, mode: Mode, initial: string): string {
  return `<div class="call-progress" id="call-progress" data-events="${escapeHtml(progress.eventsPath)}" data-call="${escapeHtml(progress.callSid ?? '')}" data-mode="${mode}">
<p class="call-status" id="call-status" role="status" aria-live="polite">${escapeHtml(initial)}</p>
<ol class="call-steps" id="call-steps" aria-label="Call progress"></ol>
</div>`;
}

const alertOf = (message: string | undefined): string => (message !== undefined ? `<div class="alert" id="form-error" role="alert">${escapeHtml(message)}</div>` : '');

/** A one-button form of the retry card. */
function retryForm(session: string, action: string, label: string, fields = ''): string {
  return `<form method="post" action="${action}">
<input type="hidden" name="session" value="${escapeHtml(session)}">${fields}
<button type="submit" class="secondary">${label}</button>
</form>`;
}

function retryCard(title: string, forms: string[]): string {
  return `<section class="card call-retry" id="call-retry" aria-labelledby="call-retry-title">
<h2 id="call-retry-title">${title}</h2>
${forms.join('\n')}
</section>`;
}

const footer = (page: CallPageBase): string => `${anotherWayForm(page.session)}
<p class="hint"><a href="${escapeHtml(page.returnTo)}">Cancel and go back to ${escapeHtml(page.appName)}</a></p>`;

/** The code form of "Call me with a code": the call's progress live, the code form, and what to do if the call did not come. */
export function renderCallCode(page: CallCodePage): string {
  const forms = [retryForm(page.session, '/handoff/phone', 'Call again', '\n<input type="hidden" name="channel" value="call">')];
  if (page.smsAllowed) forms.push(retryForm(page.session, '/handoff/phone', 'Text me instead', '\n<input type="hidden" name="channel" value="sms">'));
  return layout(
    'Enter your code',
    `<h1>Enter your code</h1>
<p class="lead">We are calling <span class="phone">${escapeHtml(page.masked)}</span> to read you a code. Answer, listen, and enter the code here.</p>
${alertOf(page.message)}
<section class="card">
${progressRegion(page.progress, 'code', 'We are calling your phone.')}
${phoneCodeForm(page.session, page.message !== undefined)}
</section>
${retryCard('Missed the call?', forms)}
${footer(page)}`,
    HANDOFF_CALL_JS_PATH,
  );
}

/** "Approve with a call": the two digits to key in, the call's progress, and a continue form the script posts on an outcome. */
export function renderCallApproval(page: CallApprovalPage): string {
  return layout(
    'Approve with a call',
    `<h1>Approve with a call</h1>
<p class="lead">We are calling <span class="phone">${escapeHtml(page.masked)}</span>. Answer, and when asked, key in this number to approve your sign-in to ${escapeHtml(page.appName)}.</p>
${alertOf(page.message)}
<section class="card">
<p class="hint" id="number-hint">Key in on the call:</p>
<p class="number-match" id="number-match" aria-describedby="number-hint">${escapeHtml(page.numberMatch)}</p>
${progressRegion(page.progress, 'approve', 'We are calling your phone. This page continues by itself once you answer on the call.')}
<form method="post" action="/handoff/call/continue" id="call-continue">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<button type="submit">I keyed it in — continue</button>
</form>
</section>
${retryCard('Missed the call?', [retryForm(page.session, '/handoff/call', 'Call again')])}
${footer(page)}`,
    HANDOFF_CALL_JS_PATH,
  );
}

/** A flash call: the caller id's start, the form for its last digits, and the call's progress. */
export function renderFlashCall(page: FlashCallPage): string {
  const invalid = page.message !== undefined;
  return layout(
    'Enter the caller’s number',
    `<h1>Enter the caller’s number</h1>
<p class="lead">We are calling you from a number starting with <span class="phone">${escapeHtml(page.callerIdPrefix)}</span>: enter its last ${page.digits} digits. You need not answer: the call stops by itself.</p>
${alertOf(page.message)}
<section class="card">
${progressRegion(page.progress, 'flash', `We are calling your number ending in ${page.masked.slice(-2)}.`)}
<form method="post" action="/handoff/flashcall/check">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<label for="flash-code">Last ${page.digits} digits of the caller’s number</label>
<input type="text" id="flash-code" name="code" inputmode="numeric" pattern="[0-9 +]*" autocomplete="off" maxlength="20" required aria-describedby="flash-hint${invalid ? ' form-error' : ''}"${invalid ? ' aria-invalid="true"' : ''} autofocus>
<p class="hint" id="flash-hint">The number starts with ${escapeHtml(page.callerIdPrefix)}; type only what follows (${page.digits} digits).</p>
<button type="submit">Verify</button>
</form>
</section>
${retryCard('No call?', [retryForm(page.session, '/handoff/flashcall', 'Call again')])}
${footer(page)}`,
    HANDOFF_CALL_JS_PATH,
  );
}
