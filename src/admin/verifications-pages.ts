import { html, type SafeHtml } from '../pages/html.ts';
import type { AccountVerificationSummary, VerificationFilters } from '../store/admin-queries.ts';
import { VERIFICATION_STATUSES } from '../store/schema.ts';
import { emptyState, tableWrap } from './admin-components.ts';
import { isoTime, layout, type Viewer } from './admin-pages.ts';

/** The console's Verifications section: every verification of the account, of every channel. */
export const VERIFICATIONS_PATH = '/admin/verifications';

export interface VerificationsPageData {
  viewer: Viewer;
  filters: VerificationFilters;
  /** What the operator typed into the number field (the query matched its normalised form, `filters.to`). */
  typedTo: string | undefined;
  services: Array<{ sid: string; friendly_name: string }>;
  channels: string[];
  rows: AccountVerificationSummary[];
  page: number;
  more: boolean;
}

const STATUS_TONES: Readonly<Record<string, string>> = { approved: 's-approved', pending: 's-sent', canceled: 's-canceled', expired: 's-expired', failed: 's-failed', max_attempts_reached: 's-failed', denied: 's-failed' };

/** A verification's status as a badge (the word says it; the colour is extra). */
function verificationStatus(status: string): SafeHtml {
  return html`<span class="status ${STATUS_TONES[status] ?? ''}">${status.replaceAll('_', ' ')}</span>`;
}

function link(filters: VerificationFilters & { to?: string | undefined }, page: number): string {
  const q = new URLSearchParams();
  if (filters.serviceSid) q.set('service', filters.serviceSid);
  if (filters.channel) q.set('channel', filters.channel);
  if (filters.status) q.set('status', filters.status);
  if (filters.to) q.set('to', filters.to);
  if (page > 0) q.set('page', String(page));
  const s = q.toString();
  return VERIFICATIONS_PATH + (s ? `?${s}` : '');
}

function select(id: string, label: string, current: string | undefined, options: Array<[string, string]>): SafeHtml {
  return html`<div><label for="${id}">${label}</label><select id="${id}" name="${id}"><option value="">Any</option>${options.map(
    ([value, text]) => html`<option value="${value}"${value === current ? html` selected` : ''}>${text}</option>`,
  )}</select></div>`;
}

export function verificationsPage(data: VerificationsPageData): string {
  const { filters } = data;
  const filtered = Boolean(filters.serviceSid || filters.channel || filters.status || filters.to);
  const rows = data.rows.map(
    (v) => html`<tr data-sid="${v.sid}" data-channel="${v.channel}" data-status="${v.status}">
<th scope="row" class="wrap"><a href="${VERIFICATIONS_PATH}/${v.sid}">${v.destination}</a></th>
<td>${verificationStatus(v.status)}</td>
<td>${v.channel}</td>
<td class="wrap"><a href="/admin/services/${v.service_sid}">${v.service_name}</a></td>
<td>${isoTime(v.date_created)}</td>
<td class="num">${v.send_attempts}</td>
<td class="num">${v.check_attempts}</td>
<td><code title="${v.sid}">${v.sid.slice(0, 12)}…</code></td>
</tr>`,
  );
  const typedNote = data.typedTo && filters.to && data.typedTo !== filters.to ? html`<p class="note">Searching for <code>${filters.to}</code> (your <code>${data.typedTo}</code>, normalised as the API normalises <code>To</code>).</p>` : '';
  return layout(
    'Verifications',
    data.viewer,
    html`<h1>Verifications</h1>
<p class="note">Every verification of this account, all services and channels, newest first. Open one for its delivery attempts. Codes are never shown (Verity does not store them).</p>
<form class="filters" method="get" action="${VERIFICATIONS_PATH}" role="search" aria-label="Filter verifications">
${select('service', 'Service', filters.serviceSid, data.services.map((s) => [s.sid, s.friendly_name]))}
${select('channel', 'Channel', filters.channel, data.channels.map((c) => [c, c]))}
${select('status', 'Status', filters.status, VERIFICATION_STATUSES.map((s) => [s, s.replaceAll('_', ' ')]))}
<div><label for="to">Number or e-mail (or its start)</label><input id="to" name="to" type="search" value="${data.typedTo ?? ''}" placeholder="+1 415 555… or name@" autocomplete="off" maxlength="320"></div>
<button type="submit">Filter</button>
${filtered ? html`<a href="${VERIFICATIONS_PATH}">Clear</a>` : ''}
</form>
${typedNote}
${data.rows.length === 0
  ? emptyState(filtered ? 'No verification matches these filters.' : 'No verifications yet.')
  : tableWrap(
      'Verifications',
      html`<table>
<caption>Verifications${filtered ? ' matching the filters' : ''}, newest first (page ${data.page + 1})</caption>
<thead><tr><th scope="col">To</th><th scope="col">Status</th><th scope="col">Channel</th><th scope="col">Service</th><th scope="col">Created (UTC)</th><th scope="col">Sends</th><th scope="col">Checks</th><th scope="col">SID</th></tr></thead>
<tbody>${rows}</tbody></table>`,
    )}
${data.page > 0 || data.more
  ? html`<nav class="pager" aria-label="Pages">${data.page > 0 ? html`<a href="${link(filters, data.page - 1)}" rel="prev">← Newer</a>` : ''}<span>Page ${data.page + 1}</span>${data.more ? html`<a href="${link(filters, data.page + 1)}" rel="next">Older →</a>` : ''}</nav>`
  : ''}`,
    VERIFICATIONS_PATH,
  );
}
