import type { IssuedEnrollmentToken } from '../../factors/push/enrollment-tokens.ts';
import { isoSeconds } from '../../time/format.ts';

/** The AccessToken resource of `POST …/AccessTokens`: a push enrollment token and what it enrolls. */
export function accessTokenResource(issued: IssuedEnrollmentToken, baseUrl: string): Record<string, unknown> {
  return {
    sid: issued.sid,
    account_sid: issued.accountSid,
    service_sid: issued.serviceSid,
    entity_identity: issued.identity,
    factor_type: 'push',
    factor_friendly_name: issued.friendlyName,
    token: issued.token,
    ttl: issued.ttlSeconds,
    date_created: isoSeconds(issued.issuedAt),
    url: `${baseUrl}/v2/Services/${issued.serviceSid}/AccessTokens/${issued.sid}`,
  };
}
