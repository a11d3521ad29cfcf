import { basicAuthorization, carrierApi, type CarrierApi } from '../carrier-api.ts';

/** The REST credentials shared by Twilio's SMS and voice adapters. */
export interface TwilioAccountOptions {
  accountSid: string;
  /** Auth token, or the API key secret when `apiKeySid` is set. */
  authToken: string;
  apiKeySid?: string | undefined;
  /** REST API origin, e.g. `https://api.twilio.com`. */
  apiBase: string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** One Twilio account's REST API: `accountUrl` is `…/2010-04-01/Accounts/AC…` (no trailing slash). */
export function twilioAccount(options: TwilioAccountOptions): { accountUrl: string; api: CarrierApi } {
  const accountUrl = `${options.apiBase.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const authorization = basicAuthorization(options.apiKeySid ?? options.accountSid, options.authToken);
  return { accountUrl, api: carrierApi({ carrier: 'Twilio', authorization, fetch: options.fetch, timeoutMs: options.timeoutMs }) };
}

/** Twilio's error code and message, with the message text removed should Twilio ever echo it back. */
export function twilioErrorSuffix(payload: Record<string, unknown> | undefined, body = ''): string {
  const code = payload?.['code'];
  const rawText = payload?.['message'];
  if (typeof code !== 'number' && typeof rawText !== 'string') return '';
  let text = typeof rawText === 'string' ? rawText : '';
  if (body !== '') text = text.split(body).join('[redacted]');
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  return `: Twilio error ${typeof code === 'number' ? code : 'unknown'}${text ? ` (${text})` : ''}`;
}
