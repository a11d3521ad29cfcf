import type { AppContext } from '../context.ts';
import { createChallenge } from '../factors/challenges.ts';
import { DomainError } from '../errors/domain-error.ts';
import { VerityError } from '../errors/verity-error.ts';
import type { AuthyUserRow, ServiceRow } from '../store/schema.ts';
import { checkVerification } from '../verify/check-verification.ts';
import { startVerification } from '../verify/start-verification.ts';
import { authyErrorOf, tokenInvalid } from './authy-error.ts';
import { authyDevices, maskedCellphone } from './authy-users.ts';

type AuthyTokensDeps = Pick<AppContext, 'bus' | 'clock' | 'config' | 'keyring' | 'logger' | 'messaging' | 'metrics' | 'pushDelivery' | 'routing' | 'sendGate' | 'stores' | 'verificationLifecycle' | 'voice'>;

export type TokenAnswer = { success: true; message: string; cellphone: string; ignored?: true; device?: string };

/**
 * `sms/{id}` and `call/{id}`: a verification of the user's phone (the same engine, limits and send gate
 * as the Verify API; a second request while one is pending resends the same code). As Authy does, a user
 * with an app device (a verified push or TOTP factor) is not sent anything unless `force` is true:
 * `ignored: true`, and the app is expected to show its token.
 */
export async function requestAuthyToken(ctx: AuthyTokensDeps, service: ServiceRow, user: AuthyUserRow, channel: 'sms' | 'call', options: { force: boolean; locale?: string | undefined }): Promise<TokenAnswer> {
  const cellphone = maskedCellphone(user);
  if (!options.force) {
    const { factors } = await authyDevices(ctx, user);
    const app = factors.find((f) => f.factor_type === 'push' || f.factor_type === 'totp');
    if (app) return { success: true, message: 'Ignored: SMS is not needed for smartphones. Pass force=true if you want to actually send it anyway.', cellphone, ignored: true, device: app.friendly_name };
  }
  try {
    await startVerification(ctx, { service, to: user.phone, channel, locale: options.locale });
  } catch (error) {
    throw authyErrorOf(error);
  }
  return { success: true, message: channel === 'sms' ? 'SMS token was sent' : 'Call started...', cellphone };
}

/** True when `error` only means "no such pending verification" or "not a code this check takes". */
const isMiss = (error: unknown): boolean => (error instanceof VerityError && (error.code === 20404 || error.code === 60200)) || (error instanceof DomainError && (error.reason === 'invalid_parameter' || error.reason === 'not_found'));

/**
 * `verify/{token}/{id}`: the token is right if it is the code of the user's pending SMS or voice
 * verification, or a current code of one of the user's verified TOTP factors (an app token). Each is
 * checked by the engine with its limits (5 checks per verification, the destination and entity
 * lock-outs, one use per TOTP step). Wrong, unknown or used: 401 60020, as Authy answers.
 */
export async function verifyAuthyToken(ctx: AuthyTokensDeps, service: ServiceRow, user: AuthyUserRow, token: string): Promise<void> {
  if (!/^[0-9]{4,16}$/.test(token)) throw tokenInvalid();
  if (token.length <= 10) {
    try {
      const checked = await checkVerification(ctx, { service, code: token, to: user.phone });
      if (checked.status === 'approved') return;
    } catch (error) {
      if (!isMiss(error)) throw authyErrorOf(error);
    }
  }
  if (token.length >= 6 && token.length <= 8) {
    const { entity, factors } = await authyDevices(ctx, user);
    for (const factor of factors.filter((f) => f.factor_type === 'totp')) {
      if (!entity) break;
      try {
        const challenge = await createChallenge(ctx, service, entity, { factorSid: factor.sid, authPayload: token });
        if (challenge.status === 'approved') return;
      } catch (error) {
        if (!isMiss(error)) throw authyErrorOf(error);
      }
    }
  }
  throw tokenInvalid();
}
