/**
 * The type of number (TON) and numbering plan (NPI) of an SMPP address (SMPP 3.4 §5.2.5, §5.2.6).
 * Carriers reject a sender whose TON does not fit its form, so Verity chooses it from the sender:
 * an alphanumeric sender id is TON 5 (alphanumeric) NPI 0, an E.164 number TON 1 (international)
 * NPI 1 (ISDN/E.164), a short code (3–8 digits) TON 3 (network specific) NPI 0. An account whose
 * carrier wants something else sets VERITY_SMPP_SOURCE_TON / _NPI.
 */

const TON = { unknown: 0, international: 1, national: 2, networkSpecific: 3, alphanumeric: 5 } as const;
const NPI = { unknown: 0, isdn: 1 } as const;

export interface SmppAddress {
  addr: string;
  ton: number;
  npi: number;
}

/** The most characters of an alphanumeric sender id handsets show (3GPP TS 23.040 §9.1.2.5: 11 GSM characters). */
const ALPHANUMERIC_MAX = 11;

/** The source address for `from` (VERITY_SMS_FROM), TON/NPI from its form unless overridden. */
export function sourceAddress(from: string, override: { ton?: number | undefined; npi?: number | undefined } = {}): SmppAddress {
  const chosen = chooseSource(from);
  return { addr: chosen.addr, ton: override.ton ?? chosen.ton, npi: override.npi ?? chosen.npi };
}

function chooseSource(from: string): SmppAddress {
  if (/^\+[1-9]\d{5,14}$/.test(from)) return { addr: from.slice(1), ton: TON.international, npi: NPI.isdn };
  if (/^\d{3,8}$/.test(from)) return { addr: from, ton: TON.networkSpecific, npi: NPI.unknown };
  if (/^\d{9,15}$/.test(from)) return { addr: from, ton: TON.international, npi: NPI.isdn };
  if (from.length > 0 && from.length <= ALPHANUMERIC_MAX) return { addr: from, ton: TON.alphanumeric, npi: NPI.unknown };
  throw new RangeError('the SMPP sender must be an E.164 number, a short code of 3–8 digits, or an alphanumeric id of at most 11 characters');
}

/** The destination: Verity's numbers are E.164, sent without the `+` as international/ISDN unless overridden. */
export function destinationAddress(to: string, override: { ton?: number | undefined; npi?: number | undefined } = {}): SmppAddress {
  return { addr: to.startsWith('+') ? to.slice(1) : to, ton: override.ton ?? TON.international, npi: override.npi ?? NPI.isdn };
}
