import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** Files that hold secrets or personal data (the database, keys, credentials): owner read/write only. */
const PRIVATE_FILE_MODE = 0o600;
/** Folders Verity creates for them: owner only. */
const PRIVATE_DIRECTORY_MODE = 0o700;

/**
 * Creates `dir` (and missing parents) as 0700 whatever the umask. A folder that already exists
 * keeps the mode its operator gave it: the files inside are private on their own.
 */
export function ensurePrivateDirectory(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  // mkdir's mode is masked by the umask; chmod is not.
  chmodSync(dir, PRIVATE_DIRECTORY_MODE);
}

/**
 * Makes `path` an owner-only file before anything writes to it: a new file is created empty with
 * mode 0600 (never through an existing file or link), and an existing one, from an older version
 * or a restore, is tightened to 0600.
 */
export function ensurePrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** Tightens `path` to 0600 if it exists (SQLite's -wal and -shm files). */
export function tightenIfPresent(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Replaces `path` with `content` as a 0600 file: written to a new private file beside it, then
 * renamed over it, so the content is never readable by others, not even for a moment, and a file
 * that was 0644 before ends 0600.
 */
export function writePrivateFile(path: string, content: string): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, content, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    chmodSync(temporary, PRIVATE_FILE_MODE);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
