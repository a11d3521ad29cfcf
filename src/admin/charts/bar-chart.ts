import { html, type SafeHtml } from '../../pages/html.ts';
import { chartFigure, shortNumber, type ChartFrame } from './chart-frame.ts';
import { niceTicks } from './ticks.ts';

interface Bar {
  /** The category (a provider, a country): drawn left of its bar, so long names never collide. */
  label: string;
  /** null: no value (drawn as "no data", not as 0). */
  value: number | null;
  /** Shown after the bar ("12 of 14"). */
  detail?: string | undefined;
}

export interface BarChart extends ChartFrame {
  bars: readonly Bar[];
  /** `%` for rates (the axis then runs 0–100), '' for counts. */
  unit: '%' | '';
  /** The value axis' label ("Delivery rate (%)"). */
  axisLabel: string;
}

const WIDTH = 400;
const LEFT = 96;
const RIGHT = 92;
const ROW = 30;
const TOP = 6;
const BOTTOM = 40;

const fit = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

/**
 * Horizontal bars, one row per category, on a 0-based value axis with round ticks (0–100 % for
 * rates). Horizontal so category names have a row of their own at any width.
 */
export function barChart(chart: BarChart): SafeHtml {
  const drawn = chart.bars.filter((b) => b.value !== null);
  if (chart.bars.length === 0 || drawn.length === 0) return chartFigure(chart, 0, 0, null);
  const ticks = chart.unit === '%' ? [0, 25, 50, 75, 100] : niceTicks(Math.max(4, ...drawn.map((b) => b.value as number)));
  const top = ticks.at(-1) ?? 1;
  const plot = WIDTH - LEFT - RIGHT;
  const height = TOP + chart.bars.length * ROW + BOTTOM;
  const axisY = TOP + chart.bars.length * ROW;
  const x = (v: number) => LEFT + (Math.min(v, top) / top) * plot;
  const grid = ticks.map(
    (t) => html`<line class="chart-grid" x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${TOP}" y2="${axisY}"/><text class="chart-tick" x="${x(t).toFixed(1)}" y="${axisY + 15}" text-anchor="middle">${shortNumber(t)}${chart.unit}</text>`,
  );
  const rows = chart.bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const value = bar.value === null ? null : Math.max(0, bar.value);
    return html`<g class="chart-row" data-label="${bar.label}" data-value="${value ?? ''}">
<text class="chart-label" x="${LEFT - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${fit(bar.label, 13)}</text>
${value === null ? '' : html`<rect class="chart-bar" x="${LEFT}" y="${y + 5}" width="${Math.max(value > 0 ? 1.5 : 0, x(value) - LEFT).toFixed(1)}" height="${ROW - 10}"/>`}
<text class="chart-value" x="${LEFT + plot + 6}" y="${y + ROW / 2 + 4}">${value === null ? 'no data' : `${shortNumber(value)}${chart.unit}`}${bar.detail ? ` (${bar.detail})` : ''}</text>
</g>`;
  });
  const body = html`${grid}<line class="chart-axis" x1="${LEFT}" x2="${LEFT + plot}" y1="${axisY}" y2="${axisY}"/>
${rows}
<text class="chart-axis-label" x="${LEFT + plot / 2}" y="${height - 4}" text-anchor="middle">${chart.axisLabel}</text>`;
  return chartFigure(chart, WIDTH, height, body);
}
