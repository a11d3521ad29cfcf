import { z } from 'zod';
import { SERVER_ERRORS } from './device-schema.ts';
import { operation } from '../schema/operation.ts';

/** `POST /device/v1/EnrollmentCodes/{Code}` (docs/push.md, "Enrolment codes"): a short code traded for its enrolment token. */

const EnrollmentCodePath = z.object({
  code: z
    .string()
    .max(32)
    .meta({ description: 'The code as shown (`XXXX-XXXX-XXXX`, 12 Crockford base32 characters); case and dashes do not matter, I/L read as 1 and O as 0.', examples: ['7K3M-Q9XD-2HPA'] }),
});

const EnrollmentCodeRedeemed = z
  .object({ enrollment_token: z.string().meta({ description: 'The single-use enrolment token (JWT) the code stands for: enroll with `POST /device/v1/Factors` and `Authorization: Bearer <it>`.' }) })
  .meta({ id: 'EnrollmentCodeRedeemed', 'x-verity-extension': true });

export const redeemEnrollmentCodeSchema = operation({
  tag: 'Push devices',
  caller: 'none',
  operationId: 'deviceRedeemEnrollmentCode',
  summary: 'Trade a short enrolment code for its enrolment token',
  description:
    '**Verity extension** (docs/push.md). The enrollment hub shows a QR code of `<publicUrl>/device/v1/EnrollmentCodes/<Code>` and the code itself instead of the long enrolment token: a device posts to that URL (no authentication, no body) and gets the token, once. The code expires with its token (at most 5 minutes). Codes that were not redeemed count as failed authentications of the client IP.',
  params: EnrollmentCodePath,
  ok: { 200: { description: 'The enrolment token; the code is spent.', schema: EnrollmentCodeRedeemed } },
  errors: [
    { code: 20404, when: 'the code is unknown, already used or expired (the same answer for all three); `details.error` is `enrollment_code_not_found`.', message: 'The enrollment code is unknown, already used or expired', details: { error: 'enrollment_code_not_found' } },
    { code: 20429, when: 'the client IP spent its failed authentications (`VERITY_RATE_AUTH_FAILURES_*`; every code that was not redeemed counts as one, checked before the lookup), or exceeded the device API\'s per-IP rate (`VERITY_RATE_IP_*`).', retryAfter: true, message: 'Too many requests' },
    ...SERVER_ERRORS,
  ],
});
