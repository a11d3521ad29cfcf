import { html, type SafeHtml } from '../../pages/html.ts';

/** One row of a chart's data table (its accessible fallback). */
type DataRow = ReadonlyArray<string | number>;

export interface ChartFrame {
  /** Unique on the page: the ids of the SVG's title and description derive from it. */
  id: string;
  /** The figure's caption and the SVG's accessible name. */
  title: string;
  /** What the chart shows, for a screen reader (the SVG's <desc>) and under the caption. */
  description: string;
  /** The data table's column headings and rows. */
  columns: readonly string[];
  rows: readonly DataRow[];
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string | undefined;
}

/**
 * A chart as a figure: caption, the SVG (role="img", named by its <title>, described by its <desc>),
 * and its numbers as a table in a collapsed <details>, for screen readers and for copying.
 */
export function chartFigure(frame: ChartFrame, width: number, height: number, body: SafeHtml | null, legend: SafeHtml = html``): SafeHtml {
  const { id } = frame;
  return html`<figure class="chart-figure" id="${id}">
<figcaption>${frame.title}</figcaption>
${body === null ? '' : legend}
${body === null
  ? html`<p class="empty">${frame.empty ?? 'Nothing to show yet.'}</p>`
  : html`<svg class="chart-svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg" data-chart="${id}">
<title id="${id}-title">${frame.title}</title>
<desc id="${id}-desc">${frame.description}</desc>
${body}
</svg>
<details class="chart-data"><summary>Data table</summary>
<div class="table-wrap" tabindex="0" role="region" aria-label="${frame.title}: data"><table>
<thead><tr>${frame.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>${frame.rows.map((row) => html`<tr>${row.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td class="num">${cell}</td>`))}</tr>`)}</tbody>
</table></div>
</details>`}
</figure>`;
}

/** `1 234`-free number formatting for axis labels: 0.5, 12, 1.2k. */
export function shortNumber(value: number): string {
  if (Math.abs(value) >= 10_000) return `${Number((value / 1000).toFixed(1))}k`;
  return String(Number(value.toFixed(2)));
}
