import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Keyring } from '../crypto/keyring.ts';
import { HANDOFF_FACTORS, type HandoffFactor } from '../handoff/handoff-claims.ts';
import type { HandoffSession } from '../handoff/handoff-session.ts';
import { readCookie } from '../http/cookies.ts';

/*
 * The method a user last signed in with in this browser (issue 17: the chooser shows it first).
 * One cookie on the hosted origin holds a few entries `<user key>:<method>`, newest first, and an
 * HMAC of them under the server keyring: a forged or edited cookie is ignored. The user key is a
 * keyed digest of service + subject, so the cookie names nobody to whoever reads the disk.
 */

/** At most this many users per browser (a shared computer): older entries drop off. */
export const MAX_LAST_METHODS = 4;
/** A sign-in method comes back first for this long after its last use. */
const MAX_AGE_SECONDS = 180 * 24 * 3600;
const USER_KEY_BYTES = 16;

interface Deps {
  keyring: Keyring;
  config: { publicUrl: string };
}

/** Who the entry is about: the request's service and subject. */
export interface LastMethodUser {
  serviceSid: string;
  subject: string;
}

export interface LastMethodEntry {
  user: string;
  method: HandoffFactor;
}

const cookieName = (ctx: Deps): string => (ctx.config.publicUrl.startsWith('https:') ? '__Host-verity_last_method' : 'verity_last_method');
const key = (keyring: Keyring): Buffer => keyring.derive('handoff-last-method');
const mac = (keyring: Keyring, label: string, text: string): Buffer => createHmac('sha256', key(keyring)).update(label).update('\0').update(text).digest();

/** The user's key in the cookie: a keyed digest of service and subject (base64url, 22 characters). */
export function userKey(keyring: Keyring, user: LastMethodUser): string {
  return mac(keyring, 'user', `${user.serviceSid}\0${user.subject}`).subarray(0, USER_KEY_BYTES).toString('base64url');
}

const isMethod = (value: string): value is HandoffFactor => (HANDOFF_FACTORS as readonly string[]).includes(value);

/** The cookie's value for these entries: `<user>:<method>~…` and `.` its HMAC. */
export function encodeLastMethods(keyring: Keyring, entries: readonly LastMethodEntry[]): string {
  const payload = entries.slice(0, MAX_LAST_METHODS).map((e) => `${e.user}:${e.method}`).join('~');
  return `${payload}.${mac(keyring, 'cookie', payload).toString('base64url')}`;
}

/** The entries of a cookie value whose HMAC is right; none for anything else (forged, edited, old key, malformed). */
export function decodeLastMethods(keyring: Keyring, value: string | undefined): LastMethodEntry[] {
  if (value === undefined || value.length > 512) return [];
  const dot = value.lastIndexOf('.');
  if (dot < 0) return [];
  const payload = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = mac(keyring, 'cookie', payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return [];
  const entries: LastMethodEntry[] = [];
  for (const item of payload.split('~').slice(0, MAX_LAST_METHODS)) {
    const [user = '', method = ''] = item.split(':');
    if (/^[A-Za-z0-9_-]{22}$/.test(user) && isMethod(method)) entries.push({ user, method });
  }
  return entries;
}

/** The method this user last signed in with in this browser, if the cookie says so. */
export function lastMethodOf(ctx: Deps, request: FastifyRequest, user: LastMethodUser): HandoffFactor | undefined {
  if (user.subject === '') return undefined;
  const mine = userKey(ctx.keyring, user);
  return decodeLastMethods(ctx.keyring, readCookie(request, cookieName(ctx))).find((e) => e.user === mine)?.method;
}

/**
 * Remembers `method` as this user's last one (first in the cookie, the user's older entry and the
 * oldest others dropped). HttpOnly, SameSite=Lax, Secure (`__Host-`) over HTTPS.
 */
export function rememberLastMethod(ctx: Deps, request: FastifyRequest, reply: FastifyReply, user: LastMethodUser, method: HandoffFactor): void {
  if (user.subject === '') return;
  const mine = userKey(ctx.keyring, user);
  const others = decodeLastMethods(ctx.keyring, readCookie(request, cookieName(ctx))).filter((e) => e.user !== mine);
  const value = encodeLastMethods(ctx.keyring, [{ user: mine, method }, ...others]);
  const secure = ctx.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  void reply.header('Set-Cookie', `${cookieName(ctx)}=${value}; Path=/; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure}`);
}

/**
 * The method a step's form proved, by the route it posted to (the forms of the chooser's options,
 * and the pages that follow them); undefined for routes that prove none (the chooser again, the hub)
 * and for a recovery code: a way out for a lost device, never what the next sign-in should suggest.
 */
export function methodOfStep(routePath: string, session: HandoffSession): HandoffFactor | undefined {
  const [, , step = ''] = routePath.split('/');
  switch (step) {
    case 'totp':
    case 'push':
    case 'voiceprint':
    case 'call':
    case 'flashcall':
      return step;
    case 'passkey':
      return 'passkeys';
    case 'phone':
      return session.phone?.channel ?? 'sms';
    default:
      return undefined;
  }
}
