import { z } from 'zod';
import { ERROR_CODES } from '../../errors/error-codes.ts';

/** Building blocks of response schemas (snake_case JSON) and the shared components. */

/** Marks a parameter or field as Verity's own (absent from the hosted API). */
export function extension<T extends z.ZodType>(schema: T, description: string): T {
  return schema.meta({ description: `**Verity extension** (not on the hosted API). ${description}`.trim(), 'x-verity-extension': true });
}

/** A SID: the prefix and 32 lower-case hex digits (its length documented as the hosted API's description has it). */
export const sid = (prefix: string, description: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}[0-9a-f]{32}$`))
    .meta({ description, minLength: prefix.length + 32, maxLength: prefix.length + 32, examples: [`${prefix}${'0123456789abcdef'.repeat(2)}`] });

/**
 * A SID in a path: its pattern is documented, not enforced by the schema, because the route
 * answers a malformed SID as it answers an unknown one (20404 from its lookup), never 60200.
 */
export const pathSid = (prefix: string, description: string) => z.string().meta({ description, pattern: `^${prefix}[0-9a-f]{32}$` });

/** A date as the hosted API writes it (wire-format.ts). */
export const dateTime = (description: string) =>
  z.string().meta({ format: 'date-time', description: `${description} UTC, without milliseconds (\`2015-07-30T20:00:00Z\`).`, examples: ['2026-01-01T12:00:00Z'] });

export const absoluteUrl = (description?: string) => z.string().meta({ format: 'uri', ...(description ? { description } : {}) });

/** The hosted API's error body; `details` is Verity's. */
export const ErrorBody = z
  .object({
    code: z.number().int().meta({ enum: Object.keys(ERROR_CODES).map(Number), description: 'Error code (see /docs/errors).' }),
    message: z.string().meta({ description: 'Safe to show: names what was expected, never echoes a code, token or secret.' }),
    more_info: z.string().meta({ format: 'uri-reference', description: 'Twilio\'s page of the code, or for a code Verity added, `GET /docs/errors`.' }),
    status: z.number().int().meta({ description: 'The HTTP status, repeated.' }),
    details: extension(z.record(z.string(), z.unknown()), 'Machine-readable specifics of some errors, never secret (64011: `problems`, what to fix in a recording).').optional(),
  })
  .meta({ id: 'Error', description: 'The hosted API\'s legacy error body (twilio-node turns it into a `RestException`).' });

const ListMeta = z
  .object({
    page: z.number().int().min(0),
    page_size: z.number().int().min(1).max(1000),
    first_page_url: absoluteUrl(),
    previous_page_url: absoluteUrl().nullable(),
    url: absoluteUrl(),
    next_page_url: absoluteUrl().nullable(),
    key: z.string().meta({ description: 'Name of the list property.' }),
  })
  .meta({ id: 'ListMeta', description: 'Paging metadata. Page URLs are absolute (built from `VERITY_PUBLIC_URL`); follow `next_page_url` verbatim.' });

/** A page of `item`s under `key`, as `{<key>: [...], meta}`. */
export function listOf<const K extends string, T extends z.ZodType>(key: K, item: T, id: string, description: string) {
  return z.object({ [key]: z.array(item), meta: ListMeta } as { [P in K]: z.ZodArray<T> } & { meta: typeof ListMeta }).meta({ id, description });
}
