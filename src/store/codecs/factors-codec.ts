import type { Updateable } from 'kysely';
import { z } from 'zod';
import { FACTOR_STATUSES, FACTOR_TYPES, type FactorRow, type FactorsTable } from '../schema.ts';
import { jsonColumn, oneOf } from './column.ts';

const factorType = oneOf('factors.factor_type', FACTOR_TYPES);
const status = oneOf('factors.status', FACTOR_STATUSES);
const metadata = jsonColumn('factors.metadata', z.record(z.string(), z.unknown()));

export function decodeFactor(row: FactorsTable): FactorRow {
  return { ...row, factor_type: factorType(row.factor_type), status: status(row.status), metadata: row.metadata === null ? null : metadata.decode(row.metadata) };
}

export function encodeFactor(row: FactorRow): FactorsTable {
  return { ...row, metadata: row.metadata === null ? null : metadata.encode(row.metadata) };
}

/** Encodes the fields a patch sets, each in its place (so the UPDATE's column order is the patch's). */
export function encodeFactorPatch(patch: Partial<FactorRow>): Updateable<FactorsTable> {
  const m = patch.metadata;
  return { ...patch, metadata: m === undefined ? undefined : m === null ? null : metadata.encode(m) };
}
