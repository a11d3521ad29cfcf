/**
 * The SMS API's answer statuses (developer.vonage.com/messaging/sms/guides/troubleshooting-sms#sms-api-error-codes):
 * any but 0 means Vonage did not take that message (part). Throttled (1) and Too Many Existing Binds
 * (10, "back-off and retry") are worth retrying; the rest will not change by retrying.
 */
export const VONAGE_SEND_STATUSES: Readonly<Record<string, string>> = {
  '1': 'Throttled',
  '2': 'Missing Parameters',
  '3': 'Invalid Parameters',
  '4': 'Invalid Credentials',
  '5': 'Internal Error',
  '6': 'Invalid Message',
  '7': 'Number Barred',
  '8': 'Partner Account Barred',
  '9': 'Partner Quota Violation',
  '10': 'Too Many Existing Binds',
  '11': 'Account Not Enabled For HTTP',
  '12': 'Message Too Long',
  '14': 'Invalid Signature',
  '15': 'Invalid Sender Address',
  '22': 'Invalid Network Code',
  '23': 'Invalid Callback Url',
  '29': 'Non-Whitelisted Destination',
  '32': 'Signature And API Secret Disallowed',
  '33': 'Number De-activated',
};

export const RETRYABLE_SEND_STATUSES: ReadonlySet<string> = new Set(['1', '10']);

/**
 * The DLR `err-code` values (developer.vonage.com/messaging/sms/guides/delivery-receipts#dlr-error-codes),
 * reported as the error message beside the code.
 */
export const VONAGE_DLR_ERRORS: Readonly<Record<string, string>> = {
  '1': 'Unknown',
  '2': 'Absent Subscriber - Temporary',
  '3': 'Absent Subscriber - Permanent',
  '4': 'Call Barred by User',
  '5': 'Portability Error',
  '6': 'Anti-Spam Rejection',
  '7': 'Handset Busy',
  '8': 'Network Error',
  '9': 'Illegal Number',
  '10': 'Illegal Message',
  '11': 'Unroutable',
  '12': 'Destination Unreachable',
  '13': 'Subscriber Age Restriction',
  '14': 'Number Blocked by Carrier',
  '15': 'Prepaid Insufficient Funds',
  '16': 'Gateway Quota Exceeded',
  '50': 'Entity Filter',
  '51': 'Header Filter',
  '52': 'Content Filter',
  '53': 'Consent Filter',
  '54': 'Regulation Error',
  '99': 'General Error',
};
