import type { AppContext } from '../../context.ts';
import { challengeDetails, hiddenDetails } from '../../factors/challenge-details.ts';
import { AMR_BY_FACTOR_TYPE, challengePath } from '../../factors/challenges.ts';
import type { ChallengeRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';
import { challengeEventsUrl } from './event-stream-links.ts';

/**
 * The Challenge resource as the hosted API returns it. Verity adds `number_match` (the number the
 * login page shows), `amr` (what an approval proves, for the hand-off), `denied_reason`, and
 * `links.events` (live progress).
 */
export function challengeResource(ctx: Pick<AppContext, 'config' | 'keyring'>, row: ChallengeRow): Record<string, unknown> {
  const baseUrl = ctx.config.publicUrl;
  const url = `${baseUrl}/v2${challengePath(row, row.sid)}`;
  return {
    sid: row.sid,
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    entity_sid: row.entity_sid,
    identity: row.identity,
    factor_sid: row.factor_sid,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    date_responded: row.date_responded === null ? null : isoSeconds(row.date_responded),
    expiration_date: isoSeconds(row.expiration_date),
    status: row.status,
    responded_reason: row.responded_reason,
    details: challengeDetails(row),
    hidden_details: hiddenDetails(row),
    metadata: row.metadata,
    factor_type: row.factor_type,
    url,
    number_match: row.number_match,
    amr: row.status === 'approved' ? (AMR_BY_FACTOR_TYPE[row.factor_type] ?? []) : null,
    denied_reason: row.denied_reason,
    links: { notifications: `${url}/Notifications`, events: challengeEventsUrl(ctx, row.sid) },
  };
}
