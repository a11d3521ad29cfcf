import { html, type SafeHtml } from '../../pages/html.ts';
import { CHART_DAYS, DAY_MS, type DailyCount } from '../../store/admin-queries.ts';
import { isoDay } from '../../time/format.ts';
import { barChart } from './bar-chart.ts';
import { dayChart } from './day-chart.ts';

/**
 * A service's charts (its page, /admin/services/{VA…}): the overview's builders scoped to one
 * service, so they scale to the page's width (no sideways scroll) and end on today.
 */

/** The day chart has four series colours: beyond that, the smallest channels share an "other" series. */
const MAX_SERIES = 4;

const pct = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);
const pctText = (part: number, whole: number): string => (whole === 0 ? '—' : `${pct(part, whole)}%`);

interface ChannelTotal {
  channel: string;
  sent: number;
  approved: number;
}

function channelTotals(daily: readonly DailyCount[]): ChannelTotal[] {
  const totals = new Map<string, ChannelTotal>();
  for (const d of daily) {
    const t = totals.get(d.channel) ?? { channel: d.channel, sent: 0, approved: 0 };
    t.sent += d.count;
    t.approved += d.approved;
    totals.set(d.channel, t);
  }
  return [...totals.values()].sort((a, b) => a.channel.localeCompare(b.channel));
}

/** Verifications created per UTC day, a stacked part per channel. */
function volumeChart(daily: readonly DailyCount[], window: readonly number[], channels: readonly ChannelTotal[]): SafeHtml {
  const count = new Map(daily.map((d) => [`${d.channel}:${d.day}`, d.count]));
  const perChannel = channels.map((c) => ({ name: c.channel, values: window.map((day) => count.get(`${c.channel}:${day}`) ?? 0) }));
  // The busiest channels keep a colour of their own; the rest are drawn together (the table keeps them apart).
  const sent = new Map(channels.map((c) => [c.channel, c.sent]));
  const byVolume = [...perChannel].sort((a, b) => (sent.get(b.name) ?? 0) - (sent.get(a.name) ?? 0));
  const drawn = perChannel.length <= MAX_SERIES
    ? perChannel
    : [
        ...perChannel.filter((s) => byVolume.slice(0, MAX_SERIES - 1).includes(s)),
        { name: 'other', values: window.map((_, i) => byVolume.slice(MAX_SERIES - 1).reduce((n, s) => n + (s.values[i] ?? 0), 0)) },
      ];
  return dayChart({
    id: 'chart-service-volume',
    title: `Verifications per day, last ${CHART_DAYS} days`,
    description: 'Verifications of this service created each UTC day, stacked by channel.',
    kind: 'stacked',
    unit: '',
    axisLabel: 'Verifications',
    days: window.map((day) => isoDay(day * DAY_MS)),
    series: drawn,
    columns: ['Day (UTC)', ...perChannel.map((s) => s.name), 'Total'],
    rows: window.map((day, i) => [isoDay(day * DAY_MS), ...perChannel.map((s) => s.values[i] ?? 0), perChannel.reduce((n, s) => n + (s.values[i] ?? 0), 0)]),
    empty: `No verifications in the last ${CHART_DAYS} days.`,
  });
}

/** Approved out of created, per day of creation. */
function conversionPerDayChart(daily: readonly DailyCount[], window: readonly number[]): SafeHtml {
  const rows = window.map((day) => {
    const ofDay = daily.filter((d) => d.day === day);
    return { day, created: ofDay.reduce((n, d) => n + d.count, 0), approved: ofDay.reduce((n, d) => n + d.approved, 0) };
  });
  return dayChart({
    id: 'chart-service-conversion',
    title: `Conversion per day, last ${CHART_DAYS} days`,
    description: 'Share of this service\'s verifications created each UTC day that were approved, from 0 to 100 percent; days with no verification have no point.',
    kind: 'line',
    unit: '%',
    axisLabel: 'Approved (%)',
    days: rows.map((r) => isoDay(r.day * DAY_MS)),
    series: [{ name: 'Approved / created', values: rows.map((r) => pct(r.approved, r.created)) }],
    columns: ['Day (UTC)', 'Created', 'Approved', 'Conversion'],
    rows: rows.map((r) => [isoDay(r.day * DAY_MS), r.created, r.approved, pctText(r.approved, r.created)]),
    empty: `No verifications in the last ${CHART_DAYS} days.`,
  });
}

/** Approved out of sent, per channel over the window. */
function conversionPerChannelChart(channels: readonly ChannelTotal[]): SafeHtml {
  return barChart({
    id: 'chart-service-channel-conversion',
    title: `Conversion per channel, last ${CHART_DAYS} days`,
    description: 'Share of this service\'s verifications approved, per channel, from 0 to 100 percent.',
    unit: '%',
    axisLabel: 'Approved (%)',
    bars: channels.map((c) => ({ label: c.channel, value: pct(c.approved, c.sent), detail: `${c.approved}/${c.sent}` })),
    columns: ['Channel', 'Sent', 'Approved', 'Conversion'],
    rows: channels.map((c) => [c.channel, c.sent, c.approved, pctText(c.approved, c.sent)]),
    empty: `No verifications in the last ${CHART_DAYS} days.`,
  });
}

/** The service page's Activity charts, from its daily counts per channel (`dailyCounts` since today − CHART_DAYS + 1). */
export function serviceCharts(daily: readonly DailyCount[], today: number): SafeHtml {
  const window = Array.from({ length: CHART_DAYS }, (_, i) => today - CHART_DAYS + 1 + i);
  const channels = channelTotals(daily);
  return html`<div class="chart-grid-2">
${volumeChart(daily, window, channels)}
${conversionPerDayChart(daily, window)}
${conversionPerChannelChart(channels)}
</div>`;
}
