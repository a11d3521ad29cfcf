import { isoSeconds } from '../../time/format.ts';
import type { FactorRow } from '../../store/schema.ts';
import { entityPath } from '../../factors/entities.ts';

/**
 * The Factor resource; `binding` (TOTP: secret and otpauth URI; push: alg and public key) is given
 * only by create, null afterwards.
 */
export function factorResource(row: FactorRow, baseUrl: string, binding: Record<string, string> | null = null): Record<string, unknown> {
  return {
    sid: row.sid,
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    entity_sid: row.entity_sid,
    identity: row.identity,
    binding,
    options: null,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    friendly_name: row.friendly_name,
    status: row.status,
    factor_type: row.factor_type,
    config: JSON.parse(row.config) as unknown,
    metadata: row.metadata,
    url: `${baseUrl}/v2${entityPath(row.service_sid, row.identity)}/Factors/${row.sid}`,
  };
}
