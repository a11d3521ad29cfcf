/**
 * Starts kamailio (Debian `kamailio` 5.6) as the tests' SIP trunk and registrar on 127.0.0.1 and a
 * port found free at run time. The config is test/fixtures/sip/kamailio/kamailio.cfg.template with
 * this run's port, accounts and numbers filled in: no database (accounts in an htable, registrations
 * in memory), digest authentication of every REGISTER (401) and INVITE (407), Record-Route, and
 * `lookup("location")` + `t_relay()` to the registered phone. Its script logs one `VERITY-TEST …`
 * line per decision (challenge, registered, authenticated INVITE), which the tests wait for.
 *
 * @example
 * const trunk = await startKamailio({ accounts: { phone: 'pw-phone', verity: 'pw-verity' }, numbers: { '+14155550100': 'phone' } });
 * t.after(() => trunk.stop());
 * // … a phone registers as `phone` (baresip.ts), then:
 * await trunk.waitForRegistration('phone');
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { freePortBlock, startPeerProcess, type PeerProcess } from './peer-process.ts';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/sip/kamailio/kamailio.cfg.template', import.meta.url));
const MODULES = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/local/lib64/kamailio/modules'];
const KAMAILIO = ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio'];

/** The kamailio binary, or undefined when it is not installed (apt-get install kamailio). */
export function kamailioBinary(): string | undefined {
  return KAMAILIO.find((path) => existsSync(path));
}

export interface KamailioOptions {
  /** Digest accounts, user name → password: the phone's and Verity's. */
  accounts: Record<string, string>;
  /** Dialled number (request-URI user) → the account whose registered phone takes the call. */
  numbers?: Record<string, string>;
  /** The digest realm and the domain kamailio takes as its own. Default `trunk.test`. */
  realm?: string;
}

export interface Kamailio {
  host: string;
  port: number;
  realm: string;
  /** `sip:127.0.0.1:<port>`, what VERITY_SIP_PROXY is set to. */
  uri: string;
  /** Resolves once `user` has registered (digest checked) since the start. */
  waitForRegistration(user: string, timeoutMs?: number): Promise<void>;
  /** The contacts kamailio holds for `user` (from `kamcmd ul.lookup` over its ctl socket); empty when not registered. */
  contacts(user: string): Promise<string[]>;
  /** The `VERITY-TEST` decision lines its script has logged so far (challenges, registrations, authenticated INVITEs). */
  decisions(): string[];
  /**
   * Resolves with the first decision line (seen already or to come) that `pattern` matches: kamailio
   * logs from its worker processes, so a line may arrive after the SIP answer it goes with.
   */
  waitForDecision(pattern: RegExp, what: string, timeoutMs?: number): Promise<string>;
  log(): string;
  stop(): Promise<void>;
}

/** `$sht(table=>key) = "value";` lines, quoted for kamailio's config parser. */
function htableLines(table: string, entries: Record<string, string>): string {
  const quote = (s: string) => {
    if (!/^[A-Za-z0-9+._@-]+$/.test(s)) throw new Error(`kamailio.ts: ${JSON.stringify(s)} must be letters, digits and +._@-`);
    return s;
  };
  return Object.entries(entries)
    .map(([key, value]) => `\t$sht(${table}=>${quote(key)}) = "${quote(value)}";`)
    .join('\n');
}

export async function startKamailio(options: KamailioOptions): Promise<Kamailio> {
  const binary = kamailioBinary();
  const modules = MODULES.find((dir) => existsSync(join(dir, 'auth.so')));
  if (!binary || !modules) throw new Error('kamailio is not installed (apt-get install kamailio)');
  const dir = mkdtempSync(join(tmpdir(), 'verity-kamailio-'));
  const host = '127.0.0.1';
  const port = await freePortBlock(1, host);
  const realm = options.realm ?? 'trunk.test';
  const ctlSocket = join(dir, 'ctl.sock');
  const fields: Record<string, string> = {
    ADDRESS: host,
    PORT: String(port),
    DOMAIN: realm,
    REALM: realm,
    MODULES: modules,
    CTL_SOCKET: ctlSocket,
    ACCOUNTS: htableLines('accounts', options.accounts),
    NUMBERS: htableLines('numbers', options.numbers ?? {}),
  };
  const config = readFileSync(TEMPLATE, 'utf8').replace(/@@([A-Z_]+)@@/g, (_, name: string) => {
    const value = fields[name];
    if (value === undefined) throw new Error(`kamailio.ts: no value for @@${name}@@`);
    return value;
  });
  const cfg = join(dir, 'kamailio.cfg');
  writeFileSync(cfg, config);
  // -DD: stay in the foreground (workers are forked in our process group); -E: log to stderr; -Y: runtime files here.
  const process_: PeerProcess = startPeerProcess({
    name: 'kamailio',
    command: binary,
    args: ['-f', cfg, '-P', join(dir, 'kamailio.pid'), '-Y', dir, '-DD', '-E'],
    cwd: dir,
    logFile: join(dir, 'kamailio.log'),
  });
  try {
    // The ctl worker starts last: once it listens, the SIP workers are up.
    await process_.waitForLine(/io_listen_loop|ctl.*listening|INFO: ctl/, 'kamailio to start its workers', { timeoutMs: 15_000 });
  } catch (error) {
    await process_.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const kamcmd = promisify(execFile);
  return {
    host,
    port,
    realm,
    uri: `sip:${host}:${port}`,
    async waitForRegistration(user, timeoutMs = 10_000) {
      await process_.waitForLine(new RegExp(`VERITY-TEST registered ${user.replace(/[+.]/g, '\\$&')} `), `${user} to register`, { timeoutMs });
    },
    async contacts(user) {
      try {
        const { stdout } = await kamcmd(join(dirname(binary), 'kamcmd'), ['-s', `unix:${ctlSocket}`, 'ul.lookup', 'location', user]);
        return [...stdout.matchAll(/Address:\s*(\S+)/g)].map((m) => m[1]!);
      } catch (error) {
        if (/not found|404/i.test(String((error as { stdout?: string; stderr?: string }).stderr ?? ''))) return [];
        throw error;
      }
    },
    decisions: () => process_.output().split('\n').filter((line) => line.includes('VERITY-TEST')).map((line) => line.replace(/^.*VERITY-TEST /, '')),
    async waitForDecision(pattern, what, timeoutMs = 10_000) {
      // A decision is what follows the marker: `^` in the pattern anchors there.
      const line = await process_.waitForLine(new RegExp(`VERITY-TEST ${pattern.source.replace(/^\^/, '')}`, pattern.flags), what, { timeoutMs });
      return line.replace(/^.*VERITY-TEST /, '');
    },
    log: () => process_.output(),
    async stop() {
      await process_.stop(['SIGTERM'], 3000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
