import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1): hard enough for
 * a GPU, fast enough (~50 ms) for a sign-in.
 */
// algorithm 2 is Argon2id in @node-rs/argon2's (const enum) Algorithm.
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

// A hash of nothing in particular: unknown usernames cost as much as known ones (no user enumeration by timing).
const DUMMY_HASH = hash('not a password of anyone', ARGON2_OPTIONS);

/** Checks a password against the stored hash, or against a dummy hash when there is no user. */
export async function checkPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (storedHash === undefined) {
    await verify(await DUMMY_HASH, password);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
