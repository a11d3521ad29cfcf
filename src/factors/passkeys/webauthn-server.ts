import type * as WebAuthnServer from '@simplewebauthn/server';

let loading: Promise<typeof WebAuthnServer> | undefined;

/**
 * @simplewebauthn/server, imported on the first passkey ceremony instead of at start: with its
 * ASN.1/X.509 stack it is ~300 modules (~0.5 s of CPU to load), and most processes (the CLIs, a
 * server whose clients never use passkeys, most test files) never run a ceremony. Same module, same
 * functions: only the moment it loads changes.
 */
export function webauthnServer(): Promise<typeof WebAuthnServer> {
  loading ??= import('@simplewebauthn/server');
  return loading;
}
