import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { AppContext } from '../context.ts';
import { entityFailureKey, ensureEntity } from '../factors/entities.ts';
import { announceOutbox, recordFactorEvent } from '../factors/record-factor-event.ts';
import type { AuthyAppRow, AuthyUserRow, EntityRow, FactorRow, ServiceRow } from '../store/schema.ts';
import { AuthyError, invalidAuthyParameter } from './authy-error.ts';

type AuthyUsersDeps = Pick<AppContext, 'bus' | 'clock' | 'stores'>;

/**
 * The entity an Authy user is in Verify: `authy-user-<authy_id>`. Its factors are the user's devices:
 * a verified push factor answers OneTouch, a verified TOTP factor gives app tokens (docs/authy.md).
 */
const authyIdentity = (authyId: number): string => `authy-user-${authyId}`;

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** The E.164 number of Authy's `country_code` (`1`, `+44`) and `cellphone` (digits, spaces, dashes, dots, parentheses). */
export function authyPhone(countryCode: string | undefined, cellphone: string | undefined, names = { country: 'country_code', phone: 'cellphone' }): { phone: string; countryCode: string; national: string } {
  const cc = (countryCode ?? '').trim().replace(/^\+/, '');
  if (!cc) throw invalidAuthyParameter(names.country, 'Parameter is required');
  if (!/^[0-9]{1,4}$/.test(cc)) throw invalidAuthyParameter(names.country, 'expected a country calling code such as 1 or 44');
  const raw = (cellphone ?? '').trim();
  if (!raw) throw invalidAuthyParameter(names.phone, 'Parameter is required');
  if (!/^[0-9 ().-]{4,24}$/.test(raw)) throw new AuthyError('60033', 'Phone number is invalid');
  const parsed = parsePhoneNumberFromString(`+${cc}${raw.replace(/\D/g, '')}`);
  if (!parsed?.isValid()) throw new AuthyError('60033', 'Phone number is invalid');
  return { phone: parsed.number, countryCode: parsed.countryCallingCode, national: String(parsed.nationalNumber) };
}

export interface RegisterInput {
  email: string | undefined;
  cellphone: string | undefined;
  countryCode: string | undefined;
}

/**
 * `users/new`: the app's user for this phone, created if new. The same phone (in any format) gives
 * the same `authy_id`, as Authy does; the id is numeric and counts up per application.
 */
export async function registerAuthyUser(ctx: AuthyUsersDeps, app: AuthyAppRow, service: ServiceRow, input: RegisterInput): Promise<AuthyUserRow> {
  const email = (input.email ?? '').trim();
  if (!email) throw invalidAuthyParameter('email', 'Parameter is required');
  if (email.length > 254 || !EMAIL.test(email)) throw invalidAuthyParameter('email', 'is invalid');
  const { phone, countryCode, national } = authyPhone(input.countryCode, input.cellphone);
  const existing = await ctx.stores.authyUsers.findByPhone(service.sid, phone);
  if (existing) return existing;
  const authyId = await ctx.stores.authyApps.takeUserId(app.service_sid);
  if (authyId === undefined) throw new AuthyError('60001');
  const now = ctx.clock.now();
  const row: AuthyUserRow = { service_sid: service.sid, authy_id: authyId, email: email.toLowerCase(), country_code: countryCode, cellphone: national, phone, identity: authyIdentity(authyId), date_created: now, date_updated: now };
  if (!(await ctx.stores.authyUsers.insert(row))) {
    // A concurrent registration of the same phone won: its id is the user's (this one is skipped, as a sequence would).
    const winner = await ctx.stores.authyUsers.findByPhone(service.sid, phone);
    if (winner) return winner;
  }
  await ensureEntity(ctx, service, row.identity);
  return row;
}

/** The user `rawId` (digits) of the app, or 404 60026. */
export async function loadAuthyUser(ctx: Pick<AppContext, 'stores'>, service: ServiceRow, rawId: string): Promise<AuthyUserRow> {
  const id = /^[0-9]{1,15}$/.test(rawId) ? Number(rawId) : undefined;
  const user = id === undefined ? undefined : await ctx.stores.authyUsers.find(service.sid, id);
  if (!user) throw new AuthyError('60026', 'User not found');
  return user;
}

/** The user's entity and its verified factors (the "devices"). */
export async function authyDevices(ctx: Pick<AppContext, 'stores'>, user: AuthyUserRow): Promise<{ entity: EntityRow | undefined; factors: FactorRow[] }> {
  const entity = await ctx.stores.entities.find(user.service_sid, user.identity);
  if (!entity) return { entity, factors: [] };
  const factors = (await ctx.stores.factors.list(entity.sid, 100, 0)).filter((f) => f.status === 'verified');
  return { entity, factors };
}

/** Authy's masked phone: `XXX-XXX-1234`. */
export const maskedPhone = (user: Pick<AuthyUserRow, 'cellphone'>): string => `XXX-XXX-${user.cellphone.slice(-4)}`;

/** `cellphone` in SMS and call answers: `+1-XXX-XXX-XX67`. */
export const maskedCellphone = (user: Pick<AuthyUserRow, 'cellphone' | 'country_code'>): string => `+${user.country_code}-XXX-XXX-XX${user.cellphone.slice(-2)}`;

/** Deletes the user, its entity and the entity's factors (each factor's deletion is an event, as on the Verify API). */
export async function removeAuthyUser(ctx: AuthyUsersDeps, service: ServiceRow, user: AuthyUserRow): Promise<void> {
  const entity = await ctx.stores.entities.find(service.sid, user.identity);
  await ctx.stores.transaction(async (tx) => {
    await tx.authyUsers.delete(service.sid, user.authy_id);
    await tx.authyApprovals.deleteForUser(service.sid, user.authy_id);
    if (!entity) return;
    for (const factor of await tx.factors.list(entity.sid, 10_000, 0)) await recordFactorEvent(ctx, tx, 'factor.deleted', factor);
    await tx.entities.delete(entity.sid);
  });
  if (entity) {
    announceOutbox(ctx, 'factor.deleted', entity.sid);
    await ctx.stores.checkFailures.clear(entityFailureKey(entity.sid));
  }
}
