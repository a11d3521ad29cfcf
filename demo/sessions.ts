import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DemoDatabase } from './store/demo-database.ts';

/** A sign-in waiting for its second factor at Verity (or an enrollment hand-off). */
export interface PendingHandoff {
  /** `identify`: "Sign in with a passkey", no username: `userId` is empty until the result names the user. */
  purpose: 'signin' | 'enroll' | 'identify';
  userId: string;
  /** Random per attempt; comes back as the result's nonce. */
  state: string;
  remember: boolean;
  startedAt: number;
}

/** A sign-up waiting for its phone to be verified by a keypad-code call. */
export interface PendingSignup {
  username: string;
  passwordHash: string;
  phone: string;
  verificationSid: string;
  displayCode: string;
  startedAt: number;
}

export interface SessionData {
  csrf: string;
  userId?: string;
  /** How the user signed in: `pwd` plus the hand-off's RFC 8176 methods, or `device`. */
  amr?: string[];
  signedInAt?: number;
  handoff?: PendingHandoff;
  signup?: PendingSignup;
  /** A one-time message for the next page. */
  notice?: string;
}

const SESSION_COOKIE = 'demo_session';
const SESSION_MS = 8 * 60 * 60_000;

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Constant-time equality of two strings (different lengths are unequal, without an early exit on content). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Server-side sessions: the cookie holds only a random id (signed, HttpOnly, SameSite=Lax, Secure
 * over https); the database holds its SHA-256 and the data, so a database leak gives no cookie.
 */
export class Sessions {
  constructor(
    private readonly db: DemoDatabase,
    private readonly secure: boolean,
  ) {}

  /** The request's session, or a fresh one (not stored until saved). */
  load(request: FastifyRequest): { id: string | undefined; data: SessionData } {
    const raw = request.cookies[SESSION_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) {
      const row = this.db.prepare('SELECT data, expires_at FROM sessions WHERE id_hash = ?').get(sha256(unsigned.value)) as { data: string; expires_at: number } | undefined;
      if (row && row.expires_at > Date.now()) return { id: unsigned.value, data: JSON.parse(row.data) as SessionData };
    }
    return { id: undefined, data: { csrf: randomToken() } };
  }

  /**
   * Stores a session: a new one (no id) gets a row and a cookie; an existing one is only updated,
   * so a request that ends after its session was rotated or destroyed cannot bring it back.
   */
  save(reply: FastifyReply, id: string | undefined, data: SessionData): string {
    if (id !== undefined) {
      this.db.prepare('UPDATE sessions SET data = ?, expires_at = ? WHERE id_hash = ?').run(JSON.stringify(data), Date.now() + SESSION_MS, sha256(id));
      return id;
    }
    const sessionId = randomToken();
    this.db.prepare('INSERT INTO sessions (id_hash, data, expires_at) VALUES (?, ?, ?)').run(sha256(sessionId), JSON.stringify(data), Date.now() + SESSION_MS);
    reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.secure, signed: true });
    return sessionId;
  }

  /**
   * Drops the old id and issues a new one with a new CSRF token: a signed-in session never reuses
   * a pre-sign-in id (session fixation).
   */
  rotate(reply: FastifyReply, session: { id: string; data: SessionData }, data: Omit<SessionData, 'csrf'>): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(session.id));
    session.data = { ...data, csrf: randomToken() };
    session.id = this.save(reply, undefined, session.data);
  }

  destroy(reply: FastifyReply, id: string | undefined): void {
    if (id !== undefined) this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(id));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  sweep(): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(Date.now());
    this.db.prepare('DELETE FROM used_results WHERE expires_at < ?').run(Date.now());
    this.db.prepare('DELETE FROM devices WHERE expires_at < ?').run(Date.now());
  }
}

export { sha256 };
