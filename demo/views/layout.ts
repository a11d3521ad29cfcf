import { html, type SafeHtml } from './html.ts';

export interface LayoutOptions {
  /** Shown in the header when signed in. */
  username?: string | undefined;
  /** The session's CSRF token (for the sign-out form). */
  csrf?: string | undefined;
  /** A script of demo/static (no inline scripts: the CSP forbids them). */
  script?: string;
}

/** The Demo Bank frame: deliberately unlike Verity's pages, so the hop to Verity and back is visible. */
export function layout(title: string, body: SafeHtml, options: LayoutOptions = {}): string {
  const signOut = options.username
    ? html`<form method="post" action="/signout" class="signout"><input type="hidden" name="_csrf" value="${options.csrf ?? ''}"><span class="who">${options.username}</span> <button type="submit" class="link-button">Sign out</button></form>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Demo Bank</title>
<link rel="stylesheet" href="/static/demo.css">
${options.script ? html`<script type="module" src="/static/${options.script}"></script>` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="bank-header">
  <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">◆</span> Demo Bank</a>
  ${signOut}
</header>
<main id="main" tabindex="-1">
${body}
</main>
<footer class="bank-footer"><p>Demo Bank is a sample application. Its second factor is handled by Verity, on Verity's own pages.</p></footer>
</body>
</html>`.value;
}

/** The CSRF field every POST form carries. */
export const csrfField = (csrf: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${csrf}">`;

export const alert = (message: string | undefined): SafeHtml | '' => (message ? html`<p class="alert" role="alert">${message}</p>` : '');
export const notice = (message: string | undefined): SafeHtml | '' => (message ? html`<p class="notice" role="status">${message}</p>` : '');

/** Development only: where the call, text or push arrives (Verity's virtual phone). */
export const virtualPhoneHint = (url: string | undefined, what: string): SafeHtml | '' =>
  url ? html`<p class="dev-hint">Development: ${what} arrives on <a href="${url}" target="_blank" rel="noopener">Verity's virtual phone</a> (opens in a new tab).</p>` : '';
