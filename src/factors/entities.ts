import type { AppContext } from '../context.ts';
import { newSid } from '../crypto/random.ts';
import { DomainError } from '../errors/domain-error.ts';
import { invalidParameter, notFound } from '../errors/verity-error.ts';
import type { EntityRow, ServiceRow } from '../store/schema.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type EntitiesDeps = Pick<AppContext, 'clock' | 'stores'>;

/** The application's user id: 8–64 characters of dash-separated alphanumerics, no PII. */
const IDENTITY = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

export function checkIdentity(identity: string | undefined): string {
  if (identity === undefined || identity === '') throw invalidParameter('Identity', 'required');
  if (identity.length < 8 || identity.length > 64 || !IDENTITY.test(identity)) {
    throw invalidParameter('Identity', 'expected 8 to 64 dash-separated letters and digits');
  }
  return identity;
}

export const entityPath = (serviceSid: string, identity: string): string => `/Services/${serviceSid}/Entities/${identity}`;

/** The per-entity failed-code counter (NIST SP 800-63B-4 §3.2.2), shared by all its challenges. */
export const entityFailureKey = (entitySid: string): string => `entity:${entitySid}`;

function newEntityRow(service: ServiceRow, identity: string, now: number): EntityRow {
  return { sid: newSid('YE'), account_sid: service.account_sid, service_sid: service.sid, identity, date_created: now, date_updated: now };
}

/** POST /Entities: a second entity with the same identity is refused (60306). */
export async function createEntity(ctx: EntitiesDeps, service: ServiceRow, identity: string | undefined): Promise<EntityRow> {
  const { row, created } = await ctx.stores.entities.findOrInsert(newEntityRow(service, checkIdentity(identity), ctx.clock.now()));
  if (!created) throw new DomainError('wrong_state', 'Invalid Request: an entity with this Identity already exists');
  return row;
}

/** The entity of `identity`, created if missing (creating a factor does that, as the hosted API does). */
export async function ensureEntity(ctx: EntitiesDeps, service: ServiceRow, identity: string): Promise<EntityRow> {
  return (await ctx.stores.entities.findOrInsert(newEntityRow(service, checkIdentity(identity), ctx.clock.now()))).row;
}

/** The entity of `identity`; an unknown or malformed identity is 20404. */
export async function loadEntity(ctx: EntitiesDeps, service: ServiceRow, identity: string): Promise<EntityRow> {
  const row = IDENTITY.test(identity) && identity.length <= 64 ? await ctx.stores.entities.find(service.sid, identity) : undefined;
  if (!row) throw notFound(entityPath(service.sid, identity));
  return row;
}
