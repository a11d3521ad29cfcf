import type { AccountRow, CheckFailureRow, RateBucketRow, ServiceRow, WebhookRow } from '../store/schema.ts';
import type { DailyCount, DeliverySummary, VerificationSummary } from '../store/admin-queries.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { isoSeconds } from '../time/format.ts';
import { icon } from '../pages/icons.ts';
import { ADMIN_SECTIONS, currentSection } from './admin-nav.ts';
import { emptyState, pager, percent, statTiles, tableWrap } from './admin-components.ts';
import type { OverviewStats } from './overview-stats.ts';
import { serviceCharts } from './charts/service-charts.ts';
import type { VoiceprintStatus } from '../factors/voiceprint-factor/voiceprint-status.ts';
import { voiceprintSection } from './voiceprint-panel.ts';

/** An ISO-8601 UTC time (to the second) for a millisecond timestamp; a dash when there is none. */
export const isoTime = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : isoSeconds(Number(ms)));

/** The console's files (src/admin/static), served by admin-routes.ts. */
export const ADMIN_ASSETS_PREFIX = '/admin/assets/';
const STYLESHEET_PATH = `${ADMIN_ASSETS_PREFIX}admin.css`;
const CHARTS_STYLESHEET_PATH = `${ADMIN_ASSETS_PREFIX}charts.css`;
const FAVICON_PATH = `${ADMIN_ASSETS_PREFIX}favicon.svg`;
/** The delivery page: routes, provider health, delivery rates (delivery-pages.ts). */
export const DELIVERY_PATH = '/admin/delivery';
/** The API keys page (keys-pages.ts). */
export const KEYS_PATH = '/admin/keys';

/** The signed-in operator a page is for: their account, and the CSRF token every form of the page carries (form-protection.ts). */
export interface Viewer {
  account: AccountRow;
  csrfToken: string;
  /** The console session's handle (`AS…`): the actor of audit entries (audit-log.ts). */
  sessionSid?: string | undefined;
  /** The client address of the request (audit entries). */
  ip?: string | undefined;
}

/** The hidden field with the session's CSRF token (every form that posts carries it). */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="csrf_token" value="${token}">`;
}

/**
 * `same-origin`: the console's own posts carry a real `Origin` (with `no-referrer`, Chromium sends
 * `Origin: null`, which the same-origin check must refuse), and no URL of the console leaves the origin.
 */
const REFERRER_META = html`<meta name="referrer" content="same-origin">`;

function head(title: string): SafeHtml {
  return html`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${REFERRER_META}
<title>${title} · Verity admin</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="stylesheet" href="${CHARTS_STYLESHEET_PATH}">
<link rel="icon" type="image/svg+xml" href="${FAVICON_PATH}">`;
}

/** A page for someone not signed in (sign-in, errors before sign-in): the brand bar over a centred column. */
export function publicLayout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
${head(title)}
</head>
<body class="public">
<header class="top">
  <span class="brand">${icon('shield')}Verity admin</span>
</header>
<main id="main">
${body}
</main>
</body>
</html>
`.value;
}

/** The console's navigation: every section (admin-nav.ts), the page's own marked `aria-current="page"`. */
function sectionsNav(pagePath: string | undefined): SafeHtml {
  const current = currentSection(pagePath);
  return html`<nav class="sections" aria-label="Sections"><ul>
${ADMIN_SECTIONS.map((section) => html`<li><a href="${section.path}"${section === current ? html` aria-current="page"` : ''}>${section.icon ? icon(section.icon) : ''}<span>${section.label}</span></a></li>`)}
</ul></nav>`;
}

/**
 * A page of the signed-in console: the header (brand, account, sign-out), the section navigation
 * (a sidebar from 900 px wide, wrapped links below), and `body` in <main>. `pagePath` is the page's
 * path (`request.url` will do): the navigation marks the section it belongs to (admin-nav.ts).
 */
export function layout(title: string, viewer: Viewer, body: SafeHtml, pagePath?: string): string {
  const { account } = viewer;
  return html`<!doctype html>
<html lang="en">
<head>
${head(title)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/admin">${icon('shield')}Verity admin</a>
  <span class="account">Signed in to ${account.friendly_name} <code>${account.sid}</code></span>
  <form method="post" action="/admin/sign-out" class="sign-out">${csrfField(viewer.csrfToken)}<button type="submit">${icon('signOut')}Sign out</button></form>
</header>
<div class="shell">
${sectionsNav(pagePath)}
<main id="main">
${body}
</main>
</div>
</body>
</html>
`.value;
}


export function overviewPage(viewer: Viewer, services: ServiceRow[], page: number, more: boolean, stats: OverviewStats, charts: SafeHtml = html``): string {
  const rows = services.map((s) => {
    const today = stats.perService.get(s.sid) ?? { started: 0, approved: 0 };
    return html`<tr>
<td><a href="/admin/services/${s.sid}">${s.friendly_name}</a><br><code>${s.sid}</code></td>
<td class="wrap">${s.enabled_channels.join(', ')}</td>
<td class="num">${today.started}</td>
<td class="num">${percent(today.approved, today.started)}</td>
<td>${isoTime(s.date_created)}</td>
<td><a href="/admin/services/${s.sid}/settings" aria-label="Settings of ${s.friendly_name}">Settings</a></td>
</tr>`;
  });
  const tiles = statTiles(
    [
      { label: 'Verifications today', value: stats.started, note: 'Started since 00:00 UTC' },
      { label: 'Conversion', value: percent(stats.approved, stats.started), note: `${stats.approved} of ${stats.started} approved today` },
      { label: 'Delivery rate', value: percent(stats.delivered, stats.deliveryOutcomes), note: `${stats.delivered} of ${stats.deliveryOutcomes} messages delivered today` },
      { label: 'Fraud blocks', value: stats.refusedToday, note: 'Sends refused today (SMS-pumping cap, countries, send limits)' },
    ],
    'Today across these services',
  );
  return layout(
    'Overview',
    viewer,
    html`<h1>Overview</h1>
${tiles}
<section aria-labelledby="overview-charts"><h2 id="overview-charts">Trends</h2>
${charts}
<p class="note"><a href="/admin/delivery">Delivery rates per country and provider health</a></p>
</section>
<h2>Services</h2>
${services.length === 0
  ? emptyState(html`This account has no services yet. Create one with the API: <code>POST /v2/Services</code>.`)
  : tableWrap('Services', html`<table>
<caption>Services of this account, newest first</caption>
<thead><tr><th scope="col">Service</th><th scope="col">Channels</th><th scope="col" class="num">Today</th><th scope="col" class="num">Approved</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Settings</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>`)}
${pager('/admin', {}, page, more)}`,
    '/admin',
  );
}

export interface ServicePageData {
  viewer: Viewer;
  service: ServiceRow;
  to: string | undefined;
  page: number;
  verifications: VerificationSummary[];
  more: boolean;
  webhooks: WebhookRow[];
  deliveries: DeliverySummary[];
  buckets: RateBucketRow[];
  failures: CheckFailureRow[];
  daily: DailyCount[];
  today: number;
  now: number;
  /** Voiceprints on this server (VERITY_VOICEPRINT, model, measured FAR/FRR): its section (voiceprint-panel.ts). */
  voiceprint: VoiceprintStatus;
}


function settings(service: ServiceRow): SafeHtml {
  const yes = (v: boolean) => (v ? 'yes' : 'no');
  const entries: Array<[string, string | number]> = [
    ['SID', service.sid],
    ['Code length', service.code_length],
    ['Code lifetime', `${service.code_ttl_seconds} s`],
    ['Channels', service.enabled_channels.join(', ') || '—'],
    ['Allowed countries', service.allowed_countries ? service.allowed_countries.join(', ') : 'all'],
    ['Default locale', service.default_locale ?? '—'],
    ['Custom codes', yes(service.custom_code_enabled)],
    ['Lookup', yes(service.lookup_enabled)],
    ['Skip SMS to landlines', yes(service.skip_sms_to_landlines)],
    ['DTMF input required', yes(service.dtmf_input_required)],
    ['PSD2', yes(service.psd2_enabled)],
    ['Do-not-share warning', yes(service.do_not_share_warning_enabled)],
    ['TTS name', service.tts_name ?? '—'],
    ['WebOTP domain', service.web_otp_domain ?? '—'],
    ['Created', isoTime(service.date_created)],
    ['Updated', isoTime(service.date_updated)],
  ];
  return html`<section aria-labelledby="settings"><h2 id="settings">Settings</h2>
<p><a href="/admin/services/${service.sid}/settings">${icon('edit')} Edit the settings</a></p>
<dl class="settings">${entries.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl></section>`;
}

/** `12-07 01:36` (UTC) in a table cell that has no room for the year and seconds; the full ISO time is its `datetime` and tooltip. */
function shortTime(ms: number): SafeHtml {
  const iso = isoSeconds(Number(ms));
  return html`<time datetime="${iso}" title="${iso}">${iso.slice(5, 16).replace('T', ' ')}</time>`;
}

function verificationsSection(data: ServicePageData): SafeHtml {
  const base = `/admin/services/${data.service.sid}`;
  const rows = data.verifications.map(
    (v) => html`<tr>
<td><code>${v.sid}</code></td>
<td>${v.destination}</td>
<td>${v.channel}</td>
<td><span class="status s-${v.status}">${v.status}</span></td>
<td class="num">${v.send_attempts}</td>
<td class="num">${v.check_attempts}</td>
<td>${shortTime(v.date_created)}</td>
<td>${shortTime(v.date_updated)}</td>
<td><a href="${base}/verifications/${v.sid}" aria-label="Delivery of ${v.sid}">Delivery</a></td>
</tr>`,
  );
  return html`<section aria-labelledby="verifications"><h2 id="verifications">Recent verifications</h2>
<form class="search" method="get" action="${base}" role="search">
<label for="to">Destination (exact or prefix)</label>
<input id="to" name="to" type="search" value="${data.to ?? ''}" placeholder="+1415… or name@" autocomplete="off" maxlength="320">
<button type="submit">Search</button>
${data.to ? html`<a href="${base}">Clear</a>` : ''}
</form>
${data.verifications.length === 0
  ? html`<p class="empty">${data.to ? html`No verification to a destination starting with <code>${data.to}</code>.` : 'No verifications yet.'}</p>`
  : tableWrap('Recent verifications', html`<table class="recent-verifications">
<caption>Newest first${data.to ? html`; destination starts with <code>${data.to}</code>` : ''}. Times in UTC. Codes are never shown (Verity does not store them).</caption>
<thead><tr><th scope="col">SID</th><th scope="col">Destination</th><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">Sends</th><th scope="col">Checks</th><th scope="col">Created</th><th scope="col">Updated</th><th scope="col"><span class="visually-hidden">Details</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>`)}
${pager(base, { to: data.to }, data.page, data.more)}
</section>`;
}

function webhooksSection(data: ServicePageData): SafeHtml {
  const hooks = data.webhooks.map(
    (w) => html`<tr>
<td>${w.friendly_name}<br><code>${w.sid}</code></td>
<td class="wrap">${w.webhook_method} ${w.webhook_url}</td>
<td class="wrap">${w.event_types.join(', ')}</td>
<td>${w.status}</td>
<td>${w.format === 'twilio' ? (data.viewer.account.auth_token_sealed === null ? 'Twilio (sent as Verity until the token is rotated)' : 'Twilio') : 'Verity'}</td>
</tr>`,
  );
  // An account older than sealed tokens cannot sign X-Twilio-Signature: say so where it matters (docs/webhooks.md).
  const unsignable = data.viewer.account.auth_token_sealed === null && data.webhooks.some((w) => w.format === 'twilio');
  const deliveries = data.deliveries.map(
    (d) => html`<tr>
<td><code>${d.webhook_sid}</code></td>
<td>${d.event_type}<br><code>${d.resource_sid}</code></td>
<td><span class="status s-${d.status}">${d.status}</span></td>
<td class="num">${d.attempts}</td>
<td>${d.status === 'pending' ? isoTime(d.next_attempt_at) : '—'}</td>
<td class="wrap">${d.last_status_code ?? ''} ${d.last_error ?? (d.last_status_code === null ? '—' : '')}</td>
<td>${isoTime(d.date_created)}</td>
</tr>`,
  );
  return html`<section aria-labelledby="webhooks"><h2 id="webhooks">Webhooks</h2>
${data.webhooks.length === 0
  ? html`<p class="empty">No webhooks configured for this service.</p>`
  : html`${tableWrap('Webhooks', html`<table>
<caption>Webhooks of this service</caption>
<thead><tr><th scope="col">Webhook</th><th scope="col">Target</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Format</th></tr></thead>
<tbody>${hooks}</tbody></table>`)}
${unsignable ? html`<p class="notice" role="note">Webhooks in Twilio's format are sent in Verity's JSON format for now: this account was created before Verity kept auth tokens sealed, so it cannot sign <code>X-Twilio-Signature</code>. Rotate the auth token (<code>verity accounts rotate-token --sid ${data.viewer.account.sid}</code>) to sign them as Twilio does.</p>` : ''}
<h3>Recent deliveries</h3>
<p class="note">Retry deliveries and reset breakers on the <a href="/admin/webhooks">Webhooks page</a>.</p>
${data.deliveries.length === 0
  ? html`<p class="empty">No deliveries yet.</p>`
  : tableWrap('Recent deliveries', html`<table>
<caption>Newest first</caption>
<thead><tr><th scope="col">Webhook</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Next attempt</th><th scope="col">Last error</th><th scope="col">Created</th></tr></thead>
<tbody>${deliveries}</tbody></table>`)}`}
</section>`;
}

function limitsSection(data: ServicePageData): SafeHtml {
  const buckets = data.buckets.map((b) => {
    const [kind = '', , ...rest] = b.key.split(':');
    return html`<tr><td>${kind === 'send' ? 'sends per destination' : 'sends per number prefix'}</td><td>${rest.join(':')}</td><td class="num">${b.tokens.toFixed(2)}</td><td>${isoTime(b.updated_at)}</td></tr>`;
  });
  const failures = data.failures.map((f) => {
    const destination = f.key.slice(data.service.sid.length + 1);
    return html`<tr><td>${destination}</td><td class="num">${f.consecutive}</td><td>${f.locked_until > data.now ? html`<strong>locked until ${isoTime(f.locked_until)}</strong>` : 'not locked'}</td><td>${isoTime(f.date_updated)}</td></tr>`;
  });
  return html`<section aria-labelledby="limits"><h2 id="limits">Rate limits and lock-outs</h2>
<h3>Send buckets running low</h3>
<p class="note">Buckets with fewer than 2 tokens left, as of their last update (they refill over time; a missing bucket is full). Sends the fraud guard refused are counted per day on the <a href="/admin">Overview</a>.</p>
${data.buckets.length === 0
  ? html`<p class="empty">No bucket of this service is running low.</p>`
  : tableWrap('Send buckets running low', html`<table><caption>Lowest first</caption>
<thead><tr><th scope="col">Limit</th><th scope="col">Key</th><th scope="col">Tokens</th><th scope="col">Updated</th></tr></thead>
<tbody>${buckets}</tbody></table>`)}
<h3>Wrong-code lock-outs</h3>
<p class="note">Clear a lock-out on the <a href="/admin/limits?service=${data.service.sid}">Limits page</a>.</p>
${data.failures.length === 0
  ? html`<p class="empty">No destination has consecutive wrong codes.</p>`
  : tableWrap('Wrong-code lock-outs', html`<table><caption>Destinations with consecutive wrong codes</caption>
<thead><tr><th scope="col">Destination</th><th scope="col">Consecutive failures</th><th scope="col">Lock</th><th scope="col">Updated</th></tr></thead>
<tbody>${failures}</tbody></table>`)}
</section>`;
}

export function servicePage(data: ServicePageData): string {
  return layout(
    data.service.friendly_name,
    data.viewer,
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="/admin">Overview</a> › <span aria-current="page">${data.service.friendly_name}</span></nav>
<div class="page-head"><h1>${data.service.friendly_name}</h1><div class="actions"><a class="secondary" href="/admin/services/${data.service.sid}/settings">${icon('settings')} Settings</a><a class="secondary" href="/admin/services/${data.service.sid}/authy">Authy API</a></div></div>
<section aria-labelledby="activity"><h2 id="activity">Activity</h2>
${serviceCharts(data.daily, data.today)}
</section>
${verificationsSection(data)}
${webhooksSection(data)}
${limitsSection(data)}
${settings(data.service)}
${voiceprintSection(data.service, data.voiceprint)}
<section aria-labelledby="authy"><h2 id="authy">Authy API</h2><p><a href="/admin/services/${data.service.sid}/authy">The Authy API key of this service</a> (issue, rotate, revoke).</p></section>`,
    `/admin/services/${data.service.sid}`,
  );
}

/** A short page that says what happened; `link` is where to go from here (a local path). */
export function messagePage(viewer: Viewer | undefined, title: string, message: string, link?: { href: string; label: string }): string {
  if (!viewer) {
    return publicLayout(title, html`<h1>${title}</h1><p>${message}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`);
  }
  const back = link ?? { href: '/admin', label: 'Back to services' };
  return layout(title, viewer, html`<h1>${title}</h1><p>${message}</p><p><a href="${back.href}">${back.label}</a></p>`);
}
