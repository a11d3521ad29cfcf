import type { JSONWebKeySet, JWK } from 'jose';
import { z } from 'zod';
import type { HandoffClientRow, HandoffClientsTable, HandoffSigningKeyRow, HandoffSigningKeysTable } from '../schema.ts';
import { jsonColumn } from './column.ts';

// Keys are checked for shape and handed out as stored (z.custom keeps the object, so no member is reordered or dropped).
const jwkShape = z.looseObject({ kty: z.string() });
const jwk = z.custom<JWK>((value) => jwkShape.safeParse(value).success);
const returnUrls = jsonColumn('handoff_clients.return_urls', z.array(z.string()));
const jwks = jsonColumn('handoff_clients.jwks', z.custom<JSONWebKeySet>((value) => z.object({ keys: z.array(jwkShape) }).safeParse(value).success));
const publicJwk = jsonColumn('handoff_signing_keys.public_jwk', jwk);

export function decodeHandoffClient(row: HandoffClientsTable): HandoffClientRow {
  return { ...row, return_urls: returnUrls.decode(row.return_urls), jwks: row.jwks === null ? null : jwks.decode(row.jwks) };
}

export function encodeHandoffClient(row: HandoffClientRow): HandoffClientsTable {
  return { ...row, return_urls: returnUrls.encode(row.return_urls), jwks: row.jwks === null ? null : jwks.encode(row.jwks) };
}

export function decodeHandoffSigningKey(row: HandoffSigningKeysTable): HandoffSigningKeyRow {
  return { ...row, public_jwk: publicJwk.decode(row.public_jwk) };
}

export function encodeHandoffSigningKey(row: HandoffSigningKeyRow): HandoffSigningKeysTable {
  return { ...row, public_jwk: publicJwk.encode(row.public_jwk) };
}
