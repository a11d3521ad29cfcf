import { randomBytes } from 'node:crypto';
import type { DemoDatabase } from '../store/demo-database.ts';

export interface User {
  id: string;
  username: string;
  password_hash: string;
  phone: string;
  created_at: number;
}

/** A stable opaque id, used as the entity identity at Verity (Verity wants 8–64 letters, digits and hyphens; no PII). */
export const newUserId = (): string => `demo-${randomBytes(12).toString('hex')}`;

export class UsersStore {
  constructor(private readonly db: DemoDatabase) {}

  byUsername(username: string): User | undefined {
    return this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as User | undefined;
  }

  byId(id: string): User | undefined {
    return this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as User | undefined;
  }

  /** False when the username was taken in the meantime (the UNIQUE constraint decides). */
  insert(user: User): boolean {
    const result = this.db.prepare('INSERT OR IGNORE INTO users (id, username, password_hash, phone, created_at) VALUES (?, ?, ?, ?, ?)').run(user.id, user.username, user.password_hash, user.phone, user.created_at);
    return result.changes === 1;
  }

  updatePhone(id: string, phone: string): void {
    this.db.prepare('UPDATE users SET phone = ? WHERE id = ?').run(phone, id);
  }
}
