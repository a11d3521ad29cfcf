import smpp from 'smpp';

/** SMPP 3.4 §5.1.3 command status values by name (ESME_RTHROTTLED …), as node-smpp lists them. */
const NAMES = new Map<number, string>(Object.entries(smpp.errors).map(([name, value]) => [value, name]));

export const ESME_ROK = 0x00;
const ESME_RMSGQFUL = 0x14;
const ESME_RTHROTTLED = 0x58;
export const ESME_RX_T_APPN = 0x64;

/** `ESME_RTHROTTLED (0x58)`: the status as an error message and log field can name it. */
export function commandStatusName(status: number): string {
  const hex = `0x${status.toString(16).padStart(2, '0')}`;
  const name = NAMES.get(status);
  return name ? `${name} (${hex})` : `command status ${hex}`;
}

/**
 * The statuses after which the SMSC certainly did not take the message and says to try again later:
 * throttling (0x58) and a full queue (0x14). Every other refusal is the message's or the account's
 * (bad address, bad data coding, not allowed) and would fail again anywhere on this account.
 */
export function isRetryableStatus(status: number): boolean {
  return status === ESME_RTHROTTLED || status === ESME_RMSGQFUL;
}
