import type { PhoneChannel } from '../handoff/hosted-handoff.ts';
import { escapeHtml, layout } from './handoff-pages.ts';

/** The push set-up page's script (src/hosted/assets): it asks the status route and checks once the device is set up. */
export const ENROLL_PUSH_JS_PATH = '/handoff/assets/handoff-enroll-push.js';

/** A message on a hub page: `status` for what went well (polite), `alert` for what did not. */
export interface EnrollNotice {
  text: string;
  tone: 'status' | 'alert';
}

export interface ListedFactor {
  name: string;
  /** What kind of method, in words ("Authenticator app"). */
  type: string;
  /** Milliseconds since the epoch. */
  created: number;
}

interface PageBase {
  appName: string;
  /** The sealed hand-off session, posted back by every form. */
  session: string;
  returnTo: string;
}

export interface EnrollHubPage extends PageBase {
  factors: ListedFactor[];
  recoveryCodes: { total: number; remaining: number };
  /** The number confirmed on this hub, if any (shown in full: the user just typed it). */
  phoneNumber: string | undefined;
  offers: { totp: boolean; push: boolean; recoveryCodes: boolean; phone: PhoneChannel[]; passkey: boolean; voiceprint: boolean };
  notice?: EnrollNotice | undefined;
}

const sessionField = (sealed: string): string => `<input type="hidden" name="session" value="${escapeHtml(sealed)}">`;

function noticeBlock(notice: EnrollNotice | undefined): string {
  if (!notice) return '';
  return notice.tone === 'alert'
    ? `<div class="alert" id="form-error" role="alert">${escapeHtml(notice.text)}</div>`
    : `<div class="notice" id="form-status" role="status" aria-live="polite">${escapeHtml(notice.text)}</div>`;
}

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A card with one button that posts the session to `action`. */
function addCard(id: string, title: string, hint: string, action: string, button: string, sealed: string, extra = ''): string {
  return `<section class="card" aria-labelledby="${id}-title">
<h2 id="${id}-title">${escapeHtml(title)}</h2>
<p class="hint">${hint}</p>
<form method="post" action="${action}">
${sessionField(sealed)}
${extra}<button type="submit">${escapeHtml(button)}</button>
</form>
</section>`;
}

function phoneCard(page: EnrollHubPage): string {
  const channels = page.offers.phone;
  if (channels.length === 0) return '';
  const choice =
    channels.length === 1
      ? `<input type="hidden" name="channel" value="${channels[0] as string}">`
      : `<fieldset class="choice"><legend>Send the code by</legend>
${channels.map((c, i) => `<label class="inline"><input type="radio" name="channel" value="${c}"${i === 0 ? ' checked' : ''}> ${c === 'sms' ? 'Text message' : 'Phone call'}</label>`).join('\n')}
</fieldset>`;
  const current = page.phoneNumber ? `<p class="hint">Confirmed: <span class="phone">${escapeHtml(page.phoneNumber)}</span>. Add another number to replace it.</p>` : '';
  return `<section class="card" aria-labelledby="add-phone-title">
<h2 id="add-phone-title">Phone number</h2>
<p class="hint" id="add-phone-hint">${escapeHtml(page.appName)} can send you codes. We confirm the number with a code first.</p>
${current}<form method="post" action="/handoff/enroll/phone">
${sessionField(page.session)}
<label for="phone-number">Your phone number</label>
<input type="tel" id="phone-number" name="phone_number" autocomplete="tel" inputmode="tel" maxlength="32" placeholder="+44 7700 900123" required aria-describedby="add-phone-hint">
${choice}
<button type="submit">Send a code</button>
</form>
</section>`;
}

/** The enrollment hub: the user's methods, one card per method that can be added, and "Done". */
export function enrollHubPage(page: EnrollHubPage): string {
  const list = page.factors.length
    ? `<ul class="factor-list">${page.factors.map((f) => `<li><span class="factor-name">${escapeHtml(f.name)}</span> <span class="hint">${escapeHtml(f.type)} · added ${dateOf(f.created)}</span></li>`).join('')}</ul>`
    : '<p class="hint">None yet.</p>';
  const recovery = page.recoveryCodes.total > 0 ? `<p class="hint">Recovery codes: ${page.recoveryCodes.remaining} of ${page.recoveryCodes.total} unused.</p>` : '';
  const cards = [
    page.offers.totp ? addCard('add-totp', 'Authenticator app', 'Scan a QR code with an app such as Google Authenticator, Authy or FreeOTP, then type the code it shows.', '/handoff/enroll/totp', 'Add an authenticator app', page.session) : '',
    page.offers.push ? addCard('add-push', 'Push device', 'Approve sign-ins on your phone: link the Verity authenticator (or the virtual phone) with a one-time token.', '/handoff/enroll/push', 'Add a push device', page.session) : '',
    page.offers.passkey ? addCard('add-passkey', 'Passkey', 'Sign in with your fingerprint, face or screen lock, or a security key.', '/handoff/enroll/passkey', 'Add a passkey', page.session) : '',
    page.offers.voiceprint ? addCard('add-voiceprint', 'Voiceprint', 'Say a short phrase three times into your microphone, so your voice can confirm it’s you here or on a call.', '/handoff/enroll/voiceprint', 'Record my voice', page.session) : '',
    phoneCard(page),
    page.offers.recoveryCodes
      ? addCard(
          'add-recovery',
          'Recovery codes',
          page.recoveryCodes.total > 0
            ? 'Single-use codes for when you lose your device. <strong>A new set replaces your current codes: the old ones stop working.</strong>'
            : 'Single-use codes for when you lose your device. Keep them somewhere safe.',
          '/handoff/enroll/recovery-codes',
          page.recoveryCodes.total > 0 ? 'Replace my recovery codes' : 'Get recovery codes',
          page.session,
        )
      : '',
  ].filter(Boolean);
  return layout(
    'Your sign-in methods',
    `<h1>Your sign-in methods</h1>
<p class="lead">Set up how you confirm it’s you when you sign in to ${escapeHtml(page.appName)}.</p>
${noticeBlock(page.notice)}
<section class="card" aria-labelledby="current-title">
<h2 id="current-title">Your methods</h2>
${list}
${recovery}
</section>
${cards.join('\n')}
<form method="post" action="/handoff/enroll/done" class="done">
${sessionField(page.session)}
<button type="submit">Done — back to ${escapeHtml(page.appName)}</button>
</form>
<p class="hint"><a href="${escapeHtml(page.returnTo)}">Cancel and go back to ${escapeHtml(page.appName)}</a></p>`,
  );
}

/** "Back to my sign-in methods": the hub again, for every step page. */
function backToHub(sealed: string, label = 'Back to my sign-in methods'): string {
  return `<form method="post" action="/handoff/enroll" class="another-way">
${sessionField(sealed)}
<button type="submit" class="link">${escapeHtml(label)}</button>
</form>`;
}

/** Groups of 4 for reading aloud or typing: `JBSW Y3DP EHPK 3PXP`. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** Inline SVG from `qrcode` (no `data:` URL: CSP img-src is 'self'), labelled for assistive technology. */
const qrFigure = (svg: string, label: string): string => `<figure class="qr">${svg.replace('<svg ', `<svg role="img" aria-label="${escapeHtml(label)}" `)}</figure>`;

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
  const invalid = page.message !== undefined;
  return layout(
    'Add an authenticator app',
    `<h1>Add an authenticator app</h1>
<p class="lead">Scan this QR code with your authenticator app, then enter the ${page.digits}-digit code it shows.</p>
${invalid ? `<div class="alert" id="form-error" role="alert">${escapeHtml(page.message as string)}</div>` : ''}
<section class="card">
${qrFigure(page.qrSvg, 'QR code for your authenticator app')}
<p class="hint" id="secret-hint">Can’t scan? Type this key into the app (time-based):</p>
<p class="secret" id="totp-secret" aria-describedby="secret-hint">${escapeHtml(groupSecret(page.secret))}</p>
<details class="setup-link"><summary>Copy the setup link instead</summary>
<label for="totp-uri">Setup link (otpauth://)</label>
<input type="text" id="totp-uri" class="uri" value="${escapeHtml(page.uri)}" readonly>
</details>
<form method="post" action="/handoff/enroll/totp/verify">
${sessionField(page.session)}
<label for="totp-code">Code from the app</label>
<input type="text" id="totp-code" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="10" required${invalid ? ' aria-invalid="true" aria-describedby="form-error"' : ''} autofocus>
<button type="submit">Verify and add</button>
</form>
</section>
${backToHub(page.session)}`,
  );
}

export interface EnrollPushPage extends PageBase {
  /** The single-use enrollment token, and its QR code. */
  token: string;
  qrSvg: string;
  /** Minutes left before the token expires. */
  minutes: number;
  message?: string | undefined;
}

export function enrollPushPage(page: EnrollPushPage): string {
  const tokenBlock = `${qrFigure(page.qrSvg, 'QR code of the enrollment token')}
<label for="enroll-token">Enrollment token (single use, valid ${page.minutes} more minute${page.minutes === 1 ? '' : 's'})</label>
<textarea id="enroll-token" class="token" rows="5" readonly aria-describedby="token-hint">${escapeHtml(page.token)}</textarea>
<p class="hint" id="token-hint">Paste it into the push authenticator of the virtual phone (<code>/phone</code>), or run <code>verity-authenticator enroll</code> and paste it there. Treat it like a password: it links a device to your account.</p>`;
  return layout(
    'Add a push device',
    `<h1>Add a push device</h1>
<p class="lead">Link your authenticator to ${escapeHtml(page.appName)}, then confirm here.</p>
${page.message ? `<div class="alert" id="form-error" role="alert">${escapeHtml(page.message)}</div>` : ''}
<section class="card">
${tokenBlock}
<p class="hint" id="push-enroll-status" role="status" aria-live="polite">Waiting for your device…</p>
<form method="post" action="/handoff/enroll/push/check" id="push-enroll-check" data-status="/handoff/enroll/push/status">
${sessionField(page.session)}
<button type="submit">My device is set up — check</button>
</form>
</section>
${backToHub(page.session)}`,
    ENROLL_PUSH_JS_PATH,
  );
}

export interface EnrollRecoveryCodesPage extends PageBase {
  codes: string[];
  /** True when an earlier set existed: it no longer works. */
  replaced: boolean;
}

export function enrollRecoveryCodesPage(page: EnrollRecoveryCodesPage): string {
  return layout(
    'Your recovery codes',
    `<h1>Your recovery codes</h1>
<div class="alert" role="alert">Save these codes now: they are shown only once. Each works once.${page.replaced ? ' Your previous recovery codes no longer work.' : ''}</div>
<section class="card" aria-labelledby="codes-title">
<h2 id="codes-title">${page.codes.length} codes</h2>
<ol class="recovery-codes" id="recovery-codes">${page.codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ol>
</section>
${backToHub(page.session, 'I saved them — back to my sign-in methods')}`,
  );
}

export interface EnrollPhoneCodePage extends PageBase {
  masked: string;
  channel: PhoneChannel;
  message?: string | undefined;
}

export function enrollPhoneCodePage(page: EnrollPhoneCodePage): string {
  const sms = page.channel === 'sms';
  const invalid = page.message !== undefined;
  return layout(
    'Confirm your phone number',
    `<h1>Confirm your phone number</h1>
<p class="lead">${sms ? 'We texted a code to' : 'We are calling'} <span class="phone">${escapeHtml(page.masked)}</span>${sms ? '' : ' to read you a code'}.</p>
${invalid ? `<div class="alert" id="form-error" role="alert">${escapeHtml(page.message as string)}</div>` : ''}
<section class="card">
<form method="post" action="/handoff/enroll/phone/check">
${sessionField(page.session)}
<label for="phone-code">Code</label>
<input type="text" id="phone-code" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="12" required${invalid ? ' aria-invalid="true" aria-describedby="form-error"' : ''} autofocus>
<button type="submit">Confirm</button>
</form>
</section>
${backToHub(page.session)}`,
  );
}
