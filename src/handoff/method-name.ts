import { friendlyNameProblem } from '../services/friendly-name.ts';

/**
 * A name the user gives one of their sign-in methods on the enrollment hub: inner spaces collapsed,
 * trimmed, Unicode NFC, then the shared friendly-name rule (src/services/friendly-name.ts: at most
 * 32 characters, no control or invisible characters, markup, links or domain names, at most 3
 * digits), since the name is shown on the pages and in the user's devices. Undefined when refused.
 */
export function parseMethodName(input: string | undefined): string | undefined {
  if (typeof input !== 'string' || input.length > 256) return undefined;
  const name = input.normalize('NFC').replace(/[ \t]+/g, ' ').trim();
  if (name === '' || friendlyNameProblem(name) !== undefined) return undefined;
  return name;
}
