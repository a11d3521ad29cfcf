import type { Kysely } from 'kysely';
import { AccessTokensStore } from './access-tokens-store.ts';
import { AccountsStore } from './accounts-store.ts';
import { AdminAuditStore } from './admin-audit-store.ts';
import { AdminIdentityQueries } from './admin-identity-queries.ts';
import { AdminQueries } from './admin-queries.ts';
import { ApiKeysStore } from './api-keys-store.ts';
import { AdminSessionsStore } from './admin-sessions-store.ts';
import { AuthyApprovalsStore } from './authy-approvals-store.ts';
import { AuthyAppsStore } from './authy-apps-store.ts';
import { AuthyUsersStore } from './authy-users-store.ts';
import { BudgetStore } from './budget-store.ts';
import { CallsStore } from './calls-store.ts';
import { ChallengesStore } from './challenges-store.ts';
import { CheckFailuresStore } from './check-failures-store.ts';
import { DeliveryAttemptsStore } from './delivery-attempts-store.ts';
import { EntitiesStore } from './entities-store.ts';
import { FactorsStore } from './factors-store.ts';
import { HandoffClientsStore } from './handoff-clients-store.ts';
import { HandoffKeysStore } from './handoff-keys-store.ts';
import { HandoffSessionsStore } from './handoff-sessions-store.ts';
import { MaintenanceStore } from './maintenance-store.ts';
import { MessagingConfigurationsStore } from './messaging-configurations-store.ts';
import { OutboxStore } from './outbox-store.ts';
import { PasskeyCeremoniesStore } from './passkey-ceremonies-store.ts';
import { PasskeyCredentialsStore } from './passkey-credentials-store.ts';
import { PushDeviceMarksStore } from './push-device-marks-store.ts';
import { PushEnrollmentCodesStore } from './push-enrollment-codes-store.ts';
import { PasskeyFactorSettingsStore } from './passkey-factor-settings-store.ts';
import { RateLimitDefinitionsStore } from './rate-limit-definitions-store.ts';
import { RateLimitStore } from './rate-limit-store.ts';
import { RecoveryCodesStore } from './recovery-codes-store.ts';
import type { Database } from './schema.ts';
import { SafeListStore } from './safe-list-store.ts';
import { SealedColumnsStore } from './sealed-columns-store.ts';
import { SendRefusalsStore } from './send-refusals-store.ts';
import { ServicesStore } from './services-store.ts';
import { SimMessagesStore } from './sim-messages-store.ts';
import { SpentTokensStore } from './spent-tokens-store.ts';
import { TemplatesStore } from './templates-store.ts';
import { VerificationAttemptsStore } from './verification-attempts-store.ts';
import { VerificationEventsStore } from './verification-events-store.ts';
import { VerificationsStore } from './verifications-store.ts';
import { VoiceprintStore } from './voiceprint-store.ts';
import { WebhookConsoleActions } from './webhook-console-actions.ts';
import { WebhookDeliveriesStore } from './webhook-deliveries-store.ts';
import { WebhooksStore } from './webhooks-store.ts';
import { FactorCallEventsStore } from './factor-call-events-store.ts';

/**
 * Every store, by the name domain code uses (`stores.verifications`, `tx.outbox`). Adding a store
 * is one line here; the unit of work binds each to the database or to one transaction.
 */
export const STORE_TABLE = {
  accessTokens: (db: Kysely<Database>) => new AccessTokensStore(db),
  accounts: (db: Kysely<Database>) => new AccountsStore(db),
  /** The admin console's audit log of operator actions (issue 17). */
  adminAudit: (db: Kysely<Database>) => new AdminAuditStore(db),
  /** The admin console's read-only, account-scoped queries. */
  adminQueries: (db: Kysely<Database>) => new AdminQueries(db),
  /** The admin console's read-only queries of entities, factors, challenges and limits. */
  adminIdentity: (db: Kysely<Database>) => new AdminIdentityQueries(db),
  adminSessions: (db: Kysely<Database>) => new AdminSessionsStore(db),
  authyApprovals: (db: Kysely<Database>) => new AuthyApprovalsStore(db),
  authyApps: (db: Kysely<Database>) => new AuthyAppsStore(db),
  authyUsers: (db: Kysely<Database>) => new AuthyUsersStore(db),
  apiKeys: (db: Kysely<Database>) => new ApiKeysStore(db),
  budgets: (db: Kysely<Database>) => new BudgetStore(db),
  calls: (db: Kysely<Database>) => new CallsStore(db),
  challenges: (db: Kysely<Database>) => new ChallengesStore(db),
  checkFailures: (db: Kysely<Database>) => new CheckFailuresStore(db),
  deliveryAttempts: (db: Kysely<Database>) => new DeliveryAttemptsStore(db),
  entities: (db: Kysely<Database>) => new EntitiesStore(db),
  factors: (db: Kysely<Database>) => new FactorsStore(db),
  handoffClients: (db: Kysely<Database>) => new HandoffClientsStore(db),
  handoffKeys: (db: Kysely<Database>) => new HandoffKeysStore(db),
  handoffSessions: (db: Kysely<Database>) => new HandoffSessionsStore(db),
  /** The maintenance scheduler's job locks, expiry claims and batched deletes (src/maintenance/). */
  maintenance: (db: Kysely<Database>) => new MaintenanceStore(db),
  messagingConfigurations: (db: Kysely<Database>) => new MessagingConfigurationsStore(db),
  outbox: (db: Kysely<Database>) => new OutboxStore(db),
  passkeyCeremonies: (db: Kysely<Database>) => new PasskeyCeremoniesStore(db),
  passkeyCredentials: (db: Kysely<Database>) => new PasskeyCredentialsStore(db),
  pushDeviceMarks: (db: Kysely<Database>) => new PushDeviceMarksStore(db),
  pushEnrollmentCodes: (db: Kysely<Database>) => new PushEnrollmentCodesStore(db),
  passkeyFactorSettings: (db: Kysely<Database>) => new PasskeyFactorSettingsStore(db),
  rateLimitDefinitions: (db: Kysely<Database>) => new RateLimitDefinitionsStore(db),
  rateLimits: (db: Kysely<Database>) => new RateLimitStore(db),
  recoveryCodes: (db: Kysely<Database>) => new RecoveryCodesStore(db),
  safeList: (db: Kysely<Database>) => new SafeListStore(db),
  sealedColumns: (db: Kysely<Database>) => new SealedColumnsStore(db),
  /** The send gate's refusal counters per account and day (issue 17, the console's fraud blocks). */
  sendRefusals: (db: Kysely<Database>) => new SendRefusalsStore(db),
  services: (db: Kysely<Database>) => new ServicesStore(db),
  simMessages: (db: Kysely<Database>) => new SimMessagesStore(db),
  spentTokens: (db: Kysely<Database>) => new SpentTokensStore(db),
  templates: (db: Kysely<Database>) => new TemplatesStore(db),
  verificationEvents: (db: Kysely<Database>) => new VerificationEventsStore(db),
  /** The progress of calls placed for factors (issue 18, migration 0033). */
  factorCallEvents: (db: Kysely<Database>) => new FactorCallEventsStore(db),
  verificationAttempts: (db: Kysely<Database>) => new VerificationAttemptsStore(db),
  verifications: (db: Kysely<Database>) => new VerificationsStore(db),
  voiceprints: (db: Kysely<Database>) => new VoiceprintStore(db),
  /** The admin console's webhook actions (retry a delivery now, reset a breaker), scoped to an account. */
  webhookConsole: (db: Kysely<Database>) => new WebhookConsoleActions(db),
  webhookDeliveries: (db: Kysely<Database>) => new WebhookDeliveriesStore(db),
  webhooks: (db: Kysely<Database>) => new WebhooksStore(db),
} satisfies Record<string, (db: Kysely<Database>) => object>;

/** The typed stores, bound to the database or to one transaction. */
export type StoreSet = { readonly [K in keyof typeof STORE_TABLE]: ReturnType<(typeof STORE_TABLE)[K]> };
