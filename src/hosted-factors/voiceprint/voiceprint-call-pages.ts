import type { PageLocale } from '../../i18n/locales.ts';
import { translator, type MessageKey, type Translate } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { icon } from '../../pages/icons.ts';
import { anotherWayForm, layout } from '../../hosted/handoff-pages.ts';
import type { FactorOption } from '../../handoff/factor-options.ts';

/** The script of the call page (assets/handoff-voiceprint-call.js): it follows the call live; the page works without it. */
const VOICEPRINT_CALL_JS_PATH = '/handoff/assets/handoff-voiceprint-call.js';

type T = Translate<MessageKey<'voicecall'>>;

/** One event of the call as the page shows it (never a score: the stream's events carry none). */
interface ShownEvent {
  sequence: number;
  event: string;
  data: Record<string, unknown>;
}

export interface VoiceprintCallView {
  /** `verify`: the sign-in's voice check; `enroll`: the hub's voice set-up (three takes). */
  purpose: 'verify' | 'enroll';
  appName: string;
  /** The hand-off session, posted back by every form. */
  session: string;
  /** The number called, all but its last 2 digits hidden. */
  masked: string;
  /** The pass phrase to say, when known. */
  phrase: string | undefined;
  /** Digits mode (`Voiceprint.Mode`): the sign-in's prompt digits ("4 7 1 9"), or `on_call` when the call reads them out (enrolment). */
  digits?: string | undefined;
  factorSid: string;
  /** The call's progress stream (a path on this server) while the call is live; absent once it ended. */
  eventsPath: string | undefined;
  /** The call's events so far, shown without script too. */
  events: ShownEvent[];
  /** The way back to the application: the session's return path. */
  leave: string;
  message?: string | undefined;
  locale?: PageLocale | undefined;
}

/**
 * What the page shows per state of the call: a short step label and the status line. A state is an
 * event, or for `scored` its decision. Both the page (now) and its script (live) use this table: the
 * script reads the texts as data-msg-step-* / data-msg-status-* attributes.
 */
const STATES: Record<string, { step: MessageKey<'voicecall'>; status: MessageKey<'voicecall'>; enrollStatus?: MessageKey<'voicecall'> }> = {
  queued: { step: 'stepCalling', status: 'statusCalling' },
  ringing: { step: 'stepRinging', status: 'statusRinging' },
  answered: { step: 'stepAnswered', status: 'statusAnswered' },
  prompt: { step: 'stepAsked', status: 'statusAsked', enrollStatus: 'statusAskedEnroll' },
  recording: { step: 'stepRecording', status: 'statusRecording', enrollStatus: 'statusRecordingEnroll' },
  match: { step: 'stepMatched', status: 'statusMatched' },
  'no-match': { step: 'stepNoMatch', status: 'statusNoMatch' },
  unclear: { step: 'stepUnclear', status: 'statusUnclear' },
  kept: { step: 'stepKept', status: 'statusKept' },
  refused: { step: 'stepUnclear', status: 'statusRefused' },
  approved: { step: 'stepApproved', status: 'statusApproved', enrollStatus: 'statusApprovedEnroll' },
  denied: { step: 'stepDenied', status: 'statusDenied' },
  'gave-up': { step: 'stepGaveUp', status: 'statusGaveUp' },
  completed: { step: 'stepEnded', status: 'statusEnded' },
  'no-answer': { step: 'stepNoAnswer', status: 'statusNoAnswer' },
  busy: { step: 'stepBusy', status: 'statusBusy' },
  declined: { step: 'stepDeclined', status: 'statusDeclined' },
  canceled: { step: 'stepCanceled', status: 'statusCanceled' },
  'call-failed': { step: 'stepFailed', status: 'statusFailed' },
};

/** The states of a judged take: the prompt that follows them is not shown again. */
const JUDGED = new Set(['match', 'no-match', 'unclear', 'kept', 'refused']);

/** The state an event puts the call in; null for events the page does not show. Mirrored by the script's `stateOf`. */
export function stateOf(event: string, data: Record<string, unknown>, answered: boolean): string | null {
  switch (event) {
    case 'prompt_played':
      return 'prompt';
    case 'scored': {
      const decision = data['decision'];
      if (decision === 'match' || decision === 'kept' || decision === 'refused') return decision;
      return decision === 'no_match' ? 'no-match' : 'unclear';
    }
    case 'rejected':
      return 'declined';
    // An outcome `failed` once answered (the call gave up); before, the call itself failed.
    case 'failed':
      return answered ? 'gave-up' : 'call-failed';
    default:
      return event in STATES ? event : null;
  }
}

/** `statusKept` → `data-msg-status-kept`: the state's texts as data attributes, in the page's language. */
function scriptMessages(t: T, purpose: VoiceprintCallView['purpose']): SafeHtml[] {
  return Object.entries(STATES).map(([state, texts]) => html` data-msg-step-${state}="${t(texts.step)}" data-msg-status-${state}="${t((purpose === 'enroll' && texts.enrollStatus) || texts.status)}"`);
}

/** The steps so far (one per change) and the status line now, as the script would show them. */
function shownSoFar(t: T, view: VoiceprintCallView): { steps: string[]; status: string | undefined; state: string | null } {
  const steps: string[] = [];
  let status: string | undefined;
  let answered = false;
  let last: string | null = null;
  for (const e of view.events) {
    if (e.event === 'answered') answered = true;
    const state = stateOf(e.event, e.data, answered);
    const texts = state ? STATES[state] : undefined;
    // "Say it again" after a take was judged: the judgement already says so (the script does the same).
    if (!texts || (state === 'prompt' && last !== null && JUDGED.has(last))) continue;
    last = state;
    const step = t(texts.step);
    if (steps.at(-1) !== step) steps.push(step);
    status = t((view.purpose === 'enroll' && texts.enrollStatus) || texts.status);
  }
  return { steps, status, state: last };
}

const sessionField = (sealed: string): SafeHtml => html`<input type="hidden" name="session" value="${sealed}">`;

function oneButton(action: string, sealed: string, label: string | SafeHtml, extra?: SafeHtml, className = 'secondary'): SafeHtml {
  return html`<form method="post" action="${action}">
${sessionField(sealed)}${extra}
<button type="submit" class="${className}">${label}</button>
</form>`;
}

/**
 * "Call me and I will say my phrase": the call's progress (live with script; without it, as far as
 * it got when the page was made, with a Refresh button), the phrase, and the ways on: call again,
 * record with the microphone, another way (or back to set-up), cancel.
 */
export function renderVoiceprintCall(view: VoiceprintCallView): string {
  const t = translator(view.locale, 'voicecall');
  const enroll = view.purpose === 'enroll';
  const title = t(enroll ? 'enrollTitle' : 'signInTitle');
  const phone = html`<span class="phone">${view.masked}</span>`;
  const factor = enroll ? undefined : html`\n<input type="hidden" name="factor" value="${view.factorSid}">`;
  const base = enroll ? '/handoff/enroll/voiceprint' : '/handoff/voiceprint';
  const { steps, status, state } = shownSoFar(t, view);
  const lastSequence = view.events.at(-1)?.sequence ?? 0;
  const ended = view.eventsPath === undefined;
  const digits =
    view.digits === 'on_call'
      ? html`<p id="voicecall-phrase">${t('digitsOnCall')}</p>`
      : view.digits !== undefined
        ? html`<p class="hint" id="voicecall-phrase-label">${t('digitsLabel')}</p>
<p class="phrase" id="voicecall-phrase" aria-describedby="voicecall-phrase-label">${view.digits}</p>`
        : undefined;
  const phrase =
    digits ??
    (view.phrase !== undefined
      ? html`<p class="hint" id="voicecall-phrase-label">${t('phraseLabel')}</p>
<p class="phrase" id="voicecall-phrase" aria-describedby="voicecall-phrase-label">${t('quotedPhrase', { phrase: view.phrase })}</p>`
      : html`<p id="voicecall-phrase">${t('unknownPhrase')}</p>`);
  const region = html`<div class="call-progress" id="voicecall-progress" data-events="${view.eventsPath ?? ''}" data-seq="${lastSequence}" data-state="${state ?? ''}"${ended ? html` data-outcome="failed"` : ''}${scriptMessages(t, view.purpose)}>
<p class="call-status" id="voicecall-status" role="status" aria-live="polite">${status ?? t('statusWaiting')}</p>
<ol class="call-steps" id="voicecall-steps" aria-label="${t('progressLabel')}">${steps.map((s) => html`<li>${s}</li>`)}</ol>
</div>`;
  const way = enroll
    ? html`<form method="post" action="/handoff/enroll" class="another-way">
${sessionField(view.session)}
<button type="submit" class="link">${t('backToSetup')}</button>
</form>`
    : anotherWayForm(view.session, view.locale);
  return layout(
    title,
    html`<h1>${title}</h1>
<p class="lead">${t.parts(ended ? 'calledLead' : enroll ? 'enrollLead' : 'signInLead', { phone, app: view.appName })}</p>
${view.message !== undefined ? ended ? html`<div class="alert" id="form-error" role="alert">${view.message}</div>` : html`<div class="notice" id="form-status" role="status">${view.message}</div>` : ''}
<section class="card">
${phrase}
${region}
${ended
  ? html`<p class="hint">${t('endedHint')}</p>`
  : html`<form method="post" action="${base}/call/continue" id="voicecall-continue">
${sessionField(view.session)}
<button type="submit" class="secondary">${icon('refresh')}${t('refresh')}</button>
</form>
<p class="hint">${t('noScriptHint')}</p>`}
</section>
<section class="card call-retry${ended ? ' attention' : ''}" id="call-retry" aria-labelledby="call-retry-title">
<h2 id="call-retry-title">${t('retryTitle')}</h2>
${oneButton(`${base}/call`, view.session, html`${icon('call')}${t('callAgain')}`, factor)}
${oneButton(base, view.session, html`${icon('voice')}${t('useMicrophone')}`, factor)}
</section>
${way}
<p class="hint"><a href="${view.leave}">${t('cancel', { app: view.appName })}</a></p>`,
    VOICEPRINT_CALL_JS_PATH,
    view.locale,
  );
}

/** The number a sign-in voice call would go to, masked, if the chooser offers calls to it. */
export function callableNumber(options: FactorOption[]): string | undefined {
  for (const option of options) {
    if (option.kind === 'phone' && option.channel === 'call') return option.masked;
    if (option.kind === 'phone_call') return option.masked;
  }
  return undefined;
}

/** The second form of the chooser's voice card: "Call me and I will say my phrase" to the masked number. */
export function callMeForm(sealed: string, factorSid: string, masked: string, locale: PageLocale | undefined): SafeHtml {
  const t = translator(locale, 'voicecall');
  return html`<p class="hint">${t.parts('callMeHint', { phone: html`<span class="phone">${masked}</span>` })}</p>
${oneButton('/handoff/voiceprint/call', sealed, html`${icon('call')}${t('callMe')}`, html`\n<input type="hidden" name="factor" value="${factorSid}">`)}`;
}

/** The hub card's second form: set up the voice on a call. */
export function hubCallMeForm(sealed: string, locale: PageLocale | undefined): SafeHtml {
  const t = translator(locale, 'voicecall');
  return html`<p class="hint">${t('hubCallMeHint')}</p>
${oneButton('/handoff/enroll/voiceprint/call', sealed, html`${icon('call')}${t('callMe')}`)}`;
}
