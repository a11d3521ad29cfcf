import { html, type SafeHtml } from '../pages/html.ts';
import type { ApiKeyRow } from '../store/schema.ts';
import { csrfField, isoTime, KEYS_PATH, layout, type Viewer } from './admin-pages.ts';
import { emptyState, tableWrap } from './admin-components.ts';

/** The console's API keys page: the account's `SK…` keys, a form to create one (its secret shown once), and revoke buttons. */

/** What the page says after an action (Post/Redirect/Get). */
export const KEY_NOTICES: Readonly<Record<string, string>> = {
  revoked: 'The key is revoked: requests with it are refused from now on.',
  'not-revoked': 'Nothing revoked: that key is not (or no longer) in this account.',
  stale: 'Nothing created: that form was already sent (Back or reload sends it again), or a key was created since it was shown. A secret is shown only once: revoke a key whose secret was not copied.',
};

/** What the create form is pinned to: the newest key when the page was shown (`none` without keys). */
export const newestKeyState = (newest: Pick<ApiKeyRow, 'sid'> | undefined): string => newest?.sid ?? 'none';

/** A key created just now: the only time its secret is shown. */
export interface NewKey {
  row: ApiKeyRow;
  secret: string;
}

function keyRow(viewer: Viewer, key: ApiKeyRow): SafeHtml {
  return html`<tr>
<td>${key.friendly_name || '—'}</td>
<td><code>${key.sid}</code></td>
<td>${isoTime(key.date_created)}</td>
<td><form method="post" action="${KEYS_PATH}/${key.sid}/revoke" class="inline">${csrfField(viewer.csrfToken)}<button type="submit" class="danger" aria-label="Revoke ${key.sid}">Revoke</button></form></td>
</tr>`;
}

function created(viewer: Viewer, key: NewKey): SafeHtml {
  return html`<section class="notice" role="status" aria-labelledby="new-key"><h2 id="new-key">Key created: copy its secret now</h2>
<p>This is the only time the secret is shown; Verity keeps only a digest of it.</p>
<dl class="facts">
<div><dt>SID</dt><dd><code id="new-key-sid">${key.row.sid}</code></dd></div>
<div><dt>Secret</dt><dd><code id="new-key-secret">${key.secret}</code></dd></div>
</dl>
<p>With the official client: <code>twilio('${key.row.sid}', secret, { accountSid: '${viewer.account.sid}' })</code>; with curl: <code>-u ${key.row.sid}:secret</code>.</p>
</section>`;
}

export function keysPage(viewer: Viewer, keys: ApiKeyRow[], options: { newest: ApiKeyRow | undefined; done?: string | undefined; created?: NewKey }): string {
  return layout(
    'API keys',
    viewer,
    html`<h1>API keys</h1>
${options.done ? html`<p class="notice" role="status">${KEY_NOTICES[options.done] ?? ''}</p>` : ''}
${options.created ? created(viewer, options.created) : ''}
<p class="lead">An API key (<code>SK…</code>) authenticates API requests as this account, with HTTP Basic <code>SK…:secret</code>. It can do everything the auth token can, except manage keys. Revoking a key refuses its next request.</p>
${keys.length === 0
  ? emptyState('This account has no API keys.')
  : tableWrap('API keys', html`<table>
<caption>API keys of this account, oldest first</caption>
<thead><tr><th scope="col">Friendly name</th><th scope="col">SID</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>${keys.map((k) => keyRow(viewer, k))}</tbody>
</table>`)}
<h2>Create a key</h2>
<form method="post" action="${KEYS_PATH}" class="card form-grid">
${csrfField(viewer.csrfToken)}<input type="hidden" name="newest_key" value="${newestKeyState(options.newest)}">
<div class="field"><label for="key-name">Friendly name</label><input id="key-name" name="friendly_name" maxlength="64" autocomplete="off" aria-describedby="key-name-hint"><p class="hint" id="key-name-hint">Where the key is used (at most 64 characters). Its secret is shown once.</p></div>
<div class="form-actions"><button type="submit">Create key</button></div>
</form>`,
    KEYS_PATH,
  );
}
