import { publicLayout } from './admin-pages.ts';
import { html } from '../pages/html.ts';

/** What the sign-in page says on arrival (a key in the query, never reflected text). */
export const SIGN_IN_NOTICES: Readonly<Record<string, string>> = {
  'signed-out': 'You signed out. The session is closed on the server.',
  expired: 'Your session ended (unused for too long, or open for too long). Sign in again.',
};

export interface SignInPageData {
  /** The sign-in form's CSRF token (form-protection.ts). */
  csrfToken: string;
  /** Where to go after signing in: a local /admin path (checked by safeNext). */
  next: string;
  /** The Account SID typed before (refilled after a failure; the token never is). */
  accountSid?: string | undefined;
  /** Shown next to the fields and announced (role=alert). */
  error?: string | undefined;
  notice?: string | undefined;
}

/** The console's sign-in form: an Account SID and its Auth Token, as the API uses them. */
export function signInPage(data: SignInPageData): string {
  // Both fields are marked: the page does not say which one was wrong (nor whether the SID exists).
  const errorAttrs = data.error ? html` aria-invalid="true" aria-describedby="sign-in-error"` : '';
  const focusSid = data.accountSid ? '' : html` autofocus`;
  const focusToken = data.accountSid ? html` autofocus` : '';
  return publicLayout(
    'Sign in',
    html`<section class="sign-in-card" aria-labelledby="sign-in-title">
<h1 id="sign-in-title">Sign in to the console</h1>
<p class="note">Use your account's SID and Auth Token: the credentials the API uses.</p>
${data.notice ? html`<p class="notice" role="status">${data.notice}</p>` : ''}
<form method="post" action="/admin/sign-in" class="sign-in" novalidate>
<input type="hidden" name="csrf_token" value="${data.csrfToken}">
<input type="hidden" name="next" value="${data.next}">
${data.error ? html`<p id="sign-in-error" class="error" role="alert">${data.error}</p>` : ''}
<label for="account_sid">Account SID</label>
<input id="account_sid" name="account_sid" type="text" value="${data.accountSid ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" inputmode="latin" placeholder="AC…" maxlength="64" required${focusSid}${errorAttrs}>
<label for="auth_token">Auth Token</label>
<input id="auth_token" name="auth_token" type="password" autocomplete="current-password" autocapitalize="none" spellcheck="false" maxlength="256" required${focusToken}${errorAttrs}>
<button type="submit">Sign in</button>
</form>
<p class="sign-in-help">In development, <code>npm start</code> prints the development account's SID and Auth Token. The session ends after a period without use, and when the Auth Token is rotated.</p>
</section>`,
  );
}
