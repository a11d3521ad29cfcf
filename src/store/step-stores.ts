import { budgetSteps } from './budget-store.ts';
import { checkFailureSteps } from './check-failures-store.ts';
import { outboxSteps } from './outbox-store.ts';
import { rateLimitSteps } from './rate-limit-store.ts';
import { verificationAttemptSteps } from './verification-attempts-store.ts';
import { verificationEventSteps } from './verification-events-store.ts';
import { verificationSteps } from './verifications-store.ts';

/**
 * The stores' operations as steps (src/store/steps.ts), by the names domain code uses
 * (`tx.steps.verifications.countPendingCheck(…)`). Stateless: the unit of work runs them.
 * Adding a family: export `const …Steps = { *op(…): Steps<…> { … } }` beside the store, add it here.
 */
export const STEP_STORES = {
  budgets: budgetSteps,
  checkFailures: checkFailureSteps,
  outbox: outboxSteps,
  rateLimits: rateLimitSteps,
  verificationAttempts: verificationAttemptSteps,
  verificationEvents: verificationEventSteps,
  verifications: verificationSteps,
};

export type StepStores = typeof STEP_STORES;
