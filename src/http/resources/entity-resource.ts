import { entityPath } from '../../factors/entities.ts';
import type { EntityRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';

/** The Entity resource as the hosted API returns it. */
export function entityResource(row: EntityRow, baseUrl: string): Record<string, unknown> {
  const url = `${baseUrl}/v2${entityPath(row.service_sid, row.identity)}`;
  return {
    sid: row.sid,
    identity: row.identity,
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    url,
    links: { factors: `${url}/Factors`, new_factors: `${url}/Factors`, challenges: `${url}/Challenges` },
  };
}
