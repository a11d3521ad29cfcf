import type { PageLocale } from '../../i18n/locales.ts';
import { translator, type MessageKey, type Translate as Translator } from '../../i18n/translator.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { icon } from '../../pages/icons.ts';
import { anotherWayForm, layout } from '../../hosted/handoff-pages.ts';

/** The recording page's script (assets/handoff-voiceprint.js; it loads its own audio worklet). */
const VOICEPRINT_JS_PATH = '/handoff/assets/handoff-voiceprint.js';

export interface VoiceprintRecorderPage {
  /** `verify`: one recording answers the challenge; `enroll`: takes until the voiceprint is made. */
  mode: 'verify' | 'enroll';
  appName: string;
  session: string;
  /** The phrase to say, when known (a voiceprint enrolled on a call has the user's own phrase). */
  phrase: string | undefined;
  /** Digits mode: the digits to say ("4 7 1 9 3"), shown instead of the phrase (the script updates it between enrolment takes). */
  prompt?: string | undefined;
  uploadPath: string;
  /** The way back to the application: the session's return path (session-links.ts), a signed error result. */
  leave: string;
  progress?: { accepted: number; needed: number } | undefined;
  /** Enrollment: the set-up page to return to (a form posting the session). */
  hubPath?: string | undefined;
  /** The page language (the session's); English when absent. */
  locale?: PageLocale | undefined;
}

const sessionField = (sealed: string): SafeHtml => html`<input type="hidden" name="session" value="${sealed}">`;

function hubForm(hubPath: string, sealed: string, label: string, id: string, hidden = false): SafeHtml {
  return html`<form method="post" action="${hubPath}" id="${id}"${hidden ? html` hidden` : ''}>
${sessionField(sealed)}
<button type="submit">${label}</button>
</form>`;
}

/**
 * The recording page: the phrase, Record / Stop, a level meter and timer, and the status line the
 * script fills in (role=status) or an alert (role=alert) for problems. The script records 16 kHz
 * PCM WAV and uploads it with the sealed session; every decision is the server's. Without script
 * or microphone the page says so, and "Try another way" (or the set-up page) is always there.
 */
export function renderVoiceprintRecorder(page: VoiceprintRecorderPage): string {
  const t = translator(page.locale, 'voiceprint');
  const enroll = page.mode === 'enroll';
  const title = t(enroll ? 'enrollTitle' : 'verifyTitle');
  const needed = page.progress?.needed ?? 3;
  const lead = page.prompt
    ? t(enroll ? 'digitsEnrollLead' : 'digitsVerifyLead', { needed, app: page.appName })
    : enroll ? t('enrollLead', { needed, app: page.appName }) : t('verifyLead', { app: page.appName });
  const phrase = page.prompt
    ? html`<p class="hint" id="vp-phrase-label">${t('sayDigitsLabel')}</p>
<p class="phrase" id="vp-phrase" aria-describedby="vp-phrase-label">${t('sayPrompt', { prompt: page.prompt })}</p>`
    : page.phrase
    ? html`<p class="hint" id="vp-phrase-label">${t(enroll ? 'sayThisPhrase' : 'sayYourPhrase')}</p>
<p class="phrase" id="vp-phrase" aria-describedby="vp-phrase-label">${t('quotedPhrase', { phrase: page.phrase })}</p>`
    : html`<p id="vp-phrase">${t('unknownPhrase')}</p>`;
  const progress =
    enroll && page.progress ? html`<p id="vp-progress" role="status">${t('takeOf', { take: Math.min(page.progress.accepted + 1, page.progress.needed), needed: page.progress.needed })}</p>` : '';
  const data = [
    html`data-mode="${page.mode}"`,
    html`data-upload="${page.uploadPath}"`,
    html`data-session="${page.session}"`,
    ...(page.progress ? [html`data-accepted="${page.progress.accepted}"`, html`data-needed="${page.progress.needed}"`] : []),
    // Sign-in records from the chooser's one click: the page starts the microphone by itself.
    ...(enroll ? [] : [html`data-autostart="true"`]),
    ...scriptMessages(t, enroll, page.prompt !== undefined),
    // Digits mode: the script shows each enrolment take's own digits ({prompt}) when an answer names them.
    html`data-msg-say-prompt="${t('sayPrompt')}"`,
  ].map((attribute, i) => html`${i > 0 ? ' ' : ''}${attribute}`);
  const after = enroll
    ? html`${hubForm(page.hubPath ?? '/handoff/enroll', page.session, t('continue'), 'vp-done', true)}
<form method="post" action="${page.hubPath ?? '/handoff/enroll'}" class="another-way" id="vp-back">
${sessionField(page.session)}
<button type="submit" class="link">${t('anotherMethod')}</button>
</form>`
    : anotherWayForm(page.session, page.locale);
  return layout(
    title,
    html`<div class="factor-badge">${icon('voice')}</div>
<h1>${title}</h1>
<p class="lead">${lead}</p>
<div class="alert" id="vp-alert" role="alert" hidden></div>
<section class="card recorder" id="voiceprint" aria-labelledby="vp-title" ${data}>
<h2 id="vp-title">${t(enroll ? 'recordTitle' : 'yourVoice')}</h2>
${phrase}
${progress}
<label for="vp-level">${t('level')}</label>
<meter id="vp-level" min="0" max="1" low="0.05" high="0.9" optimum="0.4" value="0">${t('silent')}</meter>
<p class="timer" id="vp-timer" aria-hidden="true">0.0 s</p>
<p class="hint" id="vp-status" role="status" aria-live="polite">${t(enroll ? 'statusIdle' : page.prompt ? 'digitsAutoStartHint' : 'autoStartHint')}</p>
<noscript><div class="alert" role="alert">${t('noScript', { fallback: t(enroll ? 'fallbackSentenceEnroll' : 'fallbackSentenceVerify') })}</div></noscript>
<button type="button" id="vp-record" hidden>${t('record')}</button>
<button type="button" id="vp-stop" hidden>${t('stop')}</button>
</section>
${after}
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>`,
    VOICEPRINT_JS_PATH,
    page.locale,
  );
}

type Translate = Translator<MessageKey<'voiceprint'>>;

/**
 * The script's texts in the page's language, as data-msg-* attributes on the recorder (the script
 * has no texts of its own). What to do instead is filled in for the page's mode; the other
 * `{placeholders}` ({take}, {needed}, {saved}, {error}, {status}) are the script's to fill.
 */
function scriptMessages(t: Translate, enroll: boolean, digits: boolean): SafeHtml[] {
  const fallback = t(enroll ? 'fallbackEnroll' : 'fallbackVerify');
  const texts: Array<[string, string]> = [
    ['take-progress', t('jsTakeProgress')],
    ['all-takes', t('jsAllTakes')],
    ['no-audio', t('jsNoAudio', { fallback: t(enroll ? 'fallbackSentenceEnroll' : 'fallbackSentenceVerify') })],
    ['mic-blocked', t('jsMicBlocked', { fallback })],
    ['no-mic', t('jsNoMic', { fallback })],
    ['could-not-start', t('jsCouldNotStart', { fallback })],
    ['unknown-error', t('jsUnknownError')],
    ['press-record', t('jsPressRecord')],
    ['starting', t('jsStarting')],
    ['recording', t(digits ? 'jsRecordingDigits' : 'jsRecording')],
    ['checking', t('jsChecking')],
    ['network', t('jsNetwork')],
    ['server-error', t('jsServerError', { fallback })],
    ['matched', t('jsMatched')],
    ['all-takes-done', t('jsAllTakesDone')],
    ['set-up', t('jsSetUp')],
    ['stopped', t(enroll ? 'jsStoppedEnroll' : 'jsStoppedVerify')],
    ['take-saved', t('jsTakeSaved')],
    ['try-again', t('jsTryAgain')],
  ];
  return texts.map(([name, text]) => html`data-msg-${name}="${text}"`);
}

export interface VoiceprintNoticePage {
  appName: string;
  session: string;
  message: string;
  hubPath: string;
  locale?: PageLocale | undefined;
}

/** Voice set-up refused (no other factor yet, no models): the reason, and the way back to the set-up page. */
export function renderVoiceprintNotice(page: VoiceprintNoticePage): string {
  const t = translator(page.locale, 'voiceprint');
  return layout(
    t('noticeTitle'),
    html`<h1>${t('noticeTitle')}</h1>
<div class="alert" role="alert">${page.message}</div>
${hubForm(page.hubPath, page.session, t('backToSetup'), 'vp-back')}`,
    undefined,
    page.locale,
  );
}
