import type { RouteSnapshot, RoutingSnapshot } from '../messaging/routing/routing-snapshot.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import type { AttemptSummary, ResourceEvent, VerificationOverview } from '../store/admin-queries.ts';
import type { ServiceRow } from '../store/schema.ts';
import { DELIVERY_PATH, isoTime, layout, type Viewer } from './admin-pages.ts';
import type { DeliveryStat } from './delivery-stats.ts';
import { tableWrap } from './admin-components.ts';

/**
 * The console's delivery views (issue 13): a verification's delivery attempts as a timeline, and
 * the Delivery page (routes, provider health, delivery rate and latency per provider and country).
 */

/** What each failover reason means, in an operator's words. */
const FAILOVER_TEXTS: Readonly<Record<string, string>> = {
  rejected: 'the provider refused the message, so it went to the next route',
  undelivered: 'the carrier reported it not delivered, so it went to the next route',
  timeout: 'no delivery report came within the route’s time-out, so it went to the next route',
};

/** The windows the Delivery page offers, in hours. */
export const DELIVERY_WINDOWS = [1, 24, 168] as const;
export type DeliveryWindow = (typeof DELIVERY_WINDOWS)[number];

export const windowLabel = (hours: number) => (hours === 1 ? 'last hour' : hours === 24 ? 'last 24 hours' : `last ${hours / 24} days`);

/** `850 ms`, `1.2 s`, `3 min`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

function statusBadge(status: string): SafeHtml {
  return html`<span class="status s-${status}">${status}</span>`;
}

// ---------------------------------------------------------------------------------------------
// A verification's delivery
// ---------------------------------------------------------------------------------------------

export interface VerificationPageData {
  viewer: Viewer;
  service: ServiceRow;
  verification: VerificationOverview;
  attempts: AttemptSummary[];
  /** The verification's events (pending, approved…), oldest first; shown when given. */
  events?: ResourceEvent[] | undefined;
  /** Where the page was opened from: the account's Verifications list, or the service's page (default). */
  from?: 'verifications' | 'service' | undefined;
}

function attemptItem(attempt: AttemptSummary, index: number): SafeHtml {
  const error = attempt.error_code || attempt.error_message ? html`<code>${attempt.error_code ?? ''}</code> ${attempt.error_message ?? ''}` : '—';
  const price = attempt.price === null ? '—' : `${attempt.price} ${attempt.price_unit ?? ''}`.trim();
  const fields: Array<[string, SafeHtml | string | number]> = [
    ['Route', html`<code>${attempt.route_id}</code>, choice ${attempt.route_position + 1}`],
    ['Carrier message id', attempt.provider_message_id ? html`<code>${attempt.provider_message_id}</code>` : '—'],
    ['Parts', attempt.parts ?? '—'],
    ['Carrier error', error],
    ['Price', price],
    ['Receipts', attempt.receipts ? 'reported by the carrier' : 'this provider reports none (ends at sent)'],
  ];
  return html`<li class="attempt" data-status="${attempt.status}" data-provider="${attempt.provider}">
<h4>Attempt ${index + 1} via <strong>${attempt.provider}</strong> ${statusBadge(attempt.status)}</h4>
<dl class="facts">${fields.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
<ol class="history" aria-label="Status history of attempt ${index + 1}">
${attempt.status_history.map(
  (change) =>
    html`<li data-status="${change.status}"><time datetime="${isoTime(change.at)}">${isoTime(change.at)}</time> <span class="note">(+${duration(Math.max(0, change.at - attempt.date_created))})</span> ${statusBadge(change.status)}${change.error_code ? html` <span class="note">error <code>${change.error_code}</code></span>` : ''}</li>`,
)}
</ol>
${attempt.failover_reason ? html`<p class="failover"><strong>Failover:</strong> ${FAILOVER_TEXTS[attempt.failover_reason] ?? attempt.failover_reason}.</p>` : ''}
</li>`;
}

/** The attempts of one send (its route plan, in order), as a timeline. */
function sendSection(title: SafeHtml, attempts: AttemptSummary[]): SafeHtml {
  return html`<section class="send">
<h3>${title}</h3>
${attempts.length === 0
  ? html`<p class="empty">No delivery attempt is recorded for this send (it was sent before delivery tracking, or its channel has none).</p>`
  : html`<ol class="timeline">${attempts.map(attemptItem)}</ol>`}
</section>`;
}

export function verificationPage(data: VerificationPageData): string {
  const { service, verification: v, attempts } = data;
  const base = `/admin/services/${service.sid}`;
  const facts: Array<[string, SafeHtml | string | number]> = [
    ['SID', html`<code>${v.sid}</code>`],
    ['Destination', v.destination],
    ['Channel', v.channel],
    ['Status', statusBadge(v.status)],
    ['Checks', v.check_attempts],
    ['Sends', v.send_attempts.length],
    ['Created', isoTime(v.date_created)],
    ['Updated', isoTime(v.date_updated)],
    ['Expires', isoTime(v.expires_at)],
  ];
  const bySend = new Map<string, AttemptSummary[]>();
  for (const attempt of attempts) {
    const list = bySend.get(attempt.send_attempt_sid);
    if (list) list.push(attempt);
    else bySend.set(attempt.send_attempt_sid, [attempt]);
  }
  const sends = v.send_attempts.map((send, i) => sendSection(html`Send ${i + 1} (${send.channel}) at ${send.time} <code>${send.attempt_sid}</code>`, bySend.get(send.attempt_sid) ?? []));
  const known = new Set(v.send_attempts.map((s) => s.attempt_sid));
  const others = attempts.filter((a) => !known.has(a.send_attempt_sid));
  const crumbs =
    data.from === 'verifications'
      ? html`<a href="/admin/verifications">Verifications</a> › <a href="${base}">${service.friendly_name}</a>`
      : html`<a href="/admin">Services</a> › <a href="${base}">${service.friendly_name}</a>`;
  const events = data.events ?? [];
  return layout(
    `Verification ${v.sid}`,
    data.viewer,
    html`<nav class="crumbs" aria-label="Breadcrumb">${crumbs} › <span aria-current="page">${v.sid}</span></nav>
<h1>Verification to ${v.destination}</h1>
<dl class="settings facts">${facts.map(([k, value]) => html`<div><dt>${k}</dt><dd>${value}</dd></div>`)}</dl>
<section aria-labelledby="delivery"><h2 id="delivery">Delivery</h2>
<p class="note">Each send of the code goes through its route’s providers in order until one delivers it: the same code every time. Times are UTC, as the carriers reported them. Codes are never shown.</p>
${v.send_attempts.length === 0 && others.length === 0 ? html`<p class="empty">This verification has not been sent.</p>` : ''}
${sends}
${others.length > 0 ? sendSection(html`Other attempts`, others) : ''}
</section>
${data.events === undefined
  ? ''
  : html`<section aria-labelledby="events"><h2 id="events">Events</h2>
${events.length === 0
  ? html`<p class="empty">No event is recorded for this verification.</p>`
  : html`<ol class="event-list">${events.map((e) => html`<li data-type="${e.type}"><time datetime="${isoTime(e.date_created)}">${isoTime(e.date_created)}</time> <code>${e.type}</code></li>`)}</ol>
<p class="note">Each event is what the service’s webhooks receive; see <a href="/admin/webhooks">Webhooks</a> for their deliveries.</p>`}
</section>`}`,
    data.from === 'verifications' ? '/admin/verifications' : base,
  );
}

// ---------------------------------------------------------------------------------------------
// The Delivery page
// ---------------------------------------------------------------------------------------------

export interface DeliveryPageData {
  viewer: Viewer;
  hours: DeliveryWindow;
  stats: DeliveryStat[];
  /** The window held more attempts than the page reads. */
  truncated: boolean;
  /** This node's routing table and breakers; undefined when the server has none to show. */
  routing: RoutingSnapshot | undefined;
  /** The account's services: a route's service restrictions show only these. */
  ownServices: ReadonlySet<string>;
  /** The Charts section (charts/traffic-charts.ts `deliveryCharts`), when the route drew it. */
  charts?: SafeHtml | undefined;
}

/** Routes this account's sends may take: every route not limited to services, and those limited to one of its services. */
function visibleRoutes(routes: RouteSnapshot[], own: ReadonlySet<string>): RouteSnapshot[] {
  return routes.filter((r) => r.services.length === 0 || r.services.some((s) => own.has(s)));
}

function routesSection(data: DeliveryPageData): SafeHtml {
  const { routing } = data;
  if (!routing) return html`<section aria-labelledby="routes"><h2 id="routes">Routes</h2><p class="empty">This server reports no routing table.</p></section>`;
  const routes = visibleRoutes(routing.routes, data.ownServices);
  const rows = routes.map((r) => {
    const own = r.services.filter((s) => data.ownServices.has(s));
    return html`<tr data-route="${r.id}">
<td><code>${r.id}</code>${r.implicit ? html`<br><span class="note">default</span>` : ''}</td>
<td>${r.channel}</td>
<td class="wrap">${r.prefixes.length ? r.prefixes.join(', ') : 'any number'}</td>
<td class="wrap">${r.services.length === 0 ? 'every service' : own.map((s) => html`<code>${s}</code> `)}</td>
<td class="wrap"><ol class="targets">${[...r.targets].sort((a, b) => a.tier - b.tier).map((t) => html`<li><strong>${t.instance}</strong> (${t.plugin}) tier ${t.tier}, weight ${t.weight}</li>`)}</ol></td>
<td>${r.deliveryTimeoutMs === undefined ? 'none' : duration(r.deliveryTimeoutMs)}</td>
<td class="num">${r.selections}</td>
</tr>`;
  });
  return html`<section aria-labelledby="routes"><h2 id="routes">Routes</h2>
<p class="note">${routing.configured ? 'From the messaging configuration, in the order they are matched: a service’s own route first, then the longest number prefix.' : 'No messaging configuration: each channel sends through its configured provider.'} A send that is refused, reported undelivered, or not delivered within the time-out goes to the next target.</p>
${routes.length === 0
  ? html`<p class="empty">No route applies to this account’s services.</p>`
  : tableWrap('Routes', html`<table>
<caption>Routes (selections: plans this server made since it started)</caption>
<thead><tr><th scope="col">Route</th><th scope="col">Channel</th><th scope="col">Prefixes</th><th scope="col">Services</th><th scope="col">Targets, in order</th><th scope="col">Delivery time-out</th><th scope="col">Selections</th></tr></thead>
<tbody>${rows}</tbody></table>`)}
</section>`;
}

function healthSection(data: DeliveryPageData): SafeHtml {
  const { routing } = data;
  if (!routing) return html``;
  const h = routing.health;
  const rows = routing.breakers.map(
    (b) => html`<tr data-breaker="${b.instance}:${b.country}" data-state="${b.state}">
<td><strong>${b.instance}</strong></td>
<td>${b.country}</td>
<td><span class="status breaker-${b.state}">${b.state}</span></td>
<td class="wrap">${b.reason}</td>
<td>${isoTime(b.since)}</td>
<td>${b.state === 'open' ? isoTime(b.halfOpenAt) : '—'}</td>
<td class="num">${b.window.delivered}/${b.window.samples} (${percent(b.window.deliveryRate)})</td>
<td class="num">${b.consecutiveRejections}</td>
<td class="num">${b.state === 'half-open' ? `${b.probes.delivered}/${b.probes.needed}` : '—'}</td>
</tr>`,
  );
  return html`<section aria-labelledby="health"><h2 id="health">Provider health</h2>
<p class="note">A provider is taken out of rotation for a country (<em>open</em>) when fewer than ${percent(h.openBelowRate)} of its last ${h.windowSize} outcomes (within ${duration(h.windowSeconds * 1000)}, at least ${h.minSamples}) were delivered, or after ${h.openAfterRejections} refusals in a row. After ${duration(h.cooldownSeconds * 1000)} it is probed (<em>half-open</em>: one send in ${h.probeEvery} tries it first) and back in rotation after ${h.closeAfterProbes} delivered probes. This is this server’s view since it started, as of ${isoTime(routing.at)}.</p>
${routing.breakers.length === 0
  ? html`<p class="empty">No provider has carried traffic since this server started.</p>`
  : tableWrap('Circuit breakers', html`<table>
<caption>Circuit breakers, per provider and destination country</caption>
<thead><tr><th scope="col">Provider</th><th scope="col">Country</th><th scope="col">State</th><th scope="col">Why</th><th scope="col">Since</th><th scope="col">Probing from</th><th scope="col">Delivered (window)</th><th scope="col">Refusals in a row</th><th scope="col">Probes</th></tr></thead>
<tbody>${rows}</tbody></table>`)}
</section>`;
}

function statsSection(data: DeliveryPageData): SafeHtml {
  const rows = data.stats.map(
    (s) => html`<tr class="${s.country === null ? 'total' : 'country'}" data-provider="${s.provider}" data-country="${s.country ?? ''}">
<td>${s.country === null ? html`<strong>${s.provider}</strong>` : ''}</td>
<td>${s.country ?? 'all'}</td>
<td class="num">${s.attempts}</td>
<td class="num">${s.delivered}</td>
<td class="num">${s.notDelivered}</td>
<td class="num">${s.rejected}</td>
<td class="num">${s.timedOut}</td>
<td class="num">${s.pending}</td>
<td class="num">${s.failovers}</td>
<td class="num">${percent(s.deliveryRate)}</td>
<td class="num">${duration(s.p50Ms)}</td>
<td class="num">${duration(s.p90Ms)}</td>
</tr>`,
  );
  return html`<section aria-labelledby="rates"><h2 id="rates">Delivery rate and latency</h2>
${data.truncated ? html`<p class="note">Only the newest attempts of the window are counted: choose a shorter window for exact numbers.</p>` : ''}
${data.stats.length === 0
  ? html`<p class="empty">No delivery attempts in the ${windowLabel(data.hours)}.</p>`
  : html`<p class="note">Delivery rate: delivered out of the attempts that ended (delivered, not delivered, refused or timed out). Latency: from the attempt to the carrier’s delivered report.</p>
${tableWrap('Delivery rate and latency', html`<table>
<caption>This account’s delivery attempts, ${windowLabel(data.hours)}, per provider and destination country</caption>
<thead><tr><th scope="col">Provider</th><th scope="col">Country</th><th scope="col">Attempts</th><th scope="col">Delivered</th><th scope="col">Not delivered</th><th scope="col">Refused</th><th scope="col">Timed out</th><th scope="col">Pending</th><th scope="col">Failovers</th><th scope="col">Delivery rate</th><th scope="col">Median latency</th><th scope="col">90th percentile</th></tr></thead>
<tbody>${rows}</tbody></table>`)}`}
</section>`;
}

export function deliveryPage(data: DeliveryPageData): string {
  return layout(
    'Delivery',
    data.viewer,
    html`<h1>Delivery</h1>
<p class="note">How this account’s messages and calls reach phones: delivery rate per provider and country, the routes, and each provider’s health.</p>
<form class="filters" method="get" action="${DELIVERY_PATH}">
<div><label for="hours">Window</label>
<select id="hours" name="hours">${DELIVERY_WINDOWS.map((h) => html`<option value="${h}"${h === data.hours ? html` selected` : ''}>${windowLabel(h)}</option>`)}</select></div>
<button type="submit">Show</button>
</form>
${data.charts ? html`<section aria-labelledby="charts"><h2 id="charts">Charts</h2>${data.charts}</section>` : ''}
${statsSection(data)}
${routesSection(data)}
${healthSection(data)}`,
    DELIVERY_PATH,
  );
}
