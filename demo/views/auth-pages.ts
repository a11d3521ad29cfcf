import { html } from './html.ts';
import { alert, csrfField, layout, notice, virtualPhoneHint } from './layout.ts';

export function homePage(csrf: string, message?: string): string {
  return layout(
    'Welcome',
    html`<section class="card hero">
  <h1>Banking, with a second factor done right</h1>
  <p>Demo Bank checks your password itself and hands the second factor to Verity: an authenticator app, a push approval, a text message or a call, a passkey, your voice.</p>
  ${notice(message)}
  <p class="actions"><a class="button" href="/signin">Sign in</a> <a class="button secondary" href="/signup">Open an account</a></p>
</section>`,
    { csrf },
  );
}

export interface SignupForm {
  username?: string;
  phone?: string;
  error?: string;
  suggestions?: string[];
  field?: 'username' | 'password' | 'phone';
}

export function signupPage(csrf: string, form: SignupForm = {}): string {
  const invalid = (field: SignupForm['field']) => (form.field === field ? html` aria-invalid="true" aria-describedby="form-error"` : '');
  const suggestions = form.suggestions?.length ? html`<ul class="suggestions">${form.suggestions.map((s) => html`<li>${s}</li>`)}</ul>` : '';
  return layout(
    'Open an account',
    html`<section class="card">
  <h1>Open an account</h1>
  ${form.error ? html`<div class="alert" role="alert" id="form-error"><p>${form.error}</p>${suggestions}</div>` : ''}
  <form method="post" action="/signup" novalidate>
    ${csrfField(csrf)}
    <label for="username">Username</label>
    <input id="username" name="username" autocomplete="username" required minlength="3" maxlength="32" pattern="[A-Za-z0-9._-]{3,32}" value="${form.username ?? ''}"${invalid('username')} aria-describedby="username-hint">
    <p class="hint" id="username-hint">3 to 32 letters, digits, dots, dashes or underscores.</p>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128"${invalid('password')} aria-describedby="password-hint">
    <p class="hint" id="password-hint">8 to 128 characters. Several unusual words make a strong, memorable password.</p>
    <label for="phone">Mobile phone</label>
    <input id="phone" name="phone" type="tel" autocomplete="tel" required placeholder="+1 415 555 0123" value="${form.phone ?? ''}"${invalid('phone')} aria-describedby="phone-hint">
    <p class="hint" id="phone-hint">In international format. We call it to check it is yours: you will type a code shown on screen on the phone's keypad.</p>
    <button type="submit">Continue: call my phone</button>
  </form>
  <p>Already a customer? <a href="/signin">Sign in</a>.</p>
</section>`,
    { csrf },
  );
}

/** The keypad-code call in progress: the code to key in, big, and the call's progress (followed by signup-call.js). */
export function signupCallPage(csrf: string, displayCode: string, maskedPhone: string, message?: string, virtualPhoneUrl?: string): string {
  return layout(
    'Verify your phone',
    html`<section class="card">
  <h1>Answer the call and key in this code</h1>
  <p>We are calling <strong>${maskedPhone}</strong>. When asked, type this code on the phone's keypad (the last digit completes it):</p>
  <p class="display-code" aria-label="Code to type: ${displayCode.split('').join(' ')}">${displayCode}</p>
  ${alert(message)}
  ${virtualPhoneHint(virtualPhoneUrl, 'the call')}
  <div class="progress" id="call-progress" role="status" aria-live="polite" data-progress-url="/signup/progress">Placing the call…</div>
  <form method="post" action="/signup/complete" id="complete-form">
    ${csrfField(csrf)}
    <button type="submit" id="complete-button">I keyed in the code: continue</button>
  </form>
  <form method="post" action="/signup/call-again" id="again-form" class="inline">
    ${csrfField(csrf)}
    <button type="submit" class="secondary">Call again</button>
  </form>
  <form method="post" action="/signup/cancel" class="inline">
    ${csrfField(csrf)}
    <button type="submit" class="link-button">Start over</button>
  </form>
</section>`,
    { csrf, script: 'signup-call.js' },
  );
}

export function signinPage(csrf: string, options: { username?: string; error?: string; message?: string } = {}): string {
  const invalid = options.error ? html` aria-invalid="true" aria-describedby="form-error"` : '';
  return layout(
    'Sign in',
    html`<section class="card">
  <h1>Sign in</h1>
  ${options.error ? html`<p class="alert" role="alert" id="form-error">${options.error}</p>` : ''}
  ${notice(options.message)}
  <form method="post" action="/signin">
    ${csrfField(csrf)}
    <label for="username">Username</label>
    <input id="username" name="username" autocomplete="username" required maxlength="32" value="${options.username ?? ''}"${invalid}>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128"${invalid}>
    <label class="check"><input type="checkbox" name="remember" value="1"> Remember this device for 30 days (skip the second step here)</label>
    <button type="submit">Sign in</button>
  </form>
  <form method="post" action="/signin/passkey" class="passkey-signin">
    ${csrfField(csrf)}
    <button type="submit" class="secondary" id="passkey-signin">Sign in with a passkey</button>
  </form>
  <p class="hint">With a passkey you set up in “Set up sign-in methods”: no username, no password; your device asks for your fingerprint, face or PIN.</p>
  <p>New here? <a href="/signup">Open an account</a>.</p>
</section>`,
    { csrf },
  );
}

/** A refused or failed step, with a way back. */
export function errorPage(title: string, message: string, options: { csrf?: string; username?: string; back?: { href: string; label: string } } = {}): string {
  const back = options.back ?? { href: '/', label: 'Back to the start' };
  return layout(
    title,
    html`<section class="card">
  <h1>${title}</h1>
  <p class="alert" role="alert">${message}</p>
  <p><a class="button" href="${back.href}">${back.label}</a></p>
</section>`,
    { csrf: options.csrf, username: options.username },
  );
}
