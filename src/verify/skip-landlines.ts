import { VerityError } from '../errors/verity-error.ts';
import type { ServiceRow } from '../store/schema.ts';
import type { VerificationChannel } from './destination.ts';
import { isCertainLandline } from './line-type.ts';

/**
 * SkipSmsToLandlines: an SMS to a number the numbering plan says is a landline is refused with
 * 60205 before anything is spent. Only a certain landline (src/verify/line-type.ts): numbers that
 * may be mobile are sent to, so no user is locked out by the offline lookup's ignorance.
 */
export function refuseLandline(service: ServiceRow, channel: VerificationChannel, address: string): void {
  if (!service.skip_sms_to_landlines || channel !== 'sms') return;
  if (isCertainLandline(address)) throw new VerityError(60205, 'SMS is not supported by landline phone number');
}
