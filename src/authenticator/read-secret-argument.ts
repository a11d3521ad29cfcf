import { text } from 'node:stream/consumers';
import type { AuthenticatorIo } from './command-context.ts';

/**
 * `-` reads the argument from stdin, so a token or an otpauth secret need not appear in the shell
 * history or in `ps` output.
 */
export async function readSecretArgument(argument: string, io: AuthenticatorIo): Promise<string> {
  return argument === '-' ? (await text(io.stdin)).trim() : argument.trim();
}
