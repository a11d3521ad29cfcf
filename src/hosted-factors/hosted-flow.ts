/**
 * What every hosted factor's flow shares: the outcome of a POST (`Submission`), the chooser's view,
 * and the session checks. No factor and no page here, so any flow may import it.
 */
import type { AppContext } from '../context.ts';
import type { FactorOption, PhoneChannel } from '../handoff/factor-options.ts';
import type { HandoffRequest } from '../handoff/handoff-claims.ts';
import { HandoffPageError, sessionCompleted, type HandoffSession } from '../handoff/handoff-session.ts';
import type { PageLocale } from '../i18n/locales.ts';
import { translate } from '../i18n/translator.ts';
import type { EntityRow, ServiceRow } from '../store/schema.ts';

export interface HandoffView {
  session: HandoffSession;
  options: FactorOption[];
}

/** The waiting page of a push: the number to match, and the challenge's progress stream (a path on this server). */
interface PushWait {
  session: HandoffSession;
  numberMatch: string | null;
  eventsPath: string;
  /** When the push expires, and when "Resend" is allowed again (ms; the server enforces it). */
  expiresAt?: number | undefined;
  resendAt?: number | undefined;
  /** Guidance shown as a status (a resend asked for too early, a resent request). */
  notice?: string | undefined;
  /** The server's time when the page was made (its timers count from it). */
  now?: number | undefined;
}

/** The code form of a code sent to the user's phone. */
interface PhoneCodeWait {
  session: HandoffSession;
  channel: PhoneChannel;
  masked: string;
  /** The verification's checks left, when known; when a new code may be sent (ms); the other channel allowed. */
  attemptsLeft?: number | undefined;
  resendAt?: number | undefined;
  switchTo?: PhoneChannel | undefined;
  notice?: string | undefined;
  now?: number | undefined;
}

/** The outcome of a POST: a result to send back, the page again with a message, or the next step of a push or phone code. */
export type Submission =
  | { kind: 'result'; location: string }
  /** `tone: 'status'` for guidance rather than a failure (the enrollment step-up). */
  | { kind: 'retry'; view: HandoffView; message: string; tone?: 'alert' | 'status' }
  | { kind: 'push'; wait: PushWait; message?: string | undefined }
  | { kind: 'phone'; wait: PhoneCodeWait; message?: string | undefined }
  /** Any other page, rendered by its factor's page module; `sealed` is replaced by the sealed session. */
  | { kind: 'page'; session: HandoffSession; render: (sealed: string) => string; status?: number; script?: boolean };

/** All but the last 2 digits hidden: `+14155550123` → `••••••••••23`. */
export function maskPhone(phone: string): string {
  return '•'.repeat(Math.max(0, phone.length - 2)) + phone.slice(-2);
}

export async function findEntity(ctx: AppContext, request: HandoffRequest): Promise<EntityRow | undefined> {
  return ctx.stores.entities.find(request.serviceSid, request.subject);
}

export async function notCompleted(ctx: AppContext, session: HandoffSession): Promise<void> {
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, 'alreadyCompleted', { locale: session.locale });
}

export async function usableSession(ctx: AppContext, session: HandoffSession): Promise<EntityRow> {
  await notCompleted(ctx, session);
  const entity = await findEntity(ctx, session.request);
  if (!entity || entity.sid !== session.entitySid) throw new HandoffPageError(403, 'noFactorAnyMore', { locale: session.locale });
  return entity;
}

export async function sessionService(ctx: AppContext, session: HandoffSession): Promise<ServiceRow> {
  const service = await ctx.stores.services.find(session.accountSid, session.request.serviceSid);
  if (!service) throw new HandoffPageError(403, 'serviceGone', { locale: session.locale });
  return service;
}

/** `return_to` with `result` and `state` added to its query (the URL was verified against the client's list). */
export function resultLocation(request: HandoffRequest, result: string): string {
  const url = new URL(request.returnTo);
  url.searchParams.set('result', result);
  url.searchParams.set('state', request.state);
  return url.toString();
}

/** " Try again in 30 seconds." (with its leading space) in the page's language, or nothing without a Retry-After. */
export const retryAfter = (error: { retryAfterSeconds: number | undefined }, locale?: PageLocale): string => {
  const seconds = error.retryAfterSeconds;
  if (seconds === undefined) return '';
  return seconds >= 120 ? translate(locale, 'handoff-notice.retryMinutes', { minutes: Math.ceil(seconds / 60) }) : translate(locale, 'handoff-notice.retrySeconds', { seconds });
};
