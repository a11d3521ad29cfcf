import type { Config } from '../config/config.ts';
import { BIOMETRIC_FREE_FAILURES } from '../factors/voiceprint-factor/biometric-lockout.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import type { Lockout, LockoutOwner } from '../store/admin-identity-queries.ts';
import type { BucketPolicy } from '../store/rate-limit-store.ts';
import type { RateBucketRow, RateLimitBucketRow, RateLimitRow, SafeListNumberRow } from '../store/schema.ts';
import { LOCKOUT, SEND_LIMIT } from '../verify/limits.ts';
import { layout, type Viewer } from './admin-pages.ts';
import { clearLockoutPath, entityPath } from './entities-pages.ts';
import { confirmPage, dataTable, notice, openButton, serviceSelect, when } from './identity-page-parts.ts';
import { pager } from './admin-components.ts';

/** The console's limits page: the limits in force, the buckets throttling now, the lock-outs (with Clear), and the safe list. */

export const LIMITS_PATH = '/admin/limits';
export const CLEAR_LOCKOUT_PATH = `${LIMITS_PATH}/lockouts/clear`;

/** A bucket as the page shows it: what it limits, for whom, and its state now. */
export interface BucketView {
  what: string;
  /** Whom it counts (a destination, a prefix, the account…); a counted value kept as a digest is said so. */
  subject: string;
  tokens: number;
  capacity: number;
  /** Seconds until the next request fits (0: not throttling). */
  retryAfterSeconds: number;
}

type RateConfig = Pick<Config['rateLimits'], 'account' | 'service' | 'prefix' | 'sendAccount'>;

const perSecond = (p: { perSecond: number; burst: number }): BucketPolicy => ({ capacity: p.burst, refillPerSecond: p.perSecond });

/** What a bucket key of this account and service counts, under which policy; undefined for a key the page does not know. */
function describeKey(key: string, rates: RateConfig, buckets: Map<string, { limit: RateLimitRow; bucket: RateLimitBucketRow }>): { what: string; subject: string; policy: BucketPolicy } | undefined {
  const [kind = '', ...rest] = key.split(':');
  if (kind === 'acct') return { what: 'API requests of the account', subject: 'this account', policy: perSecond(rates.account) };
  if (kind === 'svc') return { what: 'API requests of the service', subject: 'this service', policy: perSecond(rates.service) };
  if (kind === 'send-account') return { what: 'Sends of the account (every channel)', subject: 'this account', policy: perSecond(rates.sendAccount) };
  if (kind === 'send' || kind === 'send-hosted') {
    const [, destination = '', ...requester] = rest;
    const who = kind === 'send-hosted' ? ' (every hosted user together)' : requester.length ? ` (${requester.join(':')})` : '';
    return { what: `Sends to one destination${who}`, subject: destination, policy: SEND_LIMIT };
  }
  if (kind === 'prefix') {
    const { maxSends, windowSeconds } = rates.prefix;
    return { what: 'Sends to one number prefix', subject: `${rest[1] ?? ''}…`, policy: { capacity: maxSends, refillPerSecond: maxSends / windowSeconds } };
  }
  if (kind === 'service-rate') {
    const found = buckets.get(rest[0] ?? '');
    if (!found) return undefined;
    return {
      what: `Rate limit ${found.limit.unique_name}: ${found.bucket.max} per ${found.bucket.interval} s`,
      subject: 'one value (kept as a digest, never stored)',
      policy: { capacity: found.bucket.max, refillPerSecond: found.bucket.max / found.bucket.interval },
    };
  }
  return undefined;
}

/** The buckets that refuse a request now (refilled to `now`), fewest tokens first. */
export function throttlingBuckets(rows: RateBucketRow[], rates: RateConfig, definitions: Array<{ limit: RateLimitRow; buckets: RateLimitBucketRow[] }>, now: number): BucketView[] {
  const byBucket = new Map(definitions.flatMap(({ limit, buckets }) => buckets.map((bucket) => [bucket.sid, { limit, bucket }] as const)));
  const views: BucketView[] = [];
  for (const row of rows) {
    const known = describeKey(row.key, rates, byBucket);
    if (!known) continue;
    const { capacity, refillPerSecond } = known.policy;
    const tokens = Math.min(capacity, Number(row.tokens) + Math.max(0, now - Number(row.updated_at)) * (refillPerSecond / 1000));
    if (tokens >= 1) continue;
    views.push({ what: known.what, subject: known.subject, tokens, capacity, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerSecond)) });
  }
  return views.sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds);
}

export interface LimitsPageData {
  viewer: Viewer;
  now: number;
  services: Array<{ sid: string; friendly_name: string }>;
  service: string | undefined;
  rates: RateConfig;
  definitions: Array<{ limit: RateLimitRow; buckets: RateLimitBucketRow[] }>;
  throttling: BucketView[];
  lockouts: Lockout[];
  safeList: SafeListNumberRow[];
  safeListMore: boolean;
  page: number;
  done: string | undefined;
}

const duration = (seconds: number): string => (seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);
const rate = (policy: BucketPolicy): string => {
  const window = policy.capacity / policy.refillPerSecond;
  return `${policy.capacity} at once, refilled over ${duration(Math.round(window))}`;
};

function builtInLimits(data: LimitsPageData): SafeHtml {
  const { rates } = data;
  const lockoutSchedule = `${LOCKOUT.freeFailures} free, then ${LOCKOUT.baseDelayMs / 1000} s doubling up to ${LOCKOUT.maxDelayMs / 3_600_000} h; ${LOCKOUT.hardLockMs / 3_600_000} h at ${LOCKOUT.hardLimit}`;
  const rows: Array<[string, string, string]> = [
    ['API requests', 'per account', rate(perSecond(rates.account))],
    ['API requests', 'per service', rate(perSecond(rates.service))],
    ['Sends of a code', 'per service and destination', rate(SEND_LIMIT)],
    ['Sends of a code', `per number prefix (first ${rates.prefix.digits} digits)`, `${rates.prefix.maxSends} per ${duration(rates.prefix.windowSeconds)} (safe-listed numbers are exempt)`],
    ['Sends of a code', 'per account', rate(perSecond(rates.sendAccount))],
    ['Wrong codes (lock-out)', 'per service and destination', lockoutSchedule],
    ['Wrong codes and push answers (lock-out)', 'per entity', lockoutSchedule],
    ['Voiceprint failures (lock-out)', 'per voiceprint', `${BIOMETRIC_FREE_FAILURES} free, then 30 s doubling up to 1 h`],
  ];
  // Label/value cards rather than a table: the limit is the point, and it stays visible at 375 px.
  return html`<p class="note">Limits every service has (set in the server's configuration).</p>
<dl class="settings">${rows.map(([what, per, limit]) => html`<div><dt>${what}, ${per}</dt><dd>${limit}</dd></div>`)}</dl>`;
}

function definitionsTable(data: LimitsPageData): SafeHtml {
  if (data.definitions.length === 0) return html`<p class="empty">This service has no rate limits of its own (<code>RateLimits</code> of the API).</p>`;
  return dataTable({
    id: 'definitions-caption',
    caption: 'Rate limits of this service (a verification names them in RateLimits)',
    head: ['Unique name', 'Description', 'Buckets', 'Created'],
    rows: data.definitions.map(
      ({ limit, buckets }) => html`<tr>
<th scope="row">${limit.unique_name}<br><code>${limit.sid}</code></th>
<td class="wrap">${limit.description ?? '—'}</td>
<td>${buckets.length ? buckets.map((b, i) => html`${i > 0 ? html`<br>` : ''}${b.max} per ${duration(b.interval)}`) : 'none (counts nothing)'}</td>
<td>${when(limit.date_created, data.now)}</td>
</tr>`,
    ),
  });
}

function throttlingTable(data: LimitsPageData): SafeHtml {
  if (data.throttling.length === 0) return html`<p class="empty">Nothing of this service or account is being throttled right now.</p>`;
  return dataTable({
    id: 'throttling-caption',
    caption: 'Buckets refusing requests now (tokens refill continuously; a request needs one)',
    head: ['What', 'Whom', { label: 'Tokens', num: true }, { label: 'Retry after', num: true }],
    rows: data.throttling.map(
      (b) => html`<tr><th scope="row">${b.what}</th><td>${b.subject}</td><td class="num">${b.tokens.toFixed(2)} of ${b.capacity}</td><td class="num">${b.retryAfterSeconds} s</td></tr>`,
    ),
  });
}

/** Whose a lock-out is, in words (and a link to the entity when it is one's). */
function ownerLabel(owner: LockoutOwner): SafeHtml {
  if (owner.kind === 'destination') return html`${owner.destination} <small>(${owner.requester ? `checks by ${owner.requester}` : 'the API\'s checks'})</small>`;
  if (owner.kind === 'entity') return html`Entity <a href="${entityPath(owner.entitySid)}">${owner.identity}</a>`;
  return html`Voiceprint <code>${owner.factorSid}</code> of <a href="${entityPath(owner.entitySid)}">${owner.identity}</a>`;
}

function lockoutsTable(data: LimitsPageData): SafeHtml {
  if (data.lockouts.length === 0) return html`<p class="empty">No destination, entity or voiceprint of this service has failures counted.</p>`;
  const sorted = [...data.lockouts].sort((a, b) => b.row.locked_until - a.row.locked_until);
  return dataTable({
    id: 'lockouts-caption',
    caption: 'Consecutive failures, locked ones first (a success or Clear ends them)',
    head: ['Applies to', { label: 'Failures', num: true }, 'State', 'Updated', { label: 'Action', hidden: true }],
    rows: sorted.map(
      ({ row, owner }) => html`<tr>
<th scope="row">${ownerLabel(owner)}</th>
<td class="num">${row.consecutive}</td>
<td>${row.locked_until > data.now ? html`<strong>locked</strong> until ${when(row.locked_until, data.now)}` : 'not locked'}</td>
<td>${when(row.date_updated, data.now)}</td>
<td>${openButton(clearLockoutPath(row.key, 'limits'), 'Clear')}</td>
</tr>`,
    ),
  });
}

function safeListTable(data: LimitsPageData): SafeHtml {
  if (data.safeList.length === 0) return html`<p class="empty">The account's safe list is empty.</p>`;
  return html`${dataTable({
    id: 'safelist-caption',
    caption: 'Numbers exempt from the number-prefix limit, by number',
    head: ['Number', 'SID', 'Added'],
    rows: data.safeList.map((n) => html`<tr><th scope="row">${n.phone_number}</th><td><code>${n.sid}</code></td><td>${when(n.date_created, data.now)}</td></tr>`),
  })}${pager(LIMITS_PATH, { service: data.service }, data.page, data.safeListMore)}`;
}

export function limitsPage(data: LimitsPageData): string {
  return layout(
    'Limits and lock-outs',
    data.viewer,
    html`<h1>Limits and lock-outs</h1>
${notice(data.done)}
${data.services.length === 0
  ? html`<p class="empty">This account has no services yet.</p>`
  : html`<form class="filters" method="get" action="${LIMITS_PATH}" aria-label="Choose a service">
<div><label for="filter-service">Service</label>${serviceSelect(data.services, data.service)}</div>
<button type="submit">Show</button>
</form>
<section aria-labelledby="throttling"><h2 id="throttling">Throttling now</h2>${throttlingTable(data)}</section>
<section aria-labelledby="lockouts"><h2 id="lockouts">Lock-outs</h2>${lockoutsTable(data)}</section>
<section aria-labelledby="definitions"><h2 id="definitions">Service rate limits</h2>${definitionsTable(data)}</section>`}
<section aria-labelledby="builtin"><h2 id="builtin">Built-in limits</h2>${builtInLimits(data)}</section>
<section aria-labelledby="safelist"><h2 id="safelist">Safe list</h2>${safeListTable(data)}</section>`,
    LIMITS_PATH,
  );
}

/** Confirmation of clearing a lock-out. */
export function clearLockoutPage(viewer: Viewer, now: number, lockout: Lockout, from: 'entity' | 'limits'): string {
  const { row, owner } = lockout;
  const back = from === 'entity' && owner.kind !== 'destination' ? entityPath(owner.entitySid) : `${LIMITS_PATH}?service=${owner.serviceSid}`;
  return confirmPage(viewer, {
    title: 'Clear this lock-out?',
    message: 'The count of consecutive failures is reset and any lock ends now: the next attempt is judged again. Clear a lock-out only when you know who was locked out.',
    facts: [
      ['Applies to', ownerLabel(owner)],
      ['Failures in a row', String(row.consecutive)],
      ['State', row.locked_until > now ? html`locked until ${when(row.locked_until, now)}` : 'not locked'],
      ['Updated', when(row.date_updated, now)],
    ],
    action: CLEAR_LOCKOUT_PATH,
    fields: { key: row.key, from },
    button: 'Clear lock-out',
    cancel: back,
    crumbs: html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${LIMITS_PATH}">Limits</a> › <span aria-current="page">Clear a lock-out</span></nav>`,
    section: LIMITS_PATH,
  });
}
