import type { NumberType } from 'libphonenumber-js/max';
import { parsePhone } from '../messaging/phone-numbers.ts';

/** Twilio Lookup's carrier types; null when the numbering plan cannot tell. */
export type CarrierType = 'mobile' | 'landline' | 'voip' | null;

/**
 * What the numbering plan alone says about a number's line, offline (libphonenumber's full
 * metadata, `libphonenumber-js/max`): no carrier is asked, so ported numbers and the carrier's
 * name are unknown. Most North American numbers are `FIXED_LINE_OR_MOBILE` (the plan does not
 * separate them), and are reported with type null.
 */
function numberType(e164: string): NumberType | undefined {
  return parsePhone(e164)?.getType();
}

/** The carrier type Twilio's Lookup would name, where the plan is certain: MOBILE, FIXED_LINE, VOIP; null otherwise. */
export function carrierType(e164: string): CarrierType {
  switch (numberType(e164)) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'landline';
    case 'VOIP':
      return 'voip';
    default:
      return null;
  }
}

/**
 * True only when the number is certainly a landline (`FIXED_LINE`). SkipSmsToLandlines must err on
 * the side of sending: `FIXED_LINE_OR_MOBILE` (most of North America), unknown ranges and every
 * other type are sent to.
 */
export function isCertainLandline(e164: string): boolean {
  return numberType(e164) === 'FIXED_LINE';
}

/**
 * The `lookup` of a verification on a service with LookupEnabled, in the hosted API's shape. Offline,
 * so `name`, `mobile_country_code` and `mobile_network_code` are null (no carrier was asked).
 */
export function verificationLookup(e164: string): { carrier: { mobile_country_code: null; mobile_network_code: null; name: null; type: CarrierType; error_code: null } } {
  return { carrier: { mobile_country_code: null, mobile_network_code: null, name: null, type: carrierType(e164), error_code: null } };
}
