import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { AuthenticatorError } from './authenticator-error.ts';
import { emptyStore, storeContentSchema, type StoreContent } from './stored-factor.ts';

/**
 * The authenticator's keys.json: private keys and OTP secrets, so it is guarded like ~/.ssh:
 * directory 0700, file 0600, and a file that group or others may read or write is refused.
 * Writes are atomic (temporary file, then rename) and serialised by a lock file, so a crash never
 * leaves half a file and two processes never lose each other's update (an HOTP counter, say).
 */

const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;
const LOCK_WAIT_MS = 10_000;
/** A lock older than this was left by a process that died; real updates take milliseconds. */
const STALE_LOCK_MS = 30_000;

/** `--store FILE`, else `$VERITY_AUTHENTICATOR_HOME/keys.json`, else the XDG config directory. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VERITY_AUTHENTICATOR_HOME) return join(env.VERITY_AUTHENTICATOR_HOME, 'keys.json');
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'verity-authenticator', 'keys.json');
}

export class KeyStore {
  constructor(readonly path: string) {}

  /** The stored factors; an empty store when the file does not exist yet. */
  async read(): Promise<StoreContent> {
    let text: string;
    try {
      await this.assertPrivate();
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return emptyStore();
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AuthenticatorError(`${this.path} is not valid JSON; it is not an authenticator store or it was damaged`);
    }
    const parsed = storeContentSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AuthenticatorError(`${this.path} is not a valid authenticator store (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unexpected content'})`);
    }
    return parsed.data;
  }

  /** Reads, lets `change` modify the content, and writes it back, holding the lock throughout. */
  async update<T>(change: (content: StoreContent) => T | Promise<T>): Promise<T> {
    await mkdir(dirname(this.path), { recursive: true, mode: DIRECTORY_MODE });
    const release = await this.lock();
    try {
      const content = await this.read();
      const result = await change(content);
      await this.write(content);
      return result;
    } finally {
      await release();
    }
  }

  /** Like ssh with a private key: refuse a file others could read (or swap keys in). */
  private async assertPrivate(): Promise<void> {
    const info = await stat(this.path);
    if (!info.isFile()) throw new AuthenticatorError(`${this.path} is not a regular file`);
    // Windows has no POSIX modes; its ACLs are out of scope.
    if (process.platform === 'win32') return;
    if ((info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      throw new AuthenticatorError(
        `Permissions ${mode} for ${this.path} are too open: it holds private keys and must not be accessible by group or others. ` +
          `Run: chmod 600 '${this.path}'`,
      );
    }
  }

  private async write(content: StoreContent): Promise<void> {
    const temporary = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      // 'wx' + mode: the file is private from its first byte, and never an existing file or symlink.
      const handle = await open(temporary, 'wx', FILE_MODE);
      try {
        await handle.writeFile(JSON.stringify(content, null, 2) + '\n', 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await syncDirectory(dirname(this.path));
  }

  private async lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.path}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx', FILE_MODE);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return () => unlink(lockPath).catch(() => undefined);
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
      }
      const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new AuthenticatorError(`${this.path} is locked by another authenticator process (if none is running, delete ${lockPath})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Makes the rename durable (POSIX); some platforms cannot open a directory, which is fine there. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
