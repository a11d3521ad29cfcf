import { html, type SafeHtml } from '../../pages/html.ts';
import { CHART_DAYS, DAY_MS, type AccountDay, type AdminQueries } from '../../store/admin-queries.ts';
import type { RefusalsOfDay, SendRefusalReason, SendRefusalsStore } from '../../store/send-refusals-store.ts';
import { isoDay } from '../../time/format.ts';
import { deliveryStats, deliveryStatsByCountry, type DeliveryStat } from '../delivery-stats.ts';
import { barChart } from './bar-chart.ts';
import { dayChart } from './day-chart.ts';

/**
 * The console's traffic charts (issue 17): conversion per day, delivery rate per provider and per
 * country, and the blocks Verity stores. Built from the admin queries; drawn by bar-chart.ts and
 * day-chart.ts as server-side SVG.
 */

const HOUR_MS = 3_600_000;

/** The chart window's days, oldest first, ending today (UTC). */
function chartDays(today: number): number[] {
  return Array.from({ length: CHART_DAYS }, (_, i) => today - CHART_DAYS + 1 + i);
}

const pct = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** Approved out of created, per day of creation (a verification approved later counts on the day it was created). */
function conversionChart(days: readonly AccountDay[], today: number): SafeHtml {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const window = chartDays(today);
  const rows = window.map((day) => byDay.get(day) ?? { day, created: 0, approved: 0, blocked: 0 });
  return dayChart({
    id: 'chart-conversion',
    title: `Conversion per day, last ${CHART_DAYS} days`,
    description: 'Share of the verifications created each UTC day that were approved, from 0 to 100 percent; days with no verification have no point.',
    kind: 'line',
    unit: '%',
    axisLabel: 'Approved (%)',
    days: window.map((day) => isoDay(day * DAY_MS)),
    series: [{ name: 'Approved / created', values: rows.map((r) => pct(r.approved, r.created)) }],
    columns: ['Day (UTC)', 'Created', 'Approved', 'Conversion'],
    rows: rows.map((r) => [isoDay(r.day * DAY_MS), r.created, r.approved, r.created ? `${pct(r.approved, r.created)}%` : '—']),
    empty: `No verifications in the last ${CHART_DAYS} days.`,
  });
}

/** The send gate's refusal reasons, in the order they are stacked and listed, with the words the console uses. */
const REFUSAL_REASONS: ReadonlyArray<readonly [SendRefusalReason, string]> = [
  ['prefix', 'SMS-pumping cap'],
  ['geo', 'Country not allowed'],
  ['send', 'Per-number limit'],
  ['send_account', 'Account send budget'],
];

/**
 * Sends the fraud guard refused, per UTC day and reason (send_refusals, counted by the send gate):
 * one stacked column per day, a part per reason.
 */
function blocksChart(refusals: readonly RefusalsOfDay[], today: number): SafeHtml {
  const window = chartDays(today);
  const count = (day: number, reason: SendRefusalReason) => refusals.find((r) => r.day === day && r.reason === reason)?.count ?? 0;
  const series = REFUSAL_REASONS.map(([reason, name]) => ({ name, values: window.map((day) => count(day, reason)) }));
  return dayChart({
    id: 'chart-blocks',
    title: `Sends refused by the fraud guard per day, last ${CHART_DAYS} days`,
    description: 'Messages and calls the send gate refused each UTC day, stacked by reason: the SMS-pumping cap on a number range, a country outside the service\'s allowed countries, the per-number send limit, and the account\'s send budget.',
    kind: 'stacked',
    unit: '',
    axisLabel: 'Sends refused',
    days: window.map((day) => isoDay(day * DAY_MS)),
    series,
    columns: ['Day (UTC)', ...REFUSAL_REASONS.map(([, name]) => name), 'Total'],
    rows: window.map((day, i) => [isoDay(day * DAY_MS), ...series.map((s) => s.values[i] ?? 0), series.reduce((n, s) => n + (s.values[i] ?? 0), 0)]),
    empty: `The fraud guard refused no send in the last ${CHART_DAYS} days.`,
  });
}

const rateBars = (stats: readonly DeliveryStat[], label: (s: DeliveryStat) => string) =>
  stats.map((s) => ({ label: label(s), value: s.deliveryRate === null ? null : Math.round(s.deliveryRate * 1000) / 10, detail: `${s.delivered}/${s.delivered + s.notDelivered + s.rejected + s.timedOut}` }));

const rateRows = (stats: readonly DeliveryStat[], label: (s: DeliveryStat) => string) =>
  stats.map((s) => [label(s), s.attempts, s.delivered, s.notDelivered + s.rejected + s.timedOut, s.pending, s.deliveryRate === null ? '—' : `${(s.deliveryRate * 100).toFixed(1)}%`]);

/** Attempts without a country are e-mails. */
const countryLabel = (s: DeliveryStat) => (s.country === null || s.country === '—' ? 'none (e-mail)' : s.country);

const RATE_COLUMNS = ['', 'Attempts', 'Delivered', 'Not delivered', 'Pending', 'Delivery rate'];

/** Delivery rate per provider instance over the window (each provider's total row of `stats`). */
function providerRateChart(stats: readonly DeliveryStat[], windowLabel: string): SafeHtml {
  const totals = stats.filter((s) => s.country === null);
  return barChart({
    id: 'chart-provider-rate',
    title: `Delivery rate per provider, ${windowLabel}`,
    description: 'Delivered out of the attempts that ended, per provider, from 0 to 100 percent.',
    unit: '%',
    axisLabel: 'Delivered (%)',
    bars: rateBars(totals, (s) => s.provider),
    columns: ['Provider', ...RATE_COLUMNS.slice(1)],
    rows: rateRows(totals, (s) => s.provider),
    empty: `No delivery attempts in the ${windowLabel}.`,
  });
}

/** Delivery rate per destination country over the window, every provider together. */
function countryRateChart(stats: readonly DeliveryStat[], windowLabel: string): SafeHtml {
  return barChart({
    id: 'chart-country-rate',
    title: `Delivery rate per country, ${windowLabel}`,
    description: 'Delivered out of the attempts that ended, per destination country (every provider together), from 0 to 100 percent.',
    unit: '%',
    axisLabel: 'Delivered (%)',
    bars: rateBars(stats, countryLabel),
    columns: ['Country', ...RATE_COLUMNS.slice(1)],
    rows: rateRows(stats, countryLabel),
    empty: `No delivery attempts in the ${windowLabel}.`,
  });
}

/** What the charts read. */
export interface ChartSources {
  adminQueries: AdminQueries;
  sendRefusals: Pick<SendRefusalsStore, 'perDay'>;
}

/** The overview's charts (/admin): conversion, delivery rate per provider (last 7 days), sends refused by the fraud guard. */
export async function overviewCharts(stores: ChartSources, accountSid: string, now: number): Promise<SafeHtml> {
  const today = Math.floor(now / DAY_MS);
  const since = today - CHART_DAYS + 1;
  const [days, outcomes, refusals] = await Promise.all([stores.adminQueries.accountDays(accountSid, since), stores.adminQueries.attemptOutcomes(accountSid, now - 168 * HOUR_MS), stores.sendRefusals.perDay(accountSid, since)]);
  return html`<div class="chart-grid-2">
${conversionChart(days, today)}
${providerRateChart(deliveryStats(outcomes.rows), 'last 7 days')}
${blocksChart(refusals, today)}
</div>`;
}

/** Every traffic chart, for the Delivery page's Charts section. */
export async function deliveryCharts(stores: ChartSources, accountSid: string, now: number, outcomes: Parameters<typeof deliveryStats>[0], windowLabel: string): Promise<SafeHtml> {
  const today = Math.floor(now / DAY_MS);
  const since = today - CHART_DAYS + 1;
  const [days, refusals] = await Promise.all([stores.adminQueries.accountDays(accountSid, since), stores.sendRefusals.perDay(accountSid, since)]);
  return html`<div class="chart-grid-2">
${providerRateChart(deliveryStats(outcomes), windowLabel)}
${countryRateChart(deliveryStatsByCountry(outcomes), windowLabel)}
${conversionChart(days, today)}
${blocksChart(refusals, today)}
</div>`;
}
