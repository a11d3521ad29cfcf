import type { AuthyAppRow, ServiceRow } from '../store/schema.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { csrfField, isoTime, layout, type Viewer } from './admin-pages.ts';
import { badge } from './admin-components.ts';

/** The console's Authy page of a service: its Authy API key (issue, rotate, revoke; the key shown once) and callback URL. */

export const authyKeyPath = (serviceSid: string): string => `/admin/services/${serviceSid}/authy`;

/** What the page says after an action (Post/Redirect/Get). */
export const AUTHY_NOTICES: Readonly<Record<string, string>> = {
  revoked: 'The Authy API key is revoked: the Authy API answers 401 60001 for this service until a new key is issued.',
  'not-revoked': 'Nothing revoked: this service has no Authy application.',
  stale: 'Nothing changed: that form was already sent (Back or reload sends it again), or the key changed since it was shown. The key issued by it is still the current one.',
};

/** What the issue/rotate form is pinned to: the key's last change when the page was shown (`none` before the first key). */
export const authyKeyState = (app: Pick<AuthyAppRow, 'date_updated'> | undefined): string => (app ? String(app.date_updated) : 'none');

function newKey(apiKey: string, basePath: string): SafeHtml {
  return html`<section class="notice" role="status" aria-labelledby="new-authy-key"><h2 id="new-authy-key">Key issued: copy it now</h2>
<p>This is the only time the key is shown. The previous key, if any, no longer works.</p>
<p><code id="new-authy-key-value">${apiKey}</code></p>
<p>With the npm client: <code>require('authy')(key, '${basePath}')</code>; with curl: <code>-H 'X-Authy-API-Key: …'</code>.</p>
</section>`;
}

export function authyKeyPage(viewer: Viewer, service: ServiceRow, app: AuthyAppRow | undefined, options: { basePath: string; done?: string | undefined; apiKey?: string }): string {
  const path = authyKeyPath(service.sid);
  const active = app?.key_digest !== null && app !== undefined;
  return layout(
    `${service.friendly_name}: Authy API`,
    viewer,
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="/admin">Overview</a> › <a href="/admin/services/${service.sid}">${service.friendly_name}</a> › <span aria-current="page">Authy API</span></nav>
<h1>Authy API</h1>
${options.done ? html`<p class="notice" role="status">${AUTHY_NOTICES[options.done] ?? ''}</p>` : ''}
${options.apiKey ? newKey(options.apiKey, options.basePath) : ''}
<p>Applications written for the Authy API call this service at <code>${options.basePath}</code> with its API key (docs/authy.md).</p>
<dl class="facts card">
<div><dt>Key</dt><dd>${active ? badge('active', 'ok') : app ? badge('revoked', 'bad') : badge('none yet')}</dd></div>
<div><dt>Last change</dt><dd>${isoTime(app?.date_updated)}</dd></div>
<div><dt>OneTouch callback URL</dt><dd>${app?.onetouch_callback_url ? html`<code>${app.onetouch_callback_url}</code>` : '—'}</dd></div>
</dl>
<div class="actions">
<form method="post" action="${path}/key">
${csrfField(viewer.csrfToken)}<input type="hidden" name="key_state" value="${authyKeyState(app)}">
<button type="submit">${app ? 'Rotate the key' : 'Issue a key'}</button>
</form>
${active ? html`<form method="post" action="${path}/revoke">${csrfField(viewer.csrfToken)}<button type="submit" class="danger">Revoke the key</button></form>` : ''}
</div>`,
    path,
  );
}
