/**
 * A failure the authenticator explains to its user and turns into an exit code. Anything else that
 * escapes a command is a bug and is shown with its stack.
 */
export class AuthenticatorError extends Error {
  /** 1: the operation failed; 2: the command line was wrong (as most Unix tools do). */
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthenticatorError';
    this.exitCode = options.exitCode ?? 1;
  }

  /** What `--json` prints on stderr. */
  toJSON(): Record<string, unknown> {
    return { error: { message: this.message } };
  }
}

/** A wrong command line: the message says what was expected. */
export function usageError(message: string): AuthenticatorError {
  return new AuthenticatorError(message, { exitCode: 2 });
}

/** Verity refused a request; `code` and `message` come from its error body (Twilio's shape). */
export class VerityApiError extends AuthenticatorError {
  constructor(
    readonly httpStatus: number,
    readonly code: number | undefined,
    readonly serverMessage: string,
    readonly moreInfo?: string,
  ) {
    super(`${serverMessage} (${code === undefined ? '' : `Verity error ${code}, `}HTTP ${httpStatus})`);
    this.name = 'VerityApiError';
  }

  override toJSON(): Record<string, unknown> {
    return { error: { code: this.code ?? null, message: this.serverMessage, status: this.httpStatus, ...(this.moreInfo ? { more_info: this.moreInfo } : {}) } };
  }
}
