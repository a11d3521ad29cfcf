import { challengeDetails, hiddenDetails } from '../factors/challenge-details.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import type { ChallengeSummary } from '../store/admin-identity-queries.ts';
import { CHALLENGE_STATUSES, FACTOR_TYPES, type ChallengeRow } from '../store/schema.ts';
import { layout, type Viewer } from './admin-pages.ts';
import { entityPath, FACTOR_TYPE_LABELS } from './entities-pages.ts';
import { badge, dataTable, serviceSelect, when } from './identity-page-parts.ts';
import { pager } from './admin-components.ts';

/** The console's challenges pages: the account's challenges (filtered) and one challenge's details as the API returns them. */

export const CHALLENGES_PATH = '/admin/challenges';

export interface ChallengesPageData {
  viewer: Viewer;
  now: number;
  services: Array<{ sid: string; friendly_name: string }>;
  service: string | undefined;
  status: string | undefined;
  factorType: string | undefined;
  page: number;
  challenges: ChallengeSummary[];
  more: boolean;
}

const typeLabel = (type: string): string => FACTOR_TYPE_LABELS[type] ?? type;

const STATUS_TONES: Readonly<Record<string, 'ok' | 'bad' | 'warn'>> = { approved: 'ok', denied: 'bad', expired: 'bad', pending: 'warn' };

function select(id: string, name: string, values: readonly string[], selected: string | undefined, label: (v: string) => string): SafeHtml {
  return html`<select id="${id}" name="${name}"><option value=""${selected ? '' : html` selected`}>Any</option>${values.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${label(v)}</option>`)}</select>`;
}

export function challengesPage(data: ChallengesPageData): string {
  const names = new Map(data.services.map((s) => [s.sid, s.friendly_name]));
  const rows = data.challenges.map(
    (c) => html`<tr>
<th scope="row"><a href="${CHALLENGES_PATH}/${c.sid}"><code>${c.sid}</code></a></th>
<td><a href="${entityPath(c.entity_sid)}">${c.identity}</a></td>
<td>${names.get(c.service_sid) ?? c.service_sid}</td>
<td>${typeLabel(c.factor_type)}</td>
<td>${badge(c.status, STATUS_TONES[c.status])}</td>
<td>${when(c.date_created, data.now)}</td>
<td>${when(c.date_responded, data.now)}</td>
</tr>`,
  );
  const filtered = data.service !== undefined || data.status !== undefined || data.factorType !== undefined;
  return layout(
    'Challenges',
    data.viewer,
    html`<h1>Challenges</h1>
<p class="note">A challenge asks one factor of an entity to prove a sign-in or a transaction: a push the user approves, a TOTP code, a passkey or a voiceprint.</p>
<form class="filters" method="get" action="${CHALLENGES_PATH}" aria-label="Filter challenges">
<div><label for="filter-service">Service</label>${serviceSelect(data.services, data.service, 'All services')}</div>
<div><label for="filter-status">Status</label>${select('filter-status', 'status', CHALLENGE_STATUSES, data.status, (v) => v)}</div>
<div><label for="filter-type">Factor type</label>${select('filter-type', 'factor_type', FACTOR_TYPES, data.factorType, typeLabel)}</div>
<button type="submit">Filter</button>
${filtered ? html`<a href="${CHALLENGES_PATH}">Clear</a>` : ''}
</form>
${data.challenges.length === 0
  ? html`<p class="empty">${filtered ? 'No challenge matches these filters.' : 'No challenges yet.'}</p>`
  : dataTable({ id: 'challenges-caption', caption: 'Challenges, newest first', head: ['Challenge', 'Entity', 'Service', 'Factor type', 'Status', 'Created', 'Responded'], rows })}
${pager(CHALLENGES_PATH, { service: data.service, status: data.status, factor_type: data.factorType }, data.page, data.more)}`,
    CHALLENGES_PATH,
  );
}

/** One challenge: what the API returns about it (details and hidden details exactly as the API shows them), never a secret. */
export function challengePage(viewer: Viewer, now: number, challenge: ChallengeRow, serviceName: string): string {
  const details = challengeDetails(challenge);
  const hidden = hiddenDetails(challenge);
  const facts: Array<[string, SafeHtml | string]> = [
    ['SID', html`<code>${challenge.sid}</code>`],
    ['Status', badge(challenge.status, STATUS_TONES[challenge.status])],
    ['Responded reason', challenge.responded_reason || '—'],
    ['Entity', html`<a href="${entityPath(challenge.entity_sid)}">${challenge.identity}</a> <code>${challenge.entity_sid}</code>`],
    ['Service', html`${serviceName} <code>${challenge.service_sid}</code>`],
    ['Factor', html`${typeLabel(challenge.factor_type)} <code>${challenge.factor_sid}</code>`],
    ['Created', when(challenge.date_created, now)],
    ['Expires', when(challenge.expiration_date, now)],
    ['Delivered to the device', when(challenge.date_delivered, now)],
    ['Responded', when(challenge.date_responded, now)],
    ['Responses counted', `${challenge.attempts} of 5`],
  ];
  if (challenge.denied_reason) facts.push(['Denied because', challenge.denied_reason === 'number_mismatch' ? 'the number picked did not match' : 'the user said no']);
  if (challenge.number_match) facts.push(['Number matching', challenge.status === 'pending' ? 'on (the number is shown only to the user)' : 'on']);
  return layout(
    `Challenge ${challenge.sid}`,
    viewer,
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${CHALLENGES_PATH}">Challenges</a> › <span aria-current="page">${challenge.sid}</span></nav>
<h1>Challenge</h1>
<dl class="settings">${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
<section aria-labelledby="details"><h2 id="details">Details</h2>
<p class="note">As the API returns them (<code>details</code>): what the user's device shows.</p>
<dl class="settings">
<div><dt>Message</dt><dd>${details.message ?? '—'}</dd></div>
<div><dt>Date</dt><dd>${details.date}</dd></div>
${details.fields.map((f) => html`<div><dt>${f.label}</dt><dd>${f.value}</dd></div>`)}
</dl>
</section>
<section aria-labelledby="hidden"><h2 id="hidden">Hidden details</h2>
${hidden && Object.keys(hidden).length > 0
  ? html`<dl class="settings">${Object.entries(hidden).map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`
  : html`<p class="empty">None.</p>`}
</section>`,
    CHALLENGES_PATH,
  );
}
