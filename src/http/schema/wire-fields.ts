import { z } from 'zod';

/**
 * Request fields as the hosted API receives them, as zod schemas: form-encoded PascalCase keys
 * (dotted for nested settings, `Totp.Issuer`; repeated for arrays) or a JSON object with the same
 * keys. A form field arrives as a string (or a list of strings when repeated); a JSON value is
 * read as its text (`5` → `"5"`, an object → its JSON), so both bodies are checked alike.
 *
 * Each failure is an issue whose message is the detail of `Invalid parameter: <Key> (<detail>)`
 * (see validation.ts). The zod schema after the coercion is
 * what the OpenAPI document shows (a boolean field is `type: boolean`, an integer has its range).
 */

/** Every value given for a key, as text; null and undefined count as not given. */
function valuesOf(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v) => v !== undefined && v !== null).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
}

/** The one value of a key (undefined when absent); a repeated key is an issue, never meant to be. */
function single(raw: unknown, ctx: z.RefinementCtx): string | undefined {
  const values = valuesOf(raw);
  if (values.length > 1) {
    ctx.addIssue({ code: 'custom', message: 'given more than once', input: raw });
    return undefined;
  }
  return values[0];
}

/** Coerces the single value with `parse`, or reports `why` when it does not parse. */
function coerced<T>(raw: unknown, ctx: z.RefinementCtx, parse: (value: string) => T | undefined, why: string): T | string | undefined {
  const value = single(raw, ctx);
  if (value === undefined) return undefined;
  const parsed = parse(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: why, input: raw });
    return value;
  }
  return parsed;
}

interface StringOptions {
  max?: number;
  min?: number;
  pattern?: RegExp;
  /** The detail when `pattern` does not match (none: the bare `Invalid parameter: <Key>`). */
  why?: string;
}

/** The message of a pattern mismatch without a `why`: `Invalid parameter: <Key>`, no detail. */
export const NO_DETAIL = '(no detail)';

function text(options: StringOptions, missing?: string): z.ZodString {
  let schema = missing === undefined ? z.string() : z.string({ error: missing });
  // In the order Verity has always checked them: length first, then the pattern.
  if (options.max !== undefined) schema = schema.max(options.max, { error: `at most ${options.max} characters` });
  if (options.min !== undefined) schema = schema.min(options.min, { error: `at least ${options.min} characters` });
  if (options.pattern) schema = schema.regex(options.pattern, { error: options.why ?? NO_DETAIL });
  return schema;
}

/** An optional text field. */
export function string(options: StringOptions = {}) {
  return z.preprocess(single, text(options).optional());
}

/** A text field that must be given and not empty (`required`). */
export function required(options: StringOptions = {}) {
  return z.preprocess(single, text(options, 'required').refine((v) => v !== '', { error: 'required' }));
}

/** `true` or `false`, in any case. */
export function boolean() {
  const parse = (v: string) => ({ true: true, false: false })[v.toLowerCase()];
  return z.preprocess((raw, ctx) => coerced(raw, ctx, parse, 'expected true or false'), z.boolean().optional());
}

/** A whole number of at most 9 digits within [min, max]. */
export function integer(min: number, max: number) {
  const why = `expected an integer from ${min} to ${max}`;
  const parse = (v: string) => (/^-?\d{1,9}$/.test(v) ? Number(v) : undefined);
  return z.preprocess((raw, ctx) => coerced(raw, ctx, parse, why), z.number({ error: why }).int().min(min, { error: why }).max(max, { error: why }).optional());
}

/** A decimal such as `-1.25` (at most 6 digits each side of the point) within [min, max]. */
export function number(min: number, max: number) {
  const why = `expected a number from ${min} to ${max}`;
  const parse = (v: string) => (/^-?\d{1,6}(\.\d{1,6})?$/.test(v) ? Number(v) : undefined);
  return z.preprocess((raw, ctx) => coerced(raw, ctx, parse, why), z.number({ error: why }).min(min, { error: why }).max(max, { error: why }).optional());
}

/** One of `allowed`. */
export function oneOf<const T extends readonly [string, ...string[]]>(allowed: T) {
  return z.preprocess(single, z.enum(allowed, { error: `expected one of ${allowed.join(', ')}` }).optional());
}

/** One of `allowed`, which must be given (`required` when absent, as a missing FactorType is). */
export function requiredOneOf<const T extends readonly [string, ...string[]]>(allowed: T) {
  const why = `expected one of ${allowed.join(', ')}`;
  return z.preprocess(single, z.enum(allowed, { error: (issue) => (issue.input === undefined ? 'required' : why) }));
}

/** A parameter carrying a JSON object as text (the client JSON-encodes object parameters). */
export function jsonObject(maxLength = 4096) {
  return z.preprocess(
    single,
    text({ max: maxLength })
      .transform((value, ctx) => {
        try {
          const parsed: unknown = JSON.parse(value);
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
        } catch {
          // reported below
        }
        ctx.addIssue({ code: 'custom', message: 'expected a JSON object', input: value });
        return z.NEVER;
      })
      .optional(),
  );
}

/** Every value of a repeated key (absent: undefined; given, even as null: a list, maybe empty). */
export function list() {
  return z.preprocess((raw) => (raw === undefined ? undefined : valuesOf(raw)), z.array(z.string()).optional());
}

/** A list given as repeated keys, comma-separated, or both (`a,b&K=c`), trimmed, without empty items. */
export function commaList() {
  return z.preprocess(
    (raw) =>
      raw === undefined
        ? undefined
        : valuesOf(raw)
            .flatMap((v) => v.split(','))
            .map((v) => v.trim())
            .filter(Boolean),
    z.array(z.string()).optional(),
  );
}

/**
 * A form or JSON body (or query string) with these fields. Anything but an object (no body, a
 * JSON array or string) carries no fields; unknown keys are ignored, as the hosted API does.
 */
export function fields<const Shape extends z.ZodRawShape>(shape: Shape) {
  return z.preprocess((raw) => (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}), z.object(shape));
}
