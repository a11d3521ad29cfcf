import { html, type SafeHtml } from '../../pages/html.ts';
import { chartFigure, shortNumber, type ChartFrame } from './chart-frame.ts';
import { labelEvery, niceTicks } from './ticks.ts';

interface DaySeries {
  name: string;
  /** One value per day of the chart; null where there is no value (a rate of a day with nothing sent). */
  values: ReadonlyArray<number | null>;
}

export interface DayChart extends ChartFrame {
  /** The days, oldest first, as `YYYY-MM-DD` (UTC). */
  days: readonly string[];
  series: readonly DaySeries[];
  /** `line`: a rate over time (points joined, gaps where null); `columns`: counts per day, side by side; `stacked`: counts per day, one column of every series' parts. */
  kind: 'line' | 'columns' | 'stacked';
  unit: '%' | '';
  /** The value axis' label ("Approved (%)"). */
  axisLabel: string;
}

const WIDTH = 400;
const HEIGHT = 250;
const LEFT = 56;
const RIGHT = 10;
const TOP = 12;
const BOTTOM = 48;
/** Widest date label ("12-07") in the chart's font, plus a gap. */
const DATE_LABEL_WIDTH = 46;
const SERIES_CLASSES = ['s0', 's1', 's2', 's3'] as const;

/**
 * A value per UTC day: a 0-based axis with round ticks (0–100 % for rates), dates under the plot
 * thinned so that they never overlap (the SVG scales as a whole, so what fits at one width fits at all).
 */
export function dayChart(chart: DayChart): SafeHtml {
  const values = chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (chart.days.length === 0 || values.length === 0 || (chart.kind !== 'line' && values.every((v) => v === 0))) return chartFigure(chart, 0, 0, null);
  // A stacked column is as tall as its day's total.
  const peaks = chart.kind === 'stacked' ? chart.days.map((_, i) => chart.series.reduce((sum, s) => sum + Math.max(s.values[i] ?? 0, 0), 0)) : values;
  // Counts get at least 0–4, so that a day with 1 does not fill the plot to the top.
  const ticks = chart.unit === '%' ? [0, 25, 50, 75, 100] : niceTicks(Math.max(4, ...peaks));
  const top = ticks.at(-1) ?? 1;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const axisY = TOP + plotH;
  const slot = plotW / chart.days.length;
  const cx = (i: number) => LEFT + slot * (i + 0.5);
  const y = (v: number) => axisY - (Math.min(Math.max(v, 0), top) / top) * plotH;
  const every = labelEvery(slot, DATE_LABEL_WIDTH);
  // The newest day is always labelled; the others every `every` days back from it.
  const last = chart.days.length - 1;
  const grid = ticks.map(
    (t) => html`<line class="chart-grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/><text class="chart-tick" x="${LEFT - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${shortNumber(t)}${chart.unit}</text>`,
  );
  const dates = chart.days.map((day, i) =>
    (last - i) % every === 0 ? html`<text class="chart-tick" x="${cx(i).toFixed(1)}" y="${axisY + 16}" text-anchor="middle">${day.slice(5)}</text>` : '',
  );
  // Stacked: each series' part sits on the parts of the series before it.
  const base = chart.days.map(() => 0);
  const marks = chart.series.map((series, si) => {
    const cls = SERIES_CLASSES[si % SERIES_CLASSES.length];
    if (chart.kind === 'stacked') {
      const width = Math.max(2, slot * 0.7);
      return html`<g class="chart-series ${cls}" data-series="${series.name}">${series.values.map((v, i) => {
        if (v === null || v <= 0) return '';
        const below = base[i] ?? 0;
        base[i] = below + v;
        return html`<rect class="chart-bar" x="${(cx(i) - width / 2).toFixed(1)}" y="${y(below + v).toFixed(1)}" width="${width.toFixed(1)}" height="${(y(below) - y(below + v)).toFixed(1)}" data-day="${chart.days[i] ?? ''}" data-value="${v}"/>`;
      })}</g>`;
    }
    if (chart.kind === 'columns') {
      const width = Math.max(2, (slot * 0.7) / chart.series.length);
      return html`<g class="chart-series ${cls}" data-series="${series.name}">${series.values.map((v, i) => {
        if (v === null || v <= 0) return '';
        const x0 = cx(i) - (width * chart.series.length) / 2 + si * width;
        return html`<rect class="chart-bar" x="${x0.toFixed(1)}" y="${y(v).toFixed(1)}" width="${width.toFixed(1)}" height="${(axisY - y(v)).toFixed(1)}" data-day="${chart.days[i] ?? ''}" data-value="${v}"/>`;
      })}</g>`;
    }
    // Lines break where a day has no value, rather than pretending a rate of 0.
    const segments: string[] = [];
    let current: string[] = [];
    series.values.forEach((v, i) => {
      if (v === null) {
        if (current.length) segments.push(current.join(' '));
        current = [];
      } else current.push(`${cx(i).toFixed(1)},${y(v).toFixed(1)}`);
    });
    if (current.length) segments.push(current.join(' '));
    return html`<g class="chart-series ${cls}" data-series="${series.name}">
${segments.map((points) => html`<polyline class="chart-line" points="${points}"/>`)}
${series.values.map((v, i) => (v === null ? '' : html`<circle class="chart-point" cx="${cx(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" data-day="${chart.days[i] ?? ''}" data-value="${v}"/>`))}
</g>`;
  });
  const body = html`${grid}<line class="chart-axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${axisY}" y2="${axisY}"/>
${marks}
${dates}
<text class="chart-axis-label" x="${LEFT + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">Day (UTC)</text>
<text class="chart-axis-label" transform="translate(12 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle">${chart.axisLabel}</text>`;
  const legend = chart.series.length > 1
    ? html`<ul class="chart-legend">${chart.series.map((s, i) => html`<li><span class="chart-swatch ${SERIES_CLASSES[i % SERIES_CLASSES.length]}" aria-hidden="true"></span>${s.name}</li>`)}</ul>`
    : html``;
  return chartFigure(chart, WIDTH, HEIGHT, body, legend);
}
