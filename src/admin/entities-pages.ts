import { html, type SafeHtml } from '../pages/html.ts';
import type { ChallengeSummary, EntitySummary, FactorOverview } from '../store/admin-identity-queries.ts';
import type { CheckFailureRow, FactorRow, PasskeyCredentialRow } from '../store/schema.ts';
import { layout, type Viewer } from './admin-pages.ts';
import { badge, confirmPage, dataTable, notice, openButton, serviceSelect, when } from './identity-page-parts.ts';
import { pager } from './admin-components.ts';

/** The console's entities pages: the list (search by identity, filter by service) and one entity with its factors and actions. */

export const ENTITIES_PATH = '/admin/entities';

export const entityPath = (entitySid: string): string => `${ENTITIES_PATH}/${entitySid}`;

/** How the console names each factor type. */
export const FACTOR_TYPE_LABELS: Readonly<Record<string, string>> = { totp: 'TOTP', push: 'Push', passkeys: 'Passkey', voiceprint: 'Voiceprint' };
const TYPE_ORDER = ['passkeys', 'push', 'totp', 'voiceprint'] as const;

const typeLabel = (type: string): string => FACTOR_TYPE_LABELS[type] ?? type;

export interface EntitiesPageData {
  viewer: Viewer;
  now: number;
  services: Array<{ sid: string; friendly_name: string }>;
  service: string | undefined;
  identity: string | undefined;
  page: number;
  entities: EntitySummary[];
  more: boolean;
  factorCounts: Map<string, Record<string, { total: number; verified: number }>>;
  recoveryCounts: Map<string, { total: number; remaining: number }>;
}

function countsCell(counts: Record<string, { total: number; verified: number }> | undefined): SafeHtml {
  const parts = TYPE_ORDER.filter((t) => counts?.[t]).map((t) => {
    const c = counts?.[t] ?? { total: 0, verified: 0 };
    const unverified = c.total - c.verified;
    return html`${typeLabel(t)} <strong>${c.total}</strong>${unverified > 0 ? html` (${unverified} unverified)` : ''}`;
  });
  return parts.length ? html`${parts.map((p, i) => html`${i > 0 ? ' · ' : ''}${p}`)}` : html`none`;
}

export function entitiesPage(data: EntitiesPageData): string {
  const rows = data.entities.map(
    (e) => html`<tr>
<th scope="row"><a href="${entityPath(e.sid)}">${e.identity}</a><br><code>${e.sid}</code></th>
<td>${e.service_name}</td>
<td>${countsCell(data.factorCounts.get(e.sid))}</td>
<td class="num">${(() => {
      const r = data.recoveryCounts.get(e.sid);
      return r ? `${r.remaining} of ${r.total}` : '—';
    })()}</td>
<td>${when(e.date_created, data.now)}</td>
</tr>`,
  );
  const filtered = data.identity !== undefined || data.service !== undefined;
  return layout(
    'Entities',
    data.viewer,
    html`<h1>Entities</h1>
<p class="note">An entity is one user of an application, named by the application's identity. Open one to see its factors, recovery codes and lock-outs, and to delete or reset a factor.</p>
<form class="filters" method="get" action="${ENTITIES_PATH}" role="search" aria-label="Find entities">
<div><label for="filter-service">Service</label>
${serviceSelect(data.services, data.service, 'All services')}</div>
<div><label for="filter-identity">Identity (exact)</label>
<input id="filter-identity" name="identity" type="search" value="${data.identity ?? ''}" autocomplete="off" maxlength="64" spellcheck="false"></div>
<button type="submit">Search</button>
${filtered ? html`<a href="${ENTITIES_PATH}">Clear</a>` : ''}
</form>
${data.entities.length === 0
  ? html`<p class="empty">${data.identity ? html`No entity with the identity <code>${data.identity}</code>${data.service ? ' in this service' : ''}.` : 'No entities yet. An entity appears when the application creates one, or a factor for one.'}</p>`
  : dataTable({
      id: 'entities-caption',
      caption: data.identity ? html`Entities with the identity <code>${data.identity}</code>` : 'Entities, newest first',
      head: ['Identity', 'Service', 'Factors', { label: 'Recovery codes left', num: true }, 'Created'],
      rows,
    })}
${pager(ENTITIES_PATH, { service: data.service, identity: data.identity }, data.page, data.more)}`,
    ENTITIES_PATH,
  );
}

export interface EntityPageData {
  viewer: Viewer;
  now: number;
  entity: EntitySummary;
  factors: FactorOverview[];
  passkeys: Array<Pick<PasskeyCredentialRow, 'factor_sid' | 'date_created' | 'date_last_used'>>;
  pushMarks: Map<string, { reason: string; date_marked: number }>;
  activity: Map<string, { lastDelivered: number | null; lastApproved: number | null }>;
  recoveryCodes: { total: number; remaining: number; dateCreated: number | null; lastUsed: number | null };
  /** The entity's own counter (`entity:<YE>`), when it has failures. */
  entityLockout: CheckFailureRow | undefined;
  /** Its voiceprints' counters (`voiceprint:<YF>`), by factor. */
  voiceprintLockouts: Map<string, CheckFailureRow>;
  challenges: ChallengeSummary[];
  done: string | undefined;
}

function parseConfig(factor: FactorRow): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(factor.config);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '—');

const PLATFORMS: Readonly<Record<string, string>> = { apn: 'Apple (APNs)', fcm: 'Android (FCM)', none: 'none (the app polls)' };

type Line = [string, SafeHtml | string];

/** Label: value lines in a table cell. */
const lines = (entries: Line[]): SafeHtml => html`${entries.map(([k, v], i) => html`${i > 0 ? html`<br>` : ''}${k}: ${v}`)}`;

/** What tells one factor of its type apart (never its binding, secret or device token). */
function factorDetails(data: EntityPageData, overview: FactorOverview): SafeHtml {
  const { factor } = overview;
  const config = parseConfig(factor);
  if (factor.factor_type === 'push') {
    const mark = data.pushMarks.get(factor.sid);
    const seen = data.activity.get(factor.sid)?.lastDelivered ?? null;
    return lines([
      ['Platform', PLATFORMS[str(config.notification_platform)] ?? str(config.notification_platform)],
      ['App ID', html`<code>${str(config.app_id)}</code>`],
      ['SDK', str(config.sdk_version)],
      ['Last seen', when(seen, data.now)],
      ...(mark ? [['Device token', html`<strong>refused by the provider</strong> (${mark.reason}) ${when(mark.date_marked, data.now)}`] as Line] : []),
    ]);
  }
  if (factor.factor_type === 'totp') {
    return lines([
      ['Code', `${str(config.code_length)} digits every ${str(config.time_step)} s (${str(config.alg)})`],
      ...(factor.status === 'unverified' ? [['Wrong codes while enrolling', `${factor.verify_attempts} of 5`] as Line] : []),
    ]);
  }
  if (factor.factor_type === 'passkeys') {
    const credentials = data.passkeys.filter((p) => p.factor_sid === factor.sid);
    return lines([['Credentials', String(credentials.length)]]);
  }
  if (factor.factor_type === 'voiceprint') {
    const lock = data.voiceprintLockouts.get(factor.sid);
    return lines([
      ['Enrolment', factor.status === 'verified' ? 'enrolled' : `${str(config.recordings_accepted)} of ${str(config.recordings_needed)} recordings`],
      ['Lock-out', lockState(lock, data.now)],
    ]);
  }
  return html``;
}

function lockState(lock: CheckFailureRow | undefined, now: number): SafeHtml {
  if (!lock || lock.consecutive === 0) return html`none`;
  if (lock.locked_until > now) return html`<strong>locked</strong> until ${when(lock.locked_until, now)} (${lock.consecutive} failures in a row)`;
  return html`${lock.consecutive} failures in a row, not locked`;
}

/**
 * The factor's last use: `date_last_used` (0031) when recorded, else its newest approved challenge or
 * passkey assertion (a TOTP step consumed while enrolling is no sign-in, so it does not count).
 */
function lastUse(data: Pick<EntityPageData, 'passkeys' | 'activity'>, overview: FactorOverview): number | null {
  if (overview.dateLastUsed !== null) return overview.dateLastUsed;
  const { factor } = overview;
  const candidates: number[] = [];
  const approved = data.activity.get(factor.sid)?.lastApproved;
  if (approved) candidates.push(approved);
  for (const p of data.passkeys) if (p.factor_sid === factor.sid && p.date_last_used !== null) candidates.push(Number(p.date_last_used));
  return candidates.length ? Math.max(...candidates) : null;
}

function factorRow(data: EntityPageData, overview: FactorOverview): SafeHtml {
  const { factor } = overview;
  const base = `${entityPath(data.entity.sid)}/factors/${factor.sid}`;
  const name = factor.friendly_name || typeLabel(factor.factor_type);
  return html`<tr data-factor="${factor.sid}">
<th scope="row" class="wrap">${name}<br><code>${factor.sid}</code></th>
<td>${typeLabel(factor.factor_type)}</td>
<td>${badge(factor.status, factor.status === 'verified' ? 'ok' : 'warn')}</td>
<td class="wrap">${factorDetails(data, overview)}</td>
<td>Created ${when(factor.date_created, data.now)}<br>Last used ${when(lastUse(data, overview), data.now)}</td>
<td><div class="actions">
${factor.factor_type === 'voiceprint' && factor.status === 'verified' ? openButton(`${base}/reset`, 'Reset enrolment', { ariaLabel: `Reset the enrolment of ${name}` }) : ''}
${openButton(`${base}/delete`, 'Delete', { danger: true, ariaLabel: `Delete ${name}` })}
</div></td>
</tr>`;
}

function lockoutRows(data: EntityPageData): SafeHtml[] {
  const rows: Array<{ scope: SafeHtml; lock: CheckFailureRow }> = [];
  if (data.entityLockout && data.entityLockout.consecutive > 0) rows.push({ scope: html`Codes and push answers of every factor`, lock: data.entityLockout });
  for (const { factor } of data.factors) {
    const lock = data.voiceprintLockouts.get(factor.sid);
    if (lock && lock.consecutive > 0) rows.push({ scope: html`Voiceprint <code>${factor.sid}</code>`, lock });
  }
  return rows.map(
    ({ scope, lock }) => html`<tr>
<th scope="row">${scope}</th>
<td class="num">${lock.consecutive}</td>
<td>${lock.locked_until > data.now ? html`<strong>locked</strong> until ${when(lock.locked_until, data.now)}` : 'not locked (failures are counted)'}</td>
<td>${when(lock.date_updated, data.now)}</td>
<td>${openButton(clearLockoutPath(lock.key, 'entity'), 'Clear')}</td>
</tr>`,
  );
}

/** The confirmation page of clearing a lock-out (limits-pages.ts serves it). */
export const clearLockoutPath = (key: string, from: 'entity' | 'limits'): string => `/admin/limits/lockouts/clear?${new URLSearchParams({ key, from }).toString()}`;

export function entityPage(data: EntityPageData): string {
  const { entity } = data;
  const codes = data.recoveryCodes;
  const lockouts = lockoutRows(data);
  return layout(
    `Entity ${entity.identity}`,
    data.viewer,
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${ENTITIES_PATH}">Entities</a> › <span aria-current="page">${entity.identity}</span></nav>
<h1>${entity.identity}</h1>
${notice(data.done)}
<dl class="settings">
<div><dt>SID</dt><dd><code>${entity.sid}</code></dd></div>
<div><dt>Service</dt><dd>${entity.service_name} <code>${entity.service_sid}</code></dd></div>
<div><dt>Created</dt><dd>${when(entity.date_created, data.now)}</dd></div>
</dl>
<section aria-labelledby="factors"><h2 id="factors">Factors</h2>
${data.factors.length === 0
  ? html`<p class="empty">This entity has no factors.</p>`
  : dataTable({
      id: 'factors-caption',
      caption: 'Factors of this entity, oldest first. Secrets, public keys and device tokens are never shown.',
      head: ['Factor', 'Type', 'Status', 'Details', 'Created and last used', { label: 'Actions', hidden: true }],
      rows: data.factors.map((f) => factorRow(data, f)),
    })}
</section>
<section aria-labelledby="recovery"><h2 id="recovery">Recovery codes</h2>
${codes.total === 0
  ? html`<p class="empty">No recovery codes issued.</p>`
  : html`<dl class="settings">
<div><dt>Left</dt><dd><strong>${codes.remaining}</strong> of ${codes.total}</dd></div>
<div><dt>Issued</dt><dd>${when(codes.dateCreated, data.now)}</dd></div>
<div><dt>Last used</dt><dd>${when(codes.lastUsed, data.now)}</dd></div>
</dl>
<p class="note">The codes themselves are never shown: Verity keeps only their hashes.</p>
<div class="actions">${openButton(`${entityPath(entity.sid)}/recovery-codes/revoke`, 'Revoke all recovery codes', { danger: true })}</div>`}
</section>
<section aria-labelledby="lockouts"><h2 id="lockouts">Lock-outs</h2>
${lockouts.length === 0
  ? html`<p class="empty">No failed attempts are counted against this entity.</p>`
  : dataTable({
      id: 'lockouts-caption',
      caption: 'Consecutive failures counted against this entity (a success clears them)',
      head: ['Applies to', { label: 'Failures', num: true }, 'State', 'Updated', { label: 'Action', hidden: true }],
      rows: lockouts,
    })}
</section>
<section aria-labelledby="recent"><h2 id="recent">Recent challenges</h2>
${data.challenges.length === 0
  ? html`<p class="empty">No challenges yet.</p>`
  : dataTable({
      id: 'recent-caption',
      caption: html`Newest first, at most 10 (<a href="/admin/challenges?service=${entity.service_sid}">all challenges of the service</a>)`,
      head: ['Challenge', 'Factor type', 'Status', 'Created', 'Responded'],
      rows: data.challenges.map(
        (c) => html`<tr><th scope="row"><a href="/admin/challenges/${c.sid}"><code>${c.sid}</code></a></th><td>${typeLabel(c.factor_type)}</td><td>${badge(c.status)}</td><td>${when(c.date_created, data.now)}</td><td>${when(c.date_responded, data.now)}</td></tr>`,
      ),
    })}
</section>`,
    ENTITIES_PATH,
  );
}

const entityCrumbs = (entity: EntitySummary, here: string): SafeHtml =>
  html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${ENTITIES_PATH}">Entities</a> › <a href="${entityPath(entity.sid)}">${entity.identity}</a> › <span aria-current="page">${here}</span></nav>`;

/** Confirmation of deleting a factor, or of resetting a voiceprint's enrolment. */
export function factorActionPage(viewer: Viewer, now: number, entity: EntitySummary, factor: FactorRow, action: 'delete' | 'reset'): string {
  const name = factor.friendly_name || typeLabel(factor.factor_type);
  const reset = action === 'reset';
  return confirmPage(viewer, {
    title: reset ? `Reset the voiceprint enrolment of ${entity.identity}?` : `Delete the factor ${name}?`,
    message: reset
      ? 'The voiceprint is deleted with its recordings, and its lock-out is cleared. The user can no longer sign in with their voice until they enrol again. This cannot be undone.'
      : 'The factor is deleted as the API deletes it: its challenges go with it, the application receives factor.deleted, and the user can no longer sign in with it. This cannot be undone.',
    facts: [
      ['Entity', html`${entity.identity} <code>${entity.sid}</code>`],
      ['Factor', html`${name} <code>${factor.sid}</code>`],
      ['Type', typeLabel(factor.factor_type)],
      ['Status', factor.status],
      ['Created', when(factor.date_created, now)],
    ],
    action: `${entityPath(entity.sid)}/factors/${factor.sid}/${action}`,
    button: reset ? 'Reset enrolment' : 'Delete factor',
    cancel: entityPath(entity.sid),
    crumbs: entityCrumbs(entity, reset ? 'Reset enrolment' : 'Delete factor'),
    section: ENTITIES_PATH,
  });
}

/** Confirmation of revoking all of an entity's recovery codes. */
export function revokeCodesPage(viewer: Viewer, now: number, entity: EntitySummary, codes: { total: number; remaining: number; dateCreated: number | null }): string {
  return confirmPage(viewer, {
    title: `Revoke the recovery codes of ${entity.identity}?`,
    message: 'Every recovery code of this entity stops working at once. The user (or the application) can generate a new set afterwards. This cannot be undone.',
    facts: [
      ['Entity', html`${entity.identity} <code>${entity.sid}</code>`],
      ['Codes left', `${codes.remaining} of ${codes.total}`],
      ['Issued', when(codes.dateCreated, now)],
    ],
    action: `${entityPath(entity.sid)}/recovery-codes/revoke`,
    button: 'Revoke all codes',
    cancel: entityPath(entity.sid),
    crumbs: entityCrumbs(entity, 'Revoke recovery codes'),
    section: ENTITIES_PATH,
  });
}
