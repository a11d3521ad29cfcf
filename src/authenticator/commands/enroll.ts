import { randomBytes } from 'node:crypto';
import { exportJWK } from 'jose';
import { generateDeviceKey } from '../../factors/push/device-signing.ts';
import { AuthenticatorError, usageError } from '../authenticator-error.ts';
import { COMMON_HELP, commandContext, parseCommand, type AuthenticatorIo, type CommandContext } from '../command-context.ts';
import { factorLine, factorView } from '../views.ts';
import { DeviceClient, createPushFactor } from '../device-client.ts';
import { parseEnrollmentCodeInput, redeemEnrollmentCode } from '../enrollment-code.ts';
import { readEnrollmentToken } from '../enrollment-token.ts';
import { isOtpauthUri, parseOtpauthUri } from '../parse-otpauth-uri.ts';
import { readSecretArgument } from '../read-secret-argument.ts';
import { pushFactorEntrySchema, type OtpFactorEntry, type PushFactorEntry, type StoredFactor } from '../stored-factor.ts';

export const ENROLL_HELP = `Usage: verity-authenticator enroll <enrollment-token | enrollment-code | code-link | otpauth-uri | -> [options]

Adds a factor to this authenticator.

  An enrollment token (the "token" of POST /v2/Services/{VA}/AccessTokens) enrolls a push factor:
  a P-256 key is made here, its public half is bound to the token's identity on Verity, and the
  factor is verified by signing with the private half, which never leaves the store.

  An enrollment code (XXXX-XXXX-XXXX, shown by the enrollment hub) or the link its QR code holds
  (https://…/device/v1/EnrollmentCodes/XXXX-XXXX-XXXX) is traded for such a token first (once);
  a code alone needs --server.

  An otpauth://totp/… or otpauth://hotp/… URI (what a TOTP factor's QR code holds) stores its
  secret for \`code\`; nothing is sent anywhere.

  "-" reads the token or URI from stdin, keeping it out of shell history and \`ps\`.

Options:
  --name NAME    the factor's name (push: sent as its FriendlyName; default: the token's
                 factor_friendly_name, or the URI's account name)
  --server URL   Verity's URL, when the token's verity_url is not the one to use from here
${COMMON_HELP}`;

export async function enroll(args: string[], io: AuthenticatorIo): Promise<number> {
  const { values, positionals } = parseCommand(args, { name: { type: 'string' }, server: { type: 'string' } });
  const [argument, ...extra] = positionals;
  if (argument === undefined || extra.length > 0) throw usageError('enroll takes one argument: an enrollment token or an otpauth:// URI (see enroll --help)');
  const ctx = commandContext(io, values);
  const credential = await readSecretArgument(argument, io);
  const factor = isOtpauthUri(credential) ? otpEntry(credential, values.name) : await enrollPush(await tokenOf(credential, values.server), values.name, values.server);
  await ctx.store.update((content) => {
    const twin = factor.type === 'push' ? undefined : content.factors.find((f) => f.type !== 'push' && f.secret === factor.secret);
    if (twin) throw new AuthenticatorError(`this secret is already stored as ${twin.id} (${twin.name})`);
    content.factors.push(factor);
  });
  report(ctx, factor);
  return 0;
}

/** The enrolment token itself, or the one a short code (or its link) stands for. */
async function tokenOf(credential: string, server: string | undefined): Promise<string> {
  const code = parseEnrollmentCodeInput(credential);
  return code === undefined ? credential : redeemEnrollmentCode(code, server);
}

function otpEntry(uri: string, name: string | undefined): OtpFactorEntry {
  const key = parseOtpauthUri(uri);
  return {
    type: key.type,
    id: `otp-${randomBytes(4).toString('hex')}`,
    name: name ?? key.account,
    issuer: key.issuer,
    secret: key.secret,
    algorithm: key.algorithm,
    digits: key.digits,
    ...(key.period === undefined ? {} : { period: key.period }),
    ...(key.counter === undefined ? {} : { counter: key.counter }),
    createdAt: new Date().toISOString(),
  };
}

async function enrollPush(token: string, name: string | undefined, serverOverride: string | undefined): Promise<PushFactorEntry> {
  const claims = readEnrollmentToken(token);
  const server = serverOverride ?? claims.verity_url;
  if (!/^https?:\/\//.test(server)) throw usageError(`the server URL must start with http:// or https:// (got "${server}")`);
  const { privateKey, publicKey } = await generateDeviceKey();
  const created = await createPushFactor(server, token, publicKey, name);
  try {
    const verified = await new DeviceClient(server, created.sid, privateKey).verifyFactor();
    if (verified.status !== 'verified') throw new AuthenticatorError(`Verity left the factor ${created.sid} ${verified.status} after the proof of possession`);
  } catch (error) {
    // The token was used up by the creation: the user needs a new one either way.
    const hint = `the factor ${created.sid} was created but not verified; it is not stored here (ask for a new enrollment token)`;
    throw error instanceof AuthenticatorError ? new AuthenticatorError(`${error.message}; ${hint}`, { cause: error }) : error;
  }
  return {
    type: 'push',
    id: created.sid,
    name: created.friendly_name || name || claims.factor_friendly_name,
    server,
    identity: created.identity || claims.sub,
    serviceSid: created.service_sid || claims.service_sid,
    serviceName: claims.service_name,
    privateKey: pushFactorEntrySchema.shape.privateKey.parse(await exportJWK(privateKey)),
    publicKey,
    createdAt: new Date().toISOString(),
  };
}

function report(ctx: CommandContext, factor: StoredFactor): void {
  if (ctx.json) {
    ctx.io.out(JSON.stringify({ ...factorView(factor), ...(factor.type === 'push' ? { status: 'verified' } : {}) }));
    return;
  }
  ctx.io.out(factor.type === 'push' ? `Enrolled and verified push factor:\n  ${factorLine(factor)}` : `Stored ${factor.type.toUpperCase()} secret:\n  ${factorLine(factor)}`);
}
