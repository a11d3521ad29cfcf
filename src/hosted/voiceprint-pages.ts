import { anotherWayForm, escapeHtml, layout } from './handoff-pages.ts';

/** The recording page's script (src/hosted/assets/handoff-voiceprint.js) and its audio worklet. */
export const VOICEPRINT_JS_PATH = '/handoff/assets/handoff-voiceprint.js';
export const VOICEPRINT_WORKLET_PATH = '/handoff/assets/handoff-voiceprint-worklet.js';

export interface VoiceprintRecorderPage {
  /** `verify`: one recording answers the challenge; `enroll`: takes until the voiceprint is made. */
  mode: 'verify' | 'enroll';
  appName: string;
  session: string;
  /** The phrase to say, when known (a voiceprint enrolled on a call has the user's own phrase). */
  phrase: string | undefined;
  uploadPath: string;
  returnTo: string;
  progress?: { accepted: number; needed: number } | undefined;
  /** Enrollment: the set-up page to return to (a form posting the session). */
  hubPath?: string | undefined;
}

const sessionField = (sealed: string): string => `<input type="hidden" name="session" value="${escapeHtml(sealed)}">`;

function hubForm(hubPath: string, sealed: string, label: string, id: string, hidden = false): string {
  return `<form method="post" action="${escapeHtml(hubPath)}" id="${id}"${hidden ? ' hidden' : ''}>
${sessionField(sealed)}
<button type="submit">${escapeHtml(label)}</button>
</form>`;
}

/**
 * The recording page: the phrase, Record / Stop, a level meter and timer, and the status line the
 * script fills in (role=status) or an alert (role=alert) for problems. The script records 16 kHz
 * PCM WAV and uploads it with the sealed session; every decision is the server's. Without script
 * or microphone the page says so, and "Try another way" (or the set-up page) is always there.
 */
export function renderVoiceprintRecorder(page: VoiceprintRecorderPage): string {
  const enroll = page.mode === 'enroll';
  const title = enroll ? 'Set up voice sign-in' : 'Sign in with your voice';
  const lead = enroll
    ? `Record the phrase below ${page.progress?.needed ?? 3} times, in your normal voice, somewhere quiet. Your voice then works as a second factor for ${escapeHtml(page.appName)}.`
    : `Say your pass phrase to confirm your sign-in to ${escapeHtml(page.appName)}.`;
  const phrase = page.phrase
    ? `<p class="hint" id="vp-phrase-label">${enroll ? 'Say this phrase:' : 'Say your phrase:'}</p>
<p class="phrase" id="vp-phrase" aria-describedby="vp-phrase-label">“${escapeHtml(page.phrase)}”</p>`
    : '<p id="vp-phrase">Say the pass phrase you recorded when you set up your voice.</p>';
  const progress = enroll && page.progress ? `<p id="vp-progress" role="status">Take ${Math.min(page.progress.accepted + 1, page.progress.needed)} of ${page.progress.needed}</p>` : '';
  const data = [
    `data-mode="${page.mode}"`,
    `data-upload="${escapeHtml(page.uploadPath)}"`,
    `data-session="${escapeHtml(page.session)}"`,
    ...(page.progress ? [`data-accepted="${page.progress.accepted}"`, `data-needed="${page.progress.needed}"`] : []),
  ].join(' ');
  const after = enroll
    ? `${hubForm(page.hubPath ?? '/handoff/enroll', page.session, 'Continue', 'vp-done', true)}
<form method="post" action="${escapeHtml(page.hubPath ?? '/handoff/enroll')}" class="another-way" id="vp-back">
${sessionField(page.session)}
<button type="submit" class="link">Set up another method instead</button>
</form>`
    : anotherWayForm(page.session);
  return layout(
    title,
    `<h1>${title}</h1>
<p class="lead">${lead}</p>
<div class="alert" id="vp-alert" role="alert" hidden></div>
<section class="card recorder" id="voiceprint" aria-labelledby="vp-title" ${data}>
<h2 id="vp-title">${enroll ? 'Record your voice' : 'Your voice'}</h2>
${phrase}
${progress}
<label for="vp-level">Microphone level</label>
<meter id="vp-level" min="0" max="1" low="0.05" high="0.9" optimum="0.4" value="0">silent</meter>
<p class="timer" id="vp-timer" aria-hidden="true">0.0 s</p>
<p class="hint" id="vp-status" role="status" aria-live="polite">Press Record, then say the phrase. Recording stops by itself when you finish.</p>
<noscript><div class="alert" role="alert">Recording your voice needs JavaScript and a microphone. ${enroll ? 'Set up another method instead.' : 'Use “Try another way”.'}</div></noscript>
<button type="button" id="vp-record" hidden>Record</button>
<button type="button" id="vp-stop" hidden>Stop</button>
</section>
${after}
<p class="hint"><a href="${escapeHtml(page.returnTo)}">Cancel and go back to ${escapeHtml(page.appName)}</a></p>`,
    VOICEPRINT_JS_PATH,
  );
}

export interface VoiceprintNoticePage {
  appName: string;
  session: string;
  message: string;
  hubPath: string;
}

/** Voice set-up refused (no other factor yet, no models): the reason, and the way back to the set-up page. */
export function renderVoiceprintNotice(page: VoiceprintNoticePage): string {
  return layout(
    'Voice sign-in cannot be set up yet',
    `<h1>Voice sign-in cannot be set up yet</h1>
<div class="alert" role="alert">${escapeHtml(page.message)}</div>
${hubForm(page.hubPath, page.session, 'Back to set-up', 'vp-back')}`,
  );
}
