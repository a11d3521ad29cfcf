import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { seal, unseal } from '../crypto/seal.ts';
import { HANDOFF_ERRORS, isHandoffErrorKey, type HandoffErrorKey } from '../hosted/handoff-messages.ts';
import { translate, type MessageParams, type PageLocale } from '../hosted/i18n.ts';
import type { HandoffRequest } from './handoff-claims.ts';
import type { EnrollmentProgress } from './hosted-enrollment.ts';

/** A hand-off page stays usable this long after the request was accepted. */
export const HANDOFF_SESSION_MS = 10 * 60_000;
const SESSION_CONTEXT = 'handoff-session:v1';

/**
 * What the hosted pages carry between the GET and the POSTs: the verified request and the challenge
 * opened for each TOTP factor. It travels sealed (AES-256-GCM under the master key, its own
 * associated data), so nobody can read or change `sub`, `state`, `return_to` or `aud`; its `id` is
 * spent when a result is issued, so it yields at most one.
 */
export interface HandoffSession {
  id: string;
  request: HandoffRequest;
  accountSid: string;
  /** The client's friendly name, shown on the pages. */
  appName: string;
  /** The entity of `request.subject`, if it exists. */
  entitySid: string | undefined;
  /** factor sid → the challenge opened for it (one per session: its attempt limit holds). */
  challenges: Record<string, string>;
  /** The push challenge the waiting page follows, once the user chose "Approve on your phone". */
  push?: string | undefined;
  /** The Verify verification of the code sent to `request.phone`, once the user asked for one. */
  phone?: { verificationSid: string; channel: 'sms' | 'call' } | undefined;
  /** The verification of an "Approve with a call" (press the digits shown) or a flash call to `request.phone`: see hosted-call.ts. */
  call?: { verificationSid: string; kind: 'press_one' | 'flashcall' } | undefined;
  /**
   * Set once this session may bind new factors to the user: after the user proved a factor on these
   * pages (`amr` of that proof), or at once for a user with no factor yet whose application asked to
   * enroll (`amr: []`: the application's own sign-in is then the only proof). Every enrollment page
   * refuses a session without it (requireEnrollment).
   */
  enrollment?: { amr: string[] } | undefined;
  /** The enrollment hub's steps in progress (a new TOTP factor, a push token, a phone number): see hosted-enrollment.ts. */
  enrolling?: EnrollmentProgress | undefined;
  /** The voiceprint challenge opened on these pages ("Use your voice"), one per session while it is pending. */
  voiceprint?: { factorSid: string; challengeSid: string } | undefined;
  /** The unverified voiceprint factor being enrolled on these pages, take after take. */
  voiceprintEnrollment?: { factorSid: string } | undefined;
  /** The unverified passkey factor whose registration options the page holds (hosted-passkey.ts). */
  passkeyEnrollment?: { factorSid: string } | undefined;
  /** The pages' language, chosen once when the request arrived (i18n.ts). */
  locale?: PageLocale | undefined;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

export function sealSession(ctx: AppContext, session: HandoffSession): string {
  return seal(ctx.keyring, JSON.stringify(session), SESSION_CONTEXT);
}

/**
 * A refusal shown on a hosted page (not an API error: these pages answer HTML). It carries a key of
 * HANDOFF_ERRORS (its `message` is then the English text) or, from modules not translated yet, plain
 * text; `locale` is the session's language when there is a session, else the route negotiates one.
 */
export class HandoffPageError extends Error {
  /** The catalog key of the message, when it is one. */
  readonly key: HandoffErrorKey | undefined;
  readonly params: MessageParams;
  readonly locale: PageLocale | undefined;
  constructor(
    readonly status: number,
    keyOrMessage: string,
    options: { locale?: PageLocale | undefined; params?: MessageParams } = {},
  ) {
    const key = isHandoffErrorKey(keyOrMessage) ? keyOrMessage : undefined;
    super(key ? translate(HANDOFF_ERRORS, 'en', key, options.params) : keyOrMessage);
    this.name = 'HandoffPageError';
    this.key = key;
    this.params = options.params ?? {};
    this.locale = options.locale;
  }

  /** The message in `locale` (plain text messages stay as they are). */
  text(locale: PageLocale | undefined): string {
    return this.key ? translate(HANDOFF_ERRORS, locale, this.key, this.params) : this.message;
  }
}

/** Opens a sealed session; a tampered, foreign or expired one is refused. */
export function openSession(ctx: AppContext, sealed: string | undefined): HandoffSession {
  const invalid = new HandoffPageError(400, 'sessionInvalid');
  if (typeof sealed !== 'string' || sealed.length === 0 || sealed.length > 8192) throw invalid;
  let session: HandoffSession;
  try {
    session = JSON.parse(unseal(ctx.keyring, sealed, SESSION_CONTEXT)) as HandoffSession;
  } catch {
    throw invalid;
  }
  if (typeof session.id !== 'string' || typeof session.expiresAt !== 'number' || !session.request) throw invalid;
  if (session.expiresAt <= ctx.clock.now()) throw new HandoffPageError(403, 'sessionExpired', { locale: session.locale, params: { minutes: HANDOFF_SESSION_MS / 60_000 } });
  return session;
}

const spentKey = (session: HandoffSession): string => `handoff-session:${session.id}`;

/** True once a result was issued for this session. */
export async function sessionCompleted(ctx: AppContext, session: HandoffSession): Promise<boolean> {
  const row = await ctx.db.kysely.selectFrom('spent_tokens').select('jti').where('jti', '=', spentKey(session)).executeTakeFirst();
  return row !== undefined;
}

/** Marks the session used; false if another request completed it first. */
export async function completeSession(ctx: AppContext, session: HandoffSession): Promise<boolean> {
  const row = await ctx.db.kysely
    .insertInto('spent_tokens')
    .values({ jti: spentKey(session), expires_at: session.expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .returning('jti')
    .executeTakeFirst();
  return row !== undefined;
}

/** The enrollment grant of a session, or a refusal: no factor may be bound without it. */
export function requireEnrollment(session: HandoffSession): { amr: string[] } {
  if (!session.enrollment) throw new HandoffPageError(403, 'enrollmentNeedsProof', { locale: session.locale });
  return session.enrollment;
}
