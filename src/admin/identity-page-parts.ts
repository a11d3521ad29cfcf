import { html, type SafeHtml } from '../pages/html.ts';
import { csrfField, isoTime, layout, type Viewer } from './admin-pages.ts';

/** The pieces the identity views (entities, challenges, limits) share: times, tables, confirmations, notices. */

/** What a page says after an action of the identity views (Post/Redirect/Get). */
const IDENTITY_NOTICES: Readonly<Record<string, string>> = {
  'factor-deleted': 'The factor is deleted: it can no longer be used to sign in, and its pending challenges are gone.',
  'factor-not-deleted': 'Nothing deleted: that factor is no longer there.',
  'voiceprint-reset': 'The voiceprint enrolment is deleted: the user enrols their voice again to use it.',
  'codes-revoked': 'The recovery codes are revoked: none of them works any more. The user can generate new ones.',
  'codes-not-revoked': 'Nothing revoked: this entity had no recovery codes.',
  cleared: 'The lock-out is cleared: the next attempt is judged again.',
  'not-cleared': 'Nothing to clear: that lock-out had already ended or was cleared.',
};

export const noticeOf = (done: string | undefined): string | undefined => (done !== undefined && Object.hasOwn(IDENTITY_NOTICES, done) ? IDENTITY_NOTICES[done] : undefined);

export function notice(done: string | undefined): SafeHtml {
  const text = noticeOf(done);
  return text ? html`<p class="notice" role="status">${text}</p>` : html``;
}

/** A page number from a query value (0 when absent or malformed; at most 1000). */
export function pageNumber(value: string | undefined): number {
  const n = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : 0;
  return Math.min(n, 1000);
}

const UNITS: Array<[number, string]> = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1000, 's'],
];

/** `5 min ago`, `in 2 h`, `just now`: a hint beside an ISO time (the ISO time is what counts). */
function relativeTime(ms: number, now: number): string {
  const delta = ms - now;
  const abs = Math.abs(delta);
  if (abs < 1000) return 'just now';
  const [unit, label] = UNITS.find(([u]) => abs >= u) ?? [1000, 's'];
  const n = Math.floor(abs / unit);
  return delta < 0 ? `${n} ${label} ago` : `in ${n} ${label}`;
}

/** An ISO-8601 UTC time with a relative hint; a dash when there is none. */
export function when(ms: number | null | undefined, now: number): SafeHtml {
  if (ms === null || ms === undefined) return html`—`;
  const iso = isoTime(ms);
  // The hint goes on its own line: table columns stay narrow enough for a laptop screen.
  return html`<time datetime="${iso}">${iso}</time><br><small class="rel">${relativeTime(Number(ms), now)}</small>`;
}

export { badge } from './admin-components.ts';

export interface TableSpec {
  /** An id for the caption (the scrolling region is labelled by it). */
  id: string;
  caption: string | SafeHtml;
  head: Array<string | { label: string; hidden?: boolean; num?: boolean }>;
  rows: SafeHtml[];
}

/**
 * A table in its own scrolling region: on a narrow screen the table scrolls inside the region, never
 * the page. The region is focusable and named by the caption, so keyboard users can scroll it too.
 */
export function dataTable(spec: TableSpec): SafeHtml {
  const head = spec.head.map((h) => {
    const c = typeof h === 'string' ? { label: h } : h;
    return html`<th scope="col"${c.num ? html` class="num"` : ''}>${c.hidden ? html`<span class="visually-hidden">${c.label}</span>` : c.label}</th>`;
  });
  return html`<div class="table-wrap" role="region" aria-labelledby="${spec.id}" tabindex="0"><table>
<caption id="${spec.id}">${spec.caption}</caption>
<thead><tr>${head}</tr></thead>
<tbody>${spec.rows}</tbody>
</table></div>`;
}

/** A `<select>` of the account's services, with an "all" choice when `allLabel` is given. */
export function serviceSelect(services: Array<{ sid: string; friendly_name: string }>, selected: string | undefined, allLabel?: string): SafeHtml {
  return html`<select id="filter-service" name="service">
${allLabel ? html`<option value=""${selected ? '' : html` selected`}>${allLabel}</option>` : ''}
${services.map((s) => html`<option value="${s.sid}"${s.sid === selected ? html` selected` : ''}>${s.friendly_name}</option>`)}
</select>`;
}

export interface ConfirmSpec {
  title: string;
  /** What will happen, in a sentence or two. */
  message: SafeHtml | string;
  /** The facts about what it acts on (label → value). */
  facts: Array<[string, SafeHtml | string]>;
  action: string;
  fields?: Record<string, string>;
  button: string;
  /** Where Cancel goes (a local path). */
  cancel: string;
  crumbs: SafeHtml;
  /** The console section the page belongs to (its path), for the navigation. */
  section: string;
}

/** The confirmation page of a destructive action: what it does, and a danger button that posts the form (CSRF). */
export function confirmPage(viewer: Viewer, spec: ConfirmSpec): string {
  return layout(
    spec.title,
    viewer,
    html`${spec.crumbs}
<h1>${spec.title}</h1>
<section class="confirm" aria-labelledby="confirm-what">
<h2 id="confirm-what" class="visually-hidden">What this does</h2>
<p>${spec.message}</p>
<dl class="facts">${spec.facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
<form method="post" action="${spec.action}" class="actions">
${csrfField(viewer.csrfToken)}${Object.entries(spec.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit" class="danger">${spec.button}</button>
<a href="${spec.cancel}">Cancel</a>
</form>
</section>`,
    spec.section,
  );
}

/**
 * A button that opens a page (a confirmation): a GET form, so it looks and behaves like the console's
 * other buttons while changing nothing itself. The path's query becomes hidden fields.
 */
export function openButton(path: string, label: string, options: { danger?: boolean; ariaLabel?: string } = {}): SafeHtml {
  const url = new URL(path, 'http://console.invalid');
  const fields = [...url.searchParams.entries()].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return html`<form method="get" action="${url.pathname}" class="inline">${fields}<button type="submit"${options.danger ? html` class="danger"` : ''}${options.ariaLabel ? html` aria-label="${options.ariaLabel}"` : ''}>${label}</button></form>`;
}
