import { html, type SafeHtml } from '../pages/html.ts';

/*
 * Small builders of the console's generic components (their CSS: the top of static/admin.css).
 * Every section's page uses them so the console looks like one product.
 */

/**
 * A table in its responsive box: only the box scrolls sideways (never the page at 375 px), and the
 * box is a labelled, focusable region so a keyboard can scroll it (axe: scrollable-region-focusable).
 */
export function tableWrap(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

export type BadgeTone = 'ok' | 'warn' | 'bad' | 'neutral';

/** A short status word in a pill; the tone colours it (the word alone must say it: colour is extra). */
export function badge(text: string, tone: BadgeTone = 'neutral'): SafeHtml {
  return html`<span class="badge${tone === 'neutral' ? '' : ` badge-${tone}`}">${text}</span>`;
}

export interface StatTile {
  label: string;
  value: string | number;
  /** A line under the value (the window, the base of a rate). */
  note?: string | undefined;
}

/** A row of headline numbers. */
export function statTiles(tiles: readonly StatTile[], label = 'Headline numbers'): SafeHtml {
  return html`<ul class="stat-tiles" aria-label="${label}">${tiles.map(
    (t) => html`<li><span class="stat-label">${t.label}</span><span class="stat-value">${t.value}</span>${t.note ? html`<span class="stat-note">${t.note}</span>` : ''}</li>`,
  )}</ul>`;
}

/** What a list says when it has nothing. */
export function emptyState(text: string | SafeHtml): SafeHtml {
  return html`<p class="empty">${text}</p>`;
}

/** A share as a whole percentage, or a dash when there is no base. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—';
}

/** Newer / Older links of a paged list (the query keeps its filters). */
export function pager(base: string, params: Record<string, string | undefined>, page: number, more: boolean): SafeHtml {
  const link = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    if (p > 0) q.set('page', String(p));
    const s = q.toString();
    return base + (s ? `?${s}` : '');
  };
  if (page === 0 && !more) return html``;
  return html`<nav class="pager" aria-label="Pages">
${page > 0 ? html`<a href="${link(page - 1)}" rel="prev">← Newer</a>` : ''}
<span>Page ${page + 1}</span>
${more ? html`<a href="${link(page + 1)}" rel="next">Older →</a>` : ''}
</nav>`;
}
