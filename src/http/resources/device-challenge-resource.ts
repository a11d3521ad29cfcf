import { challengeDetails, hiddenDetails } from '../../factors/challenge-details.ts';
import type { DeviceChallenge } from '../../factors/push/push-protocol.ts';
import type { ChallengeRow, ServiceRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';

/** The device's view of a challenge (device API): everything needed to show and sign it, never the number to match. */
export function deviceChallengeResource(row: ChallengeRow, service: Pick<ServiceRow, 'friendly_name'>, baseUrl: string): DeviceChallenge {
  return {
    sid: row.sid,
    factor_sid: row.factor_sid,
    service_sid: row.service_sid,
    service_name: service.friendly_name,
    identity: row.identity,
    status: row.status,
    details: challengeDetails(row),
    hidden_details: hiddenDetails(row),
    number_match_required: row.number_match !== null,
    expiration_date: isoSeconds(row.expiration_date),
    date_created: isoSeconds(row.date_created),
    url: `${baseUrl}/device/v1/Factors/${row.factor_sid}/Challenges/${row.sid}`,
  };
}
