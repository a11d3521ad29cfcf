import type { z } from 'zod';

/** A stored value that does not have the shape its column promises (a bug or a hand-edited row). */
export class StoredValueError extends Error {
  constructor(readonly column: string, detail: string) {
    // The value itself is never quoted: a column may hold a secret's neighbour (metadata, details).
    super(`stored ${column} is malformed: ${detail}`);
    this.name = 'StoredValueError';
  }
}

/** 0/1 integer flags: both dialects store booleans as `integer` (migration 0001). */
export const flag = (stored: 0 | 1 | number): boolean => stored === 1;
export const bit = (value: boolean): 0 | 1 => (value ? 1 : 0);

/** A JSON text column checked against its zod schema on the way out, stringified on the way in. */
export interface JsonColumn<T> {
  decode(text: string): T;
  encode(value: T): string;
}

export function jsonColumn<S extends z.ZodType>(column: string, schema: S): JsonColumn<z.output<S>> {
  return {
    decode(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new StoredValueError(column, 'not JSON');
      }
      const result = schema.safeParse(parsed);
      if (!result.success) throw new StoredValueError(column, result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
      return result.data;
    },
    encode: (value) => JSON.stringify(value),
  };
}

/** A text column holding one of a closed set of values (a status, a channel), checked on the way out. */
export function oneOf<const T extends string>(column: string, values: readonly T[]): (stored: string) => T {
  const known = new Set<string>(values);
  const isKnown = (stored: string): stored is T => known.has(stored);
  return (stored) => {
    if (isKnown(stored)) return stored;
    throw new StoredValueError(column, `unknown value (expected ${values.join(', ')})`);
  };
}
