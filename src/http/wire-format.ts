/** Dates as the hosted API writes them: `2015-07-30T20:00:00Z` (UTC, no milliseconds). */
export function wireDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
