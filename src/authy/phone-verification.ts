import type { AppContext } from '../context.ts';
import { DomainError } from '../errors/domain-error.ts';
import { VerityError } from '../errors/verity-error.ts';
import type { ServiceRow } from '../store/schema.ts';
import { checkVerification } from '../verify/check-verification.ts';
import { API_REQUESTER } from '../verify/limits.ts';
import { startVerification } from '../verify/start-verification.ts';
import { AuthyError, authyErrorOf, invalidAuthyParameter } from './authy-error.ts';
import { authyPhone } from './authy-users.ts';

type PhoneVerificationDeps = Pick<AppContext, 'clock' | 'config' | 'keyring' | 'logger' | 'messaging' | 'metrics' | 'routing' | 'sendGate' | 'stores' | 'verificationLifecycle' | 'voice'>;

const NAMES = { country: 'country_code', phone: 'phone_number' };

/** `+1 415-555-2671` as Authy writes numbers in its messages. */
const spaced = (countryCode: string, national: string): string => `+${countryCode} ${national.replace(/(\d{3})(\d{3})(\d+)/, '$1-$2-$3')}`;

export interface StartInput {
  phoneNumber: string | undefined;
  countryCode: string | undefined;
  via: string | undefined;
  locale?: string | undefined;
  codeLength?: string | undefined;
  customCode?: string | undefined;
  customMessage?: string | undefined;
}

/**
 * `phones/verification/start`: a Verify verification of the number (sms or call), the same engine and
 * limits as the Verify API. `code_length` must match the service's (Verity derives codes per service);
 * `custom_message` is refused as Authy refuses it for most accounts (60021 there; 60004 here).
 */
export async function startPhoneVerification(ctx: PhoneVerificationDeps, service: ServiceRow, input: StartInput): Promise<Record<string, unknown>> {
  const { phone, countryCode, national } = authyPhone(input.countryCode, input.phoneNumber, NAMES);
  const via = input.via ?? 'sms';
  if (via !== 'sms' && via !== 'call') throw invalidAuthyParameter('via', 'expected sms or call');
  if (input.codeLength !== undefined && input.codeLength !== '' && input.codeLength !== String(service.code_length)) throw invalidAuthyParameter('code_length', `this application sends ${service.code_length}-digit codes`);
  if (input.customMessage !== undefined && input.customMessage !== '') throw invalidAuthyParameter('custom_message', 'custom messages are not allowed');
  let row;
  try {
    row = await startVerification(ctx, { service, to: phone, channel: via, locale: input.locale || undefined, customCode: input.customCode || undefined });
  } catch (error) {
    throw authyErrorOf(error);
  }
  const secondsToExpire = Math.max(0, Math.round((row.expires_at - ctx.clock.now()) / 1000));
  return {
    carrier: null,
    is_cellphone: true,
    message: via === 'sms' ? `Text message sent to ${spaced(countryCode, national)}.` : `Call to ${spaced(countryCode, national)} accepted.`,
    seconds_to_expire: secondsToExpire,
    uuid: row.sid,
    success: true,
  };
}

/** `phones/verification/check`: right → 200; wrong → 401 60022; nothing pending → 404 60023. */
export async function checkPhoneVerification(ctx: PhoneVerificationDeps, service: ServiceRow, input: { phoneNumber: string | undefined; countryCode: string | undefined; code: string | undefined }): Promise<void> {
  const { phone } = authyPhone(input.countryCode, input.phoneNumber, NAMES);
  const code = (input.code ?? '').trim();
  if (!code) throw invalidAuthyParameter('verification_code', 'Parameter is required');
  if (!/^[0-9A-Za-z]{4,10}$/.test(code)) throw new AuthyError('60022', 'Verification code is incorrect');
  let status: string;
  try {
    status = (await checkVerification(ctx, { service, code, to: phone })).status;
  } catch (error) {
    if (error instanceof VerityError && error.code === 20404) throw new AuthyError('60023', `No pending verifications for ${phone} found.`);
    if (error instanceof DomainError && error.reason === 'verification_attempts_exhausted') throw new AuthyError('60023', `No pending verifications for ${phone} found.`);
    throw authyErrorOf(error);
  }
  if (status !== 'approved') throw new AuthyError('60022', 'Verification code is incorrect');
}

/** `phones/verification/status`: the newest verification of the number: `pending`, `verified`, `expired` (or 404 60023). */
export async function phoneVerificationStatus(ctx: Pick<AppContext, 'clock' | 'stores'>, service: ServiceRow, input: { phoneNumber: string | undefined; countryCode: string | undefined }): Promise<Record<string, unknown>> {
  const { phone } = authyPhone(input.countryCode, input.phoneNumber, NAMES);
  const newest = await ctx.stores.verifications.findNewest(service.sid, phone, API_REQUESTER);
  if (!newest) throw new AuthyError('60023', `No pending verifications for ${phone} found.`);
  const now = ctx.clock.now();
  const status = newest.status === 'approved' ? 'verified' : newest.status === 'pending' && newest.expires_at > now ? 'pending' : 'expired';
  return { message: 'Phone Verification status.', status, seconds_to_expire: status === 'pending' ? Math.round((newest.expires_at - now) / 1000) : 0, success: true };
}
