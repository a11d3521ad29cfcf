import { createHash } from 'node:crypto';
import type { Clock } from '../crypto/clock.ts';
import { newSecret, newSid } from '../crypto/random.ts';
import type { AccountsStore } from '../store/accounts-store.ts';
import type { AdminSessionsStore } from '../store/admin-sessions-store.ts';
import type { AccountRow } from '../store/schema.ts';
import type { StoreSet } from '../store/store-set.ts';

export interface AdminSessionPolicy {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after its sign-in, however active. */
  absoluteMs: number;
  /** The session id is replaced this often while the session is used. */
  rotateMs: number;
}

/** After a rotation the previous id stays valid this long, for requests (other tabs) already under way. */
const PREVIOUS_ID_GRACE_MS = 60_000;

/** Session ids are 256 random bits, base64url (newSecret). */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

interface ActiveSession {
  /** The session's stable handle (never sent to the browser; the CSRF token is derived from it). */
  sid: string;
  account: AccountRow;
  /** A fresh id to send in the cookie when this request rotated the session. */
  rotatedId: string | undefined;
}

export type SessionLookup = { status: 'active'; session: ActiveSession } | { status: 'expired' } | { status: 'none' };

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The admin console's server-side sessions: opened by a sign-in, found by the cookie's id (stored as a
 * SHA-256 digest only), ended by sign-out, the idle or absolute timeout, or a rotated auth token, and
 * given a fresh id every `rotateMs`. Ids are 256-bit random, so an unkeyed digest is enough: the
 * database holds nothing from which a cookie can be made.
 */
export class AdminSessions {
  private readonly store: AdminSessionsStore;
  private readonly accounts: AccountsStore;

  constructor(
    stores: Pick<StoreSet, 'adminSessions' | 'accounts'>,
    private readonly clock: Clock,
    private readonly policy: AdminSessionPolicy,
  ) {
    this.store = stores.adminSessions;
    this.accounts = stores.accounts;
  }

  /**
   * Opens a session for `account` (just authenticated) with a new random id, and ends the session the
   * browser presented before, if any: an id known before sign-in never becomes a signed-in id.
   */
  async open(account: AccountRow, previousId: string | undefined): Promise<{ id: string; sid: string }> {
    const now = this.clock.now();
    if (previousId !== undefined && SESSION_ID.test(previousId)) {
      const earlier = await this.store.findByIdDigest(digest(previousId), now - PREVIOUS_ID_GRACE_MS);
      if (earlier) await this.store.delete(earlier.sid);
    }
    await this.store.deleteExpired(now - this.policy.idleMs, now - this.policy.absoluteMs);
    const id = newSecret();
    const sid = newSid('AS');
    await this.store.insert({
      sid,
      account_sid: account.sid,
      id_digest: digest(id),
      previous_id_digest: null,
      credential_fingerprint: digest(account.auth_token_digest),
      created_at: now,
      last_seen_at: now,
      rotated_at: now,
    });
    return { id, sid };
  }

  /** The session a cookie's id names, still valid, marked used (and rotated when due). */
  async resume(id: string | undefined): Promise<SessionLookup> {
    if (id === undefined || !SESSION_ID.test(id)) return { status: 'none' };
    const now = this.clock.now();
    const presented = digest(id);
    const row = await this.store.findByIdDigest(presented, now - PREVIOUS_ID_GRACE_MS);
    if (!row) return { status: 'none' };
    if (!(await this.store.touch(row.sid, now, now - this.policy.idleMs, now - this.policy.absoluteMs))) {
      await this.store.delete(row.sid);
      return { status: 'expired' };
    }
    const account = await this.accounts.find(row.account_sid);
    if (!account || account.status !== 'active' || digest(account.auth_token_digest) !== row.credential_fingerprint) {
      // The account was closed or its auth token rotated since sign-in: the session ends with it.
      await this.store.delete(row.sid);
      return { status: 'none' };
    }
    let rotatedId: string | undefined;
    if (row.id_digest === presented && now - row.rotated_at >= this.policy.rotateMs) {
      const fresh = newSecret();
      if (await this.store.rotate(row.sid, presented, digest(fresh), now)) rotatedId = fresh;
    }
    return { status: 'active', session: { sid: row.sid, account, rotatedId } };
  }

  /** Ends the session server-side: its cookie (current or previous id) no longer signs anyone in. */
  async close(sid: string): Promise<void> {
    await this.store.delete(sid);
  }
}
