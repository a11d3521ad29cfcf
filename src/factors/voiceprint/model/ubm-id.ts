import { createHash } from 'node:crypto';
import type { Gmm } from './gmm.ts';

const ids = new WeakMap<Gmm, string>();

/**
 * A short content hash of a UBM (16 hex digits of SHA-256 over its parameters as stored, i.e.
 * rounded as in toJSON). Voiceprints record the id of the UBMs they were adapted from, so a
 * voiceprint is never scored against a different background model.
 */
export function ubmId(gmm: Gmm): string {
  let id = ids.get(gmm);
  if (!id) {
    const { weights, means, variances, dims, components } = gmm.toJSON();
    id = createHash('sha256').update(JSON.stringify([components, dims, weights, means, variances])).digest('hex').slice(0, 16);
    ids.set(gmm, id);
  }
  return id;
}
