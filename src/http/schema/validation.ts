import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';
import { invalidParameter, type VerityError } from '../../errors/verity-error.ts';
import { NO_DETAIL } from './wire-fields.ts';

/**
 * The hosted API's answer to bad input: `60200 Invalid parameter: <Key> (<detail>)` for the first
 * offending field, in the order the route's schema lists them.
 */
export function invalidInput(error: z.ZodError): VerityError {
  const issue = error.issues[0];
  const key = issue?.path[0];
  if (!issue || key === undefined) return invalidParameter('body');
  const detail = issue.message === NO_DETAIL ? undefined : issue.message;
  return invalidParameter(String(key), detail);
}

/**
 * Validates params, query and body with the route's zod schema. The parsed value (coerced:
 * booleans, integers, lists) replaces the raw one; a failure is the VerityError above, which
 * Fastify hands to the error handler unchanged (it only adds `statusCode`).
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: invalidInput(result.error) };
  };

/**
 * A route validator that takes the input as sent (returning no `value` leaves the request as it
 * was): for routes whose schema documents what a caller sends, where the handler must see the raw
 * input and decides itself what a malformed one means (a carrier's signed webhook parameters).
 */
export const takenAsSent: FastifySchemaCompiler<unknown> = () => () => ({});

/** A response body that does not match its route's published schema. */
interface ResponseViolation {
  method: string;
  url: string;
  status: number;
  issues: z.core.$ZodIssue[];
}

export interface ResponseChecks {
  /** `fail`: a violation answers 500 (tests); `off`: bodies are only serialised. */
  mode: 'fail' | 'record' | 'off';
  violations: ResponseViolation[];
}

/**
 * Serialises JSON responses as JSON.stringify always did (the wire bytes do not depend on the
 * schema), and with checks on, first parses the body with the route's response schema for its
 * status, strictly: a field the schema does not declare is a violation too, so the published
 * document cannot fall behind the code. Tests turn the checks on (build-app.ts: NODE_ENV=test).
 */
export function serializerCompiler(checks: ResponseChecks): FastifySerializerCompiler<z.ZodType> {
  return ({ schema, method, url, httpStatus }) => {
    if (checks.mode === 'off') return (data) => JSON.stringify(data);
    const strict = strictly(schema);
    return (data) => {
      const result = strict.safeParse(data);
      if (!result.success) {
        const violation = { method, url, status: Number(httpStatus), issues: result.error.issues };
        checks.violations.push(violation);
        if (checks.mode === 'fail') throw new Error(`response of ${method} ${url} (${httpStatus}) does not match its schema: ${JSON.stringify(result.error.issues)}`);
      }
      return JSON.stringify(data);
    };
  };
}

const strictCopies = new WeakMap<z.ZodType, z.ZodType>();

/** The schema with every object strict (unknown keys are issues), recursively. */
function strictly(schema: z.ZodType): z.ZodType {
  const known = strictCopies.get(schema);
  if (known) return known;
  const copy = strictCopy(schema);
  strictCopies.set(schema, copy);
  return copy;
}

function strictCopy(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, value]) => [key, strictly(value)]));
    const catchall = schema.def.catchall as z.ZodType | undefined;
    // A loose object (`catchall`) declares that it may carry more keys: it stays loose.
    return catchall === undefined || catchall.def.type === 'never' ? z.strictObject(shape) : z.object(shape).catchall(catchall);
  }
  if (schema instanceof z.ZodArray) return z.array(strictly(schema.element as z.ZodType));
  if (schema instanceof z.ZodOptional) return strictly(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodNullable) return strictly(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodUnion) return z.union((schema.options as z.ZodType[]).map(strictly) as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  return schema;
}
