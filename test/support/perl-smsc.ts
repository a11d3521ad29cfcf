/**
 * Starts test/fixtures/smsc.pl, the Perl Net::SMPP SMSC (an SMPP codec independent of node-smpp
 * and of Kannel), on a free loopback port, and collects what it saw: binds, submit_sm (with their
 * bytes), the deliver_sm it sent and their responses. Scenarios change through its stdin.
 *
 * @example
 * const smsc = await startPerlSmsc({ password: 'secret' });
 * await smsc.command('scenario undeliv:011');
 * const submit = await smsc.next('submit_sm');
 * await smsc.stop();
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fixtures/smsc.pl', import.meta.url));

/** One line the SMSC wrote: `event` names it (listening, connected, bind, submit_sm, deliver_sm, deliver_sm_resp, closed, ok…). */
export interface SmscEvent {
  event: string;
  session?: number;
  [field: string]: unknown;
}

/** A submit_sm as the SMSC decoded it. */
export interface SmscSubmit extends SmscEvent {
  event: 'submit_sm';
  source_addr: string;
  source_addr_ton: number;
  source_addr_npi: number;
  destination_addr: string;
  esm_class: number;
  data_coding: number;
  registered_delivery: number;
  short_message_hex: string;
  status: number;
  /** Absent when the scenario refused it. */
  message_id?: string;
}

/** What happens to the next submit_sm (see smsc.pl): `undeliv:011`, `reject:0x0b`, … */
export type SmscScenario = 'deliver' | 'undeliv' | `undeliv:${string}` | 'reject' | `reject:${string}` | 'throttle' | 'noreceipt' | 'drop';

export interface PerlSmscOptions {
  /** Default 0: a free port. */
  port?: number;
  systemId?: string;
  password?: string;
  scenario?: SmscScenario;
  /** Receipts this long after the submit_sm_resp (default 0: right after it). */
  receiptDelayMs?: number;
}

export interface PerlSmsc {
  readonly port: number;
  readonly systemId: string;
  readonly password: string;
  /** Every line so far, in order. */
  readonly events: SmscEvent[];
  submits(): SmscSubmit[];
  /** Resolves with the first event of this kind after the `after`-th one (default: any already seen), waiting up to `timeoutMs`. */
  next<E extends SmscEvent = SmscEvent>(event: string, options?: { after?: number; timeoutMs?: number; where?: (e: SmscEvent) => boolean }): Promise<E>;
  /** Sends a stdin command (`scenario throttle`, `mo +1555 Verity hello`, `drop`) and waits for its `ok`. */
  command(line: string): Promise<void>;
  /** Ends the process (SIGTERM) and waits for its exit. */
  stop(): Promise<void>;
}

/** True when perl and Net::SMPP (Debian libnet-smpp-perl) are installed. */
export function perlSmscAvailable(): boolean {
  try {
    execFileSync('perl', ['-MNet::SMPP', '-MJSON::PP', '-e1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startPerlSmsc(options: PerlSmscOptions = {}): Promise<PerlSmsc> {
  const systemId = options.systemId ?? 'verity';
  const password = options.password ?? 'secret';
  const child: ChildProcess = spawn('perl', [SCRIPT, '--port', String(options.port ?? 0), '--system-id', systemId, '--password', password, '--scenario', options.scenario ?? 'deliver', '--receipt-delay-ms', String(options.receiptDelayMs ?? 0)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: SmscEvent[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    for (const wake of waiters) wake();
    resolve();
  }));
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as SmscEvent);
    } catch {
      events.push({ event: 'unparsed', line });
    }
    for (const wake of waiters) wake();
  });

  const next = <E extends SmscEvent>(event: string, { after = 0, timeoutMs = 10_000, where }: { after?: number; timeoutMs?: number; where?: (e: SmscEvent) => boolean } = {}): Promise<E> =>
    new Promise<E>((resolve, reject) => {
      const check = (): boolean => {
        const found = events.slice(after).find((e) => e.event === event && (where?.(e) ?? true));
        if (found) resolve(found as E);
        else if (exited) reject(new Error(`the Perl SMSC exited before "${event}" (stderr: ${stderr.trim()})`));
        else return false;
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`the Perl SMSC did not report "${event}" within ${timeoutMs} ms; it reported ${JSON.stringify(events.slice(after).map((e) => e.event))}`));
      }, timeoutMs);
      const wake = () => {
        if (check()) {
          clearTimeout(timer);
          waiters.delete(wake);
        }
      };
      waiters.add(wake);
    });

  const listening = await next('listening').catch(async (err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    port: listening['port'] as number,
    systemId,
    password,
    events,
    submits: () => events.filter((e): e is SmscSubmit => e.event === 'submit_sm'),
    next,
    async command(line) {
      const after = events.length;
      child.stdin?.write(`${line}\n`);
      await next('ok', { after, where: (e) => e['command'] === line });
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      await exit;
    },
  };
}
