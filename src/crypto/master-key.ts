import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.ts';
import { ensurePrivateDirectory, tightenIfPresent } from '../store/private-files.ts';
import { createKeyring, parseMasterKey, type Keyring } from './keyring.ts';

/**
 * The master key comes from VERITY_MASTER_KEY. In development only, a key is generated once into
 * `<data dir>/master.key` (mode 0600) so `npm start` works with no setup; production refuses that.
 */
export function loadKeyring(config: Config): { keyring: Keyring; generatedAt?: string } {
  const retired = config.retiredMasterKeys.map(parseMasterKey);
  if (config.masterKey) return { keyring: createKeyring(parseMasterKey(config.masterKey), retired) };
  if (config.env === 'production') throw new Error('VERITY_MASTER_KEY is required in production');
  const path = join(config.dataDir, 'master.key');
  if (!existsSync(path)) {
    ensurePrivateDirectory(config.dataDir);
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return { keyring: createKeyring(parseMasterKey(readFileSync(path, 'utf8')), retired), generatedAt: path };
  }
  // A key file from an older version, a copy or a restore may be readable by others: tighten it.
  tightenIfPresent(path);
  return { keyring: createKeyring(parseMasterKey(readFileSync(path, 'utf8')), retired) };
}
