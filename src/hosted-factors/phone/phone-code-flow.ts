import type { AppContext } from '../../context.ts';
import { isDomainError, isRefusal } from '../../errors/domain-error.ts';
import { VerityError } from '../../errors/verity-error.ts';
import type { PhoneChannel } from '../../handoff/factor-options.ts';
import { HandoffPageError, type HandoffSession } from '../../handoff/handoff-session.ts';
import { checkInSession, hostedVerificationRequester, spendSessionSend } from '../../handoff/session-budget.ts';
import { translator } from '../../i18n/translator.ts';
import { startVerification } from '../../verify/start-verification.ts';
import { MAX_CHECK_ATTEMPTS } from '../../verify/limits.ts';
import type { VerificationRow } from '../../store/schema.ts';
import { chooserAgain } from '../chooser.ts';
import { finish } from '../finish.ts';
import { maskPhone, notCompleted, retryAfter, sessionService, type Submission } from '../hosted-flow.ts';
import { callCodePage, callNotPlaced, clearOtherKindOfVerification } from './call-flow.ts';

const PHONE_AMR: Record<PhoneChannel, string> = { sms: 'sms', call: 'tel' };

function phoneOf(session: HandoffSession, channel: string | undefined): { phone: string; channel: PhoneChannel } {
  if (channel !== 'sms' && channel !== 'call') throw new HandoffPageError(400, 'chooseChannel', { locale: session.locale });
  const phone = session.request.phone;
  if (!phone || !session.request.factors.includes(channel)) throw new HandoffPageError(400, 'phoneNotAccepted', { locale: session.locale });
  return { phone, channel };
}

/** A new code to the same phone on the same channel waits this long after the last send (enforced here). */
const PHONE_RESEND_COOLDOWN_MS = 30_000;

/** When the verification was last sent (its last send attempt), in ms. */
const lastSentAt = (row: VerificationRow): number => Date.parse(row.send_attempts.at(-1)?.time ?? '') || row.date_created;

/** The code page of a texted code, with the server's numbers: wrong codes left, when a new code may be sent, the other channel. */
function smsCodeWait(ctx: AppContext, session: HandoffSession, phone: string, row: VerificationRow | undefined, extra: { notice?: string } = {}): Extract<Submission, { kind: 'phone' }>['wait'] {
  return {
    session,
    now: ctx.clock.now(),
    channel: 'sms',
    masked: maskPhone(phone),
    ...(row ? { attemptsLeft: Math.max(0, MAX_CHECK_ATTEMPTS - row.check_attempts), resendAt: lastSentAt(row) + PHONE_RESEND_COOLDOWN_MS } : {}),
    switchTo: session.request.factors.includes('call') ? 'call' : undefined,
    ...extra,
  };
}

/** The session's pending texted code to `phone`, if it has one. */
async function pendingSms(ctx: AppContext, session: HandoffSession, serviceSid: string, phone: string): Promise<VerificationRow | undefined> {
  const sent = session.phone;
  if (!sent || sent.channel !== 'sms') return undefined;
  const row = await ctx.stores.verifications.find(serviceSid, sent.verificationSid);
  return row && row.status === 'pending' && row.destination === phone && row.expires_at > ctx.clock.now() ? row : undefined;
}

/**
 * "Text me a code" / "Call me with a code": a Verify verification to the application's trusted
 * number. A call's code page follows the call live (hosted-factors/phone/call-flow.ts); "Call again" comes back here.
 */
export async function startPhoneCode(ctx: AppContext, session: HandoffSession, channelName: string | undefined): Promise<Submission> {
  await notCompleted(ctx, session);
  const t = translator(session.locale, 'handoff-notice');
  const { phone, channel } = phoneOf(session, channelName);
  const service = await sessionService(ctx, session);
  // "Send a new code" too soon after the last one: nothing is sent, the page says how long to wait.
  const pending = channel === 'sms' ? await pendingSms(ctx, session, service.sid, phone) : undefined;
  const wait = pending ? lastSentAt(pending) + PHONE_RESEND_COOLDOWN_MS - ctx.clock.now() : 0;
  if (pending && wait > 0) return { kind: 'phone', wait: smsCodeWait(ctx, session, phone, pending, { notice: t('resendTooEarly', { seconds: Math.ceil(wait / 1000) }) }) };
  await spendSessionSend(ctx, session, phone);
  let verification;
  try {
    // A pending press-1 or flash call to this number cannot carry a code: it is canceled first.
    await clearOtherKindOfVerification(ctx, session, service, phone, 'code');
    verification = await startVerification(ctx, { service, to: phone, channel, locale: session.locale, requester: hostedVerificationRequester(ctx, session) });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const calling = session.phone?.channel === 'call' ? session.phone : undefined;
    if (isDomainError(error, 'call_in_progress') && calling) return callCodePage(ctx, session, phone, calling.verificationSid, t('stillCalling'), 'page');
    if (isDomainError(error, 'send_limit', 'prefix_blocked')) return chooserAgain(ctx, session, t('tooManySent', { retry: retryAfter(error, session.locale) }));
    if (isDomainError(error, 'channel_disabled')) return chooserAgain(ctx, session, t(channel === 'sms' ? 'smsUnavailable' : 'callsUnavailable'));
    if (channel === 'call') return callNotPlaced(ctx, session, error);
    return chooserAgain(ctx, session, t('smsFailed'));
  }
  const next: HandoffSession = { ...session, phone: { verificationSid: verification.sid, channel } };
  if (channel === 'call') return callCodePage(ctx, next, phone, verification.sid);
  return { kind: 'phone', wait: smsCodeWait(ctx, next, phone, verification, pending ? { notice: t('codeResent') } : {}) };
}

/** The code sent to the phone, checked by Verify: approved → the result (amr ["sms"] or ["tel"], RFC 8176). */
export async function checkPhoneCode(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  await notCompleted(ctx, session);
  const t = translator(session.locale, 'handoff-notice');
  const sent = session.phone;
  if (!sent) throw new HandoffPageError(400, 'noCodeSent', { locale: session.locale });
  const { phone, channel } = phoneOf(session, sent.channel);
  const again = async (message: string, row?: VerificationRow): Promise<Submission> =>
    channel === 'call' ? callCodePage(ctx, session, phone, sent.verificationSid, message) : { kind: 'phone', wait: smsCodeWait(ctx, session, phone, row), message };
  const cleared: HandoffSession = { ...session, phone: undefined };
  const digits = (code ?? '').replace(/[\s-]/g, '');
  if (!/^\d{4,10}$/.test(digits)) return again(t(channel === 'sms' ? 'phoneFormatSms' : 'phoneFormatCall'));
  const service = await sessionService(ctx, session);
  let row;
  try {
    row = await checkInSession(ctx, session, { service, code: digits, verificationSid: sent.verificationSid });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (isDomainError(error, 'verification_attempts_exhausted', 'destination_locked')) return chooserAgain(ctx, cleared, t('phoneTooManyWrong', { retry: retryAfter(error, session.locale) }));
    if (error instanceof VerityError && error.status === 404) return chooserAgain(ctx, cleared, t('phoneCodeGone'));
    throw error;
  }
  if (row.status === 'approved' && row.destination === phone && row.service_sid === service.sid) return finish(ctx, session, [PHONE_AMR[channel]]);
  if (row.status === 'pending') return again(t('phoneWrong'), row);
  return chooserAgain(ctx, cleared, t('phoneTooManyOrExpired'));
}
