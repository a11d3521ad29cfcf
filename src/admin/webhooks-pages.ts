import { html, type SafeHtml } from '../pages/html.ts';
import type { AccountDeliverySummary, WebhookEndpoint } from '../store/admin-queries.ts';
import { badge, emptyState, statTiles, tableWrap } from './admin-components.ts';
import { csrfField, isoTime, layout, type Viewer } from './admin-pages.ts';

/** The console's Webhooks section: endpoints, their breakers and queues, and their deliveries. */
export const WEBHOOKS_PATH = '/admin/webhooks';

/** The delivery statuses the filter offers (webhook_deliveries.status). */
export const DELIVERY_STATUSES = ['pending', 'failed', 'delivered'] as const;

/** What the page says after an action (Post/Redirect/Get). */
export const WEBHOOK_NOTICES: Readonly<Record<string, { text: string; ok: boolean }>> = {
  requeued: { text: 'The failed delivery is queued again with a fresh set of attempts; it is sent within seconds (unless its endpoint’s breaker is open).', ok: true },
  hurried: { text: 'The delivery no longer waits for its back-off: it is sent within seconds (unless its endpoint’s breaker is open).', ok: true },
  'not-retried': { text: 'That delivery was not retried: it was delivered, is being sent right now, or is not this account’s.', ok: false },
  'breaker-reset': { text: 'The breaker is closed: deliveries to that endpoint resume now.', ok: true },
  'breaker-not-reset': { text: 'Nothing to reset: that endpoint’s breaker is not tripped.', ok: false },
};

export interface WebhooksPageData {
  viewer: Viewer;
  now: number;
  endpoints: WebhookEndpoint[];
  deliveries: AccountDeliverySummary[];
  filters: { webhookSid?: string | undefined; status?: string | undefined };
  page: number;
  more: boolean;
  done?: string | undefined;
}

type BreakerState = 'closed' | 'open' | 'probing';

/** The shared breaker as the dispatcher reads it: open until its cool-down ends, then one probe decides. */
export function breakerState(endpoint: Pick<WebhookEndpoint, 'breaker_failures' | 'breaker_open_until'>, now: number): BreakerState {
  if (endpoint.breaker_open_until > now) return 'open';
  return endpoint.breaker_failures > 0 ? 'probing' : 'closed';
}

function breakerCell(endpoint: WebhookEndpoint, now: number): SafeHtml {
  const state = breakerState(endpoint, now);
  if (state === 'closed') return badge('closed', 'ok');
  if (state === 'open') return html`${badge('open', 'bad')}<br><span class="note">until ${isoTime(endpoint.breaker_open_until)}; opened ${endpoint.breaker_failures}× in a row</span>`;
  return html`${badge('probing', 'warn')}<br><span class="note">the next delivery tests the endpoint</span>`;
}

function postButton(viewer: Viewer, action: string, label: string, danger = false): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">${csrfField(viewer.csrfToken)}<button type="submit"${danger ? html` class="danger"` : ''}>${label}</button></form>`;
}

function endpointsSection(data: WebhooksPageData): SafeHtml {
  // One card per endpoint rather than a wide table: its breaker and its action stay in view at 375 px.
  const cards = data.endpoints.map((w) => {
    const state = breakerState(w, data.now);
    const facts: Array<[string, SafeHtml | string | number]> = [
      ['Service', html`<a href="/admin/services/${w.service_sid}">${w.service_name}</a>`],
      ['Events', w.event_types.join(', ')],
      ['Breaker', breakerCell(w, data.now)],
      ['Pending', html`${w.pending} <span class="note">(${w.in_flight} in flight)</span>`],
      ['Failed', w.failed],
      ['Delivered', w.delivered],
    ];
    return html`<li class="card endpoint" data-webhook="${w.sid}" data-breaker="${state}">
<h3>${w.friendly_name} ${w.status === 'enabled' ? badge('enabled', 'ok') : badge(w.status, 'warn')}</h3>
<p class="endpoint-url"><code>${w.webhook_method} ${w.webhook_url}</code><br><code class="note">${w.sid}</code></p>
<dl class="facts">${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
<div class="actions"><a href="${deliveriesLink({ webhookSid: w.sid }, 0)}">Show its deliveries</a>${state === 'closed' ? '' : postButton(data.viewer, `${WEBHOOKS_PATH}/${w.sid}/breaker/reset`, 'Reset breaker')}</div>
</li>`;
  });
  return html`<section aria-labelledby="endpoints"><h2 id="endpoints">Endpoints</h2>
<p class="note">Each webhook has its own queue. After 5 failures in a row its breaker opens: nothing is sent to it until the cool-down ends (1 minute, doubling up to 10), then one delivery probes it. <strong>Reset breaker</strong> ends the cool-down now.</p>
${data.endpoints.length === 0
  ? emptyState('No webhooks in this account. Create one with the API: POST /v2/Services/{ServiceSid}/Webhooks.')
  : html`<ul class="endpoints">${cards}</ul>`}
</section>`;
}

/** A delivery's state in words: waiting (and until when), being sent, delivered, failed. */
function deliveryState(d: AccountDeliverySummary, now: number): SafeHtml {
  if (d.status === 'delivered') return badge('delivered', 'ok');
  if (d.status === 'failed') return badge('failed', 'bad');
  if (d.status === 'pending' && d.lease_until > now) return badge('sending', 'warn');
  if (d.status === 'pending' && d.next_attempt_at > now) return html`${badge('backing off', 'warn')}<br><span class="note">next try ${isoTime(d.next_attempt_at)}</span>`;
  return badge(d.status === 'pending' ? 'due' : d.status, 'neutral');
}

/** Retry now: a failed delivery, or a pending one waiting out its back-off (not one being sent). */
export function canRetryNow(d: Pick<AccountDeliverySummary, 'status' | 'next_attempt_at' | 'lease_until'>, now: number): boolean {
  return d.status === 'failed' || (d.status === 'pending' && d.next_attempt_at > now && d.lease_until <= now);
}

/** The last answer: `HTTP 503`, the error (a time-out, a refused address), or a dash. */
function lastResponse(d: AccountDeliverySummary): string {
  const status = d.last_status_code === null ? '' : `HTTP ${d.last_status_code}`;
  if (!d.last_error || d.last_error === status) return status || '—';
  return status ? `${status}: ${d.last_error}` : d.last_error;
}

function deliveriesLink(filters: WebhooksPageData['filters'], page: number): string {
  const q = new URLSearchParams();
  if (filters.webhookSid) q.set('webhook', filters.webhookSid);
  if (filters.status) q.set('status', filters.status);
  if (page > 0) q.set('page', String(page));
  const s = q.toString();
  return `${WEBHOOKS_PATH}${s ? `?${s}` : ''}#deliveries`;
}

function deliveriesSection(data: WebhooksPageData): SafeHtml {
  const { filters } = data;
  const filtered = Boolean(filters.webhookSid || filters.status);
  const rows = data.deliveries.map(
    (d) => html`<tr data-delivery="${d.sid}" data-status="${d.status}">
<td>${deliveryState(d, data.now)}${canRetryNow(d, data.now) ? html`<div class="actions">${postButton(data.viewer, `${WEBHOOKS_PATH}/deliveries/${d.sid}/retry`, 'Retry now')}</div>` : ''}</td>
<th scope="row" class="wrap"><code>${d.event_type}</code><br>${d.resource_sid.startsWith('VE') ? html`<a href="/admin/verifications/${d.resource_sid}"><code>${d.resource_sid}</code></a>` : html`<code>${d.resource_sid}</code>`}</th>
<td class="num">${d.attempts}</td>
<td class="wrap">${lastResponse(d)}</td>
<td>${isoTime(d.date_created)}</td>
<td><code title="${d.webhook_sid}">${d.webhook_sid.slice(0, 12)}…</code></td>
</tr>`,
  );
  const choice = (current: string | undefined, value: string, label: string) => html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
  return html`<section aria-labelledby="deliveries"><h2 id="deliveries">Deliveries</h2>
<form class="filters" method="get" action="${WEBHOOKS_PATH}#deliveries" aria-label="Filter deliveries">
<div><label for="webhook">Webhook</label><select id="webhook" name="webhook"><option value="">Any</option>${data.endpoints.map((w) => choice(filters.webhookSid, w.sid, `${w.friendly_name} (${w.service_name})`))}</select></div>
<div><label for="status">Status</label><select id="status" name="status"><option value="">Any</option>${['pending', 'failed', 'delivered'].map((s) => choice(filters.status, s, s))}</select></div>
<button type="submit">Filter</button>
${filtered ? html`<a href="${WEBHOOKS_PATH}#deliveries">Clear</a>` : ''}
</form>
<p class="note"><strong>Retry now</strong> sends a failed delivery again with a fresh set of attempts, or sends one that is backing off between attempts without waiting.</p>
${data.deliveries.length === 0
  ? emptyState(filtered ? 'No delivery matches these filters.' : 'No deliveries yet.')
  : tableWrap(
      'Webhook deliveries',
      html`<table>
<caption>Deliveries${filtered ? ' matching the filters' : ''}, newest first (page ${data.page + 1})</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Event</th><th scope="col">Attempts</th><th scope="col">Last response</th><th scope="col">Created (UTC)</th><th scope="col">Webhook</th></tr></thead>
<tbody>${rows}</tbody></table>`,
    )}
${data.page > 0 || data.more
  ? html`<nav class="pager" aria-label="Pages of deliveries">${data.page > 0 ? html`<a href="${deliveriesLink(filters, data.page - 1)}" rel="prev">← Newer</a>` : ''}<span>Page ${data.page + 1}</span>${data.more ? html`<a href="${deliveriesLink(filters, data.page + 1)}" rel="next">Older →</a>` : ''}</nav>`
  : ''}
</section>`;
}

export function webhooksPage(data: WebhooksPageData): string {
  const notice = data.done ? WEBHOOK_NOTICES[data.done] : undefined;
  const sum = (key: 'pending' | 'in_flight' | 'failed') => data.endpoints.reduce((n, w) => n + w[key], 0);
  const open = data.endpoints.filter((w) => breakerState(w, data.now) !== 'closed').length;
  return layout(
    'Webhooks',
    data.viewer,
    html`<h1>Webhooks</h1>
${notice ? html`<p class="${notice.ok ? 'notice' : 'error'}" role="${notice.ok ? 'status' : 'alert'}">${notice.text}</p>` : ''}
${statTiles(
  [
    { label: 'Endpoints', value: data.endpoints.length },
    { label: 'Breakers tripped', value: open, note: open ? 'see Endpoints' : 'all closed' },
    { label: 'Pending', value: sum('pending'), note: `${sum('in_flight')} in flight` },
    { label: 'Failed', value: sum('failed'), note: 'retry them below' },
  ],
  'Webhooks at a glance',
)}
${endpointsSection(data)}
${deliveriesSection(data)}`,
    WEBHOOKS_PATH,
  );
}
