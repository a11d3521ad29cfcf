import type { Updateable } from 'kysely';
import { z } from 'zod';
import { CHALLENGE_STATUSES, type ChallengeRow, type ChallengesTable } from '../schema.ts';
import { jsonColumn, oneOf } from './column.ts';

const status = oneOf('challenges.status', CHALLENGE_STATUSES);
// Key order matters: a push device signs digests of these objects, and webhooks carry them as stored.
const details = jsonColumn('challenges.details', z.object({ message: z.string().nullable(), fields: z.array(z.object({ label: z.string(), value: z.string() })), prompt: z.string().optional() }));
const hiddenDetails = jsonColumn('challenges.hidden_details', z.record(z.string(), z.string()));
const metadata = jsonColumn('challenges.metadata', z.record(z.string(), z.unknown()));

export function decodeChallenge(row: ChallengesTable): ChallengeRow {
  return {
    ...row,
    status: status(row.status),
    details: details.decode(row.details),
    hidden_details: row.hidden_details === null ? null : hiddenDetails.decode(row.hidden_details),
    metadata: row.metadata === null ? null : metadata.decode(row.metadata),
  };
}

export function encodeChallenge(row: ChallengeRow): ChallengesTable {
  return {
    ...row,
    details: details.encode(row.details),
    hidden_details: row.hidden_details === null ? null : hiddenDetails.encode(row.hidden_details),
    metadata: row.metadata === null ? null : metadata.encode(row.metadata),
  };
}

/** Encodes the fields a patch sets, each in its place (so the UPDATE's column order is the patch's). */
export function encodeChallengePatch(patch: Partial<ChallengeRow>): Updateable<ChallengesTable> {
  const { details: d, hidden_details: h, metadata: m } = patch;
  return {
    ...patch,
    details: d === undefined ? undefined : details.encode(d),
    hidden_details: h === undefined ? undefined : h === null ? null : hiddenDetails.encode(h),
    metadata: m === undefined ? undefined : m === null ? null : metadata.encode(m),
  };
}
