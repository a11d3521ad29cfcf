import { sql, type Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

export function initial(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('accounts')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('friendly_name', 'text', (c) => c.notNull())
        .addColumn('auth_token_digest', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('services')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull().references('accounts.sid').onDelete('cascade'))
        .addColumn('friendly_name', 'text', (c) => c.notNull())
        .addColumn('code_length', 'integer', (c) => c.notNull())
        .addColumn('code_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('custom_code_enabled', 'integer', (c) => c.notNull())
        .addColumn('lookup_enabled', 'integer', (c) => c.notNull())
        .addColumn('skip_sms_to_landlines', 'integer', (c) => c.notNull())
        .addColumn('dtmf_input_required', 'integer', (c) => c.notNull())
        .addColumn('psd2_enabled', 'integer', (c) => c.notNull())
        .addColumn('do_not_share_warning_enabled', 'integer', (c) => c.notNull())
        .addColumn('tts_name', 'text')
        .addColumn('default_locale', 'text')
        .addColumn('allowed_countries', 'text')
        .addColumn('enabled_channels', 'text', (c) => c.notNull())
        .addColumn('web_otp_domain', 'text')
        .addColumn('extras', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('services_by_account').on('services').columns(['account_sid', 'date_created']).execute();

      await db.schema
        .createTable('verifications')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull().references('services.sid').onDelete('cascade'))
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('code_seed', 'text')
        .addColumn('code_digest', 'text')
        .addColumn('code_length', 'integer', (c) => c.notNull())
        .addColumn('locale', 'text')
        .addColumn('custom_friendly_name', 'text')
        .addColumn('amount', 'text')
        .addColumn('payee', 'text')
        .addColumn('check_attempts', 'integer', (c) => c.notNull())
        .addColumn('send_attempts', 'text', (c) => c.notNull())
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .addColumn('failure_code', 'integer')
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      // At most one pending verification per destination and service: a second create is a resend.
      await db.schema
        .createIndex('verifications_one_pending')
        .on('verifications')
        .columns(['service_sid', 'destination'])
        .unique()
        .where(sql.ref('status'), '=', 'pending')
        .execute();
      await db.schema.createIndex('verifications_by_destination').on('verifications').columns(['service_sid', 'destination', 'date_created']).execute();
      await db.schema.createIndex('verifications_pending_expiry').on('verifications').columns(['status', 'expires_at']).execute();

      await db.schema
        .createTable('check_failures')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('consecutive', 'integer', (c) => c.notNull())
        .addColumn('locked_until', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('rate_buckets')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('tokens', 'double precision', (c) => c.notNull())
        .addColumn('updated_at', bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webhooks')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull().references('services.sid').onDelete('cascade'))
        .addColumn('friendly_name', 'text', (c) => c.notNull())
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('webhook_url', 'text', (c) => c.notNull())
        .addColumn('webhook_method', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhooks_by_service').on('webhooks').column('service_sid').execute();

      await db.schema
        .createTable('events')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('resource_sid', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_by_resource').on('events').columns(['resource_sid', 'date_created']).execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('event_sid', 'text', (c) => c.notNull().references('events.sid').onDelete('cascade'))
        .addColumn('webhook_sid', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', bigint, (c) => c.notNull())
        .addColumn('lease_until', bigint, (c) => c.notNull())
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();

      await db.schema
        .createTable('sim_messages')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sim_messages_by_address').on('sim_messages').columns(['to_address', 'seq']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['sim_messages', 'webhook_deliveries', 'events', 'webhooks', 'rate_buckets', 'check_failures', 'verifications', 'services', 'accounts']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
