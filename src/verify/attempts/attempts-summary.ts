import type { AttemptFilter, AttemptTotals } from '../../store/verification-attempts-store.ts';
import type { StoreSet } from '../../store/store-set.ts';

export interface AttemptsSummary extends AttemptTotals {
  unconverted: number;
  /** (converted / total) × 100, rounded to two decimals; 0 when there was no attempt. */
  conversionRatePercentage: number;
}

/** The VerificationAttemptsSummary of one account: counted by the database (one aggregate), never by loading attempts. */
export async function summarizeAttempts(stores: Pick<StoreSet, 'verificationAttempts'>, accountSid: string, filter: AttemptFilter): Promise<AttemptsSummary> {
  const totals = await stores.verificationAttempts.totals(accountSid, filter);
  const rate = totals.total === 0 ? 0 : Math.round((totals.converted / totals.total) * 10_000) / 100;
  return { ...totals, unconverted: totals.total - totals.converted, conversionRatePercentage: rate };
}
