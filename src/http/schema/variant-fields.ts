import { z } from 'zod';
import { fields } from './wire-fields.ts';

const isObject = (raw: unknown): raw is Record<string, unknown> => !!raw && typeof raw === 'object' && !Array.isArray(raw);

/**
 * A body whose fields depend on a kind (a factor's type: named by the body, or by the factor the
 * path names). The kind's own fields are checked as if they were the whole body, in their order and
 * with their messages, and only they are kept: the fields of other kinds are ignored, as the hosted
 * API ignores them. The document shows `all`: every field once, with the loosest rule of any kind
 * (a kind's fields always pass it).
 */
export function variantFields<const All extends z.ZodRawShape, K extends string>(all: All, kindOf: (body: Record<string, unknown>) => K, variants: Record<K, z.ZodRawShape>) {
  const checks = Object.fromEntries(Object.entries(variants).map(([kind, shape]) => [kind, z.object(shape as z.ZodRawShape)])) as Record<K, z.ZodObject>;
  return z.preprocess((raw, ctx) => {
    const body = isObject(raw) ? raw : {};
    const check = checks[kindOf(body)];
    const result = check.safeParse(body);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ ...issue } as never);
      return body;
    }
    return Object.fromEntries(Object.entries(body).filter(([key]) => key in check.shape));
  }, fields(all));
}
