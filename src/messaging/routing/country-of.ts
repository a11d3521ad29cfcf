import type { Channel } from '../../providers/provider.ts';
import { parsePhone } from '../phone-numbers.ts';

/** No country: an e-mail address. */
const NO_COUNTRY = '-';
/** A phone number whose country libphonenumber cannot tell (an unassigned range, a non-geographic code). */
const UNKNOWN_COUNTRY = 'ZZ';

/**
 * The ISO 3166 country a send goes to, which health is kept per: carriers deliver well to some
 * countries and badly to others, so one country's failures must not take a provider out for all.
 */
export function countryOf(channel: Channel, to: string): string {
  if (channel === 'email') return NO_COUNTRY;
  return parsePhone(to)?.country ?? UNKNOWN_COUNTRY;
}
