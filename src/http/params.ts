import { invalidParameter } from '../errors/verity-error.ts';

/**
 * Request parameters as the hosted API sends them: form-encoded PascalCase keys, dotted for
 * nested settings (`Totp.Issuer`), repeated keys for arrays. JSON bodies are accepted too.
 */
export class Params {
  private readonly values = new Map<string, string[]>();

  constructor(source: unknown) {
    if (source && typeof source === 'object') {
      for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
        const list = Array.isArray(value) ? value : [value];
        this.values.set(
          key,
          list.filter((v) => v !== undefined && v !== null).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))),
        );
      }
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The single value of `name`; a repeated key is an error (it is never meant to be). */
  string(name: string, options: { max?: number; min?: number; pattern?: RegExp; why?: string } = {}): string | undefined {
    const list = this.values.get(name);
    if (!list || list.length === 0) return undefined;
    if (list.length > 1) throw invalidParameter(name, 'given more than once');
    const value = list[0] as string;
    if (options.max !== undefined && value.length > options.max) throw invalidParameter(name, `at most ${options.max} characters`);
    if (options.min !== undefined && value.length < options.min) throw invalidParameter(name, `at least ${options.min} characters`);
    if (options.pattern && !options.pattern.test(value)) throw invalidParameter(name, options.why);
    return value;
  }

  required(name: string, options: Parameters<Params['string']>[1] = {}): string {
    const value = this.string(name, options);
    if (value === undefined || value === '') throw invalidParameter(name, 'required');
    return value;
  }

  list(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw invalidParameter(name, 'expected true or false');
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,9}$/.test(value)) throw invalidParameter(name, `expected an integer from ${min} to ${max}`);
    const n = Number(value);
    if (n < min || n > max) throw invalidParameter(name, `expected an integer from ${min} to ${max}`);
    return n;
  }

  /** A decimal number such as `-1.25`, within [min, max]. */
  number(name: string, min: number, max: number): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,6}(\.\d{1,6})?$/.test(value)) throw invalidParameter(name, `expected a number from ${min} to ${max}`);
    const n = Number(value);
    if (n < min || n > max) throw invalidParameter(name, `expected a number from ${min} to ${max}`);
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw invalidParameter(name, `expected one of ${allowed.join(', ')}`);
    return value as T;
  }

  /** A parameter that carries a JSON object (the client JSON-encodes object parameters). */
  json(name: string, maxLength = 4096): Record<string, unknown> | undefined {
    const value = this.string(name, { max: maxLength });
    if (value === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // fall through to the error below
    }
    throw invalidParameter(name, 'expected a JSON object');
  }
}
