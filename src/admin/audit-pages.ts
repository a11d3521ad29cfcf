import { html, type SafeHtml } from '../pages/html.ts';
import type { AdminAuditRow } from '../store/schema.ts';
import { emptyState, tableWrap } from './admin-components.ts';
import { isoTime, layout, type Viewer } from './admin-pages.ts';

export const AUDIT_PATH = '/admin/audit';

export interface AuditPageData {
  viewer: Viewer;
  rows: AdminAuditRow[];
  /** The actions this account's log holds (the filter's choices). */
  actions: string[];
  action: string | undefined;
  page: number;
  more: boolean;
}

/** The detail JSON as `name: value` pairs (it holds names and numbers, never a secret). */
function detailText(detail: string): string {
  try {
    const parsed = JSON.parse(detail) as Record<string, unknown>;
    return Object.entries(parsed).map(([k, v]) => `${k}: ${String(v)}`).join('; ');
  } catch {
    return '';
  }
}

function link(action: string | undefined, page: number): string {
  const q = new URLSearchParams();
  if (action) q.set('action', action);
  if (page > 0) q.set('page', String(page));
  const s = q.toString();
  return AUDIT_PATH + (s ? `?${s}` : '');
}

function pager(data: AuditPageData): SafeHtml {
  if (data.page === 0 && !data.more) return html``;
  return html`<nav class="pager" aria-label="Pages">
${data.page > 0 ? html`<a href="${link(data.action, data.page - 1)}" rel="prev">← Newer</a>` : ''}
<span>Page ${data.page + 1}</span>
${data.more ? html`<a href="${link(data.action, data.page + 1)}" rel="next">Older →</a>` : ''}
</nav>`;
}

/** The console's audit log: every operator action of this account, newest first, filtered by action. */
export function auditPage(data: AuditPageData): string {
  const choices = [...new Set([...data.actions, ...(data.action ? [data.action] : [])])].sort();
  const rows = data.rows.map(
    (r) => html`<tr>
<td>${isoTime(r.date_created)}</td>
<td><code>${r.action}</code>${r.target_sid ? html`<span class="cell-sub">on <code>${r.target_sid}</code></span>` : ''}</td>
<td class="wrap">${detailText(r.detail) || '—'}</td>
<td><code>${r.actor}</code><span class="cell-sub">from ${r.ip ?? 'an unknown address'}</span></td>
</tr>`,
  );
  return layout(
    'Audit log',
    data.viewer,
    html`<h1>Audit log</h1>
<p class="lead">Every action taken in this console on this account, newest first: sign-ins (failed ones too), settings changed, keys created and revoked, factors reset. Values of secrets are never recorded.</p>
<form class="filters" method="get" action="${AUDIT_PATH}" role="search" aria-label="Filter the audit log">
<div><label for="action">Action</label>
<select id="action" name="action"><option value="">All actions</option>${choices.map((a) => html`<option value="${a}"${a === data.action ? html` selected` : ''}>${a}</option>`)}</select></div>
<button type="submit">Filter</button>
${data.action ? html`<a href="${AUDIT_PATH}">Clear</a>` : ''}
</form>
${data.rows.length === 0
  ? emptyState(data.action ? html`No <code>${data.action}</code> entries.` : 'No entries yet.')
  : tableWrap('Audit log entries', html`<table>
<caption>${data.action ? html`<code>${data.action}</code> entries, newest first` : 'Newest first'}</caption>
<thead><tr><th scope="col">Time (UTC)</th><th scope="col">Action and target</th><th scope="col">Detail</th><th scope="col">Actor and address</th></tr></thead>
<tbody>${rows}</tbody>
</table>`)}
${pager(data)}`,
    AUDIT_PATH,
  );
}
