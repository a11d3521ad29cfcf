import { randomBytes } from 'node:crypto';
import type { DemoDatabase } from '../store/demo-database.ts';
import { randomToken, sha256 } from '../sessions.ts';

export const DEVICE_COOKIE = 'demo_device';
const DEVICE_DAYS = 30;
const DEVICE_MS = DEVICE_DAYS * 24 * 60 * 60_000;

export interface RememberedDevice {
  id: string;
  label: string;
  created_at: number;
  expires_at: number;
}

/**
 * "Remember this device": a random token in a long-lived HttpOnly cookie; only its SHA-256 is stored,
 * bound to one user, for 30 days, revocable from the account page.
 */
export class RememberedDevices {
  constructor(private readonly db: DemoDatabase) {}

  /** Returns the token to put in the cookie. */
  remember(userId: string, label: string): string {
    const token = randomToken();
    const now = Date.now();
    this.db.prepare('INSERT INTO devices (token_hash, id, user_id, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(sha256(token), randomBytes(8).toString('hex'), userId, label.slice(0, 120), now, now + DEVICE_MS);
    return token;
  }

  /** True when the token is a live one of this user. */
  recognises(userId: string, token: string | undefined): boolean {
    if (!token) return false;
    const row = this.db.prepare('SELECT user_id, expires_at FROM devices WHERE token_hash = ?').get(sha256(token)) as { user_id: string; expires_at: number } | undefined;
    return row !== undefined && row.user_id === userId && row.expires_at > Date.now();
  }

  list(userId: string): RememberedDevice[] {
    return this.db.prepare('SELECT id, label, created_at, expires_at FROM devices WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC').all(userId, Date.now()) as RememberedDevice[];
  }

  revoke(userId: string, id: string): boolean {
    return this.db.prepare('DELETE FROM devices WHERE user_id = ? AND id = ?').run(userId, id).changes === 1;
  }
}

export const DEVICE_MAX_AGE_SECONDS = DEVICE_MS / 1000;
