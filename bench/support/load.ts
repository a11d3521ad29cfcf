import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * The closed-loop load generator shared by bench/compare.ts and bench/rows.ts: autocannon with N
 * connections, each sending its next request when the previous answer arrives, every latency kept
 * (exact percentiles, not autocannon's histogram buckets), responses sorted into outcomes.
 */

export interface PhaseResult {
  name: string;
  requests: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses by outcome (`classify`), e.g. "200 approved": 812. */
  breakdown: Record<string, number>;
  connErrors: number;
  timeouts: number;
  /** CPU seconds the server process used during the phase divided by the phase's seconds (cores busy), when its pid is known. */
  serverCores?: number;
}

export interface LoadOptions {
  name: string;
  url: string;
  connections: number;
  /** Either a duration in seconds or an exact number of requests. */
  duration?: number;
  amount?: number;
  request: autocannon.Request;
  /** The outcome of a response; null leaves it out of every number. */
  classify?: (status: number, body: string) => string | null;
  /** The server's pid, to report the CPU it used (Linux /proc). */
  serverPid?: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

/** User + system CPU seconds of a process so far (Linux), undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the command name; clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export function runLoad(options: LoadOptions): Promise<PhaseResult> {
  return new Promise((resolveLoad, reject) => {
    const latencies: number[] = [];
    const breakdown: Record<string, number> = {};
    const classify = options.classify;
    // onResponse runs just before the 'response' event of the same response: it tells whether that response counts.
    let counts = true;
    let lastCountedMs = 0;
    const request: autocannon.Request = {
      ...options.request,
      onResponse: (status, body) => {
        const key = classify ? classify(status, body) : String(status);
        counts = key !== null;
        if (key !== null) breakdown[key] = (breakdown[key] ?? 0) + 1;
      },
    };
    const cpuBefore = cpuSeconds(options.serverPid);
    const startMs = performance.now();
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 3 }),
        timeout: 30,
        sampleInt: 100,
        requests: [request],
      },
      (err, result) => {
        const endMs = lastCountedMs || performance.now();
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        const cpuAfter = cpuSeconds(options.serverPid);
        const sorted = Float64Array.from(latencies).sort();
        const seconds = (endMs - startMs) / 1000;
        let sum = 0;
        for (const l of latencies) sum += l;
        resolveLoad({
          name: options.name,
          requests: latencies.length,
          seconds,
          perSecond: latencies.length / seconds,
          latencyMs: {
            p50: percentile(sorted, 50),
            p90: percentile(sorted, 90),
            p99: percentile(sorted, 99),
            max: sorted.length ? (sorted[sorted.length - 1] as number) : 0,
            mean: latencies.length ? sum / latencies.length : 0,
          },
          breakdown,
          connErrors: result.errors,
          timeouts: result.timeouts,
          ...(cpuBefore !== undefined && cpuAfter !== undefined ? { serverCores: (cpuAfter - cpuBefore) / seconds } : {}),
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (!counts) return;
      latencies.push(responseTime);
      lastCountedMs = performance.now();
    });
  });
}

/**
 * The order in which a pool's codes are tried: in groups of `group` items, passes 0…n-2 send a
 * wrong code to every member and pass n-1 the right one, so approvals are spread evenly over the
 * run and two checks of one item are `group` requests apart (never in flight together when
 * `group` is far above the connections).
 */
function checkOrder(poolSize: number, checksPerItem: number, group: number): Array<{ index: number; right: boolean }> {
  const usable = Math.floor(poolSize / group) * group;
  const order: Array<{ index: number; right: boolean }> = [];
  for (let g = 0; g < usable; g += group) {
    for (let pass = 0; pass < checksPerItem; pass++) {
      for (let i = 0; i < group; i++) order.push({ index: g + i, right: pass === checksPerItem - 1 });
    }
  }
  return order;
}

/** The code with its last digit changed: always wrong. */
function wrongCode(code: string): string {
  const last = Number(code.at(-1));
  return code.slice(0, -1) + String((last + 1) % 10);
}

/**
 * Distinct valid mobile numbers: +44 781x xxxxxx are UK mobile numbers that libphonenumber-js/max
 * accepts, all 10,000,000 of them; `block` (0-9) keeps several users of one database apart.
 */
export class Numbers {
  private next = 0;
  constructor(private readonly block = 0) {}
  take(): string {
    if (this.next >= 1_000_000) throw new Error('ran out of distinct phone numbers');
    return `+44781${this.block}${String(this.next++).padStart(6, '0')}`;
  }
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

export interface Measured extends PhaseResult {
  /** Answers that were not what the request called for (errors, a right code not approved, a wrong one not refused). */
  unexpected: number;
}

export interface PhaseSettings {
  connections: number;
  /** Seconds of a timed phase, and of the unmeasured warm-up before it. */
  duration: number;
  warmup: number;
  /** Checks per pooled code (the last one right) and the spacing of two checks of one code (checkOrder). */
  checksPerCode: number;
  group: number;
  log: (message: string) => void;
}

/** A timed phase (after its warm-up) whose every answer should be `expected`. */
export async function timedPhase(s: PhaseSettings, name: string, url: string, pid: number | undefined, request: () => autocannon.Request, expected: (status: number, body: string) => boolean): Promise<Measured> {
  if (s.warmup > 0) await runLoad({ name: `${name} warm-up`, url, connections: s.connections, duration: s.warmup, request: request() });
  s.log(`  ${name}: ${s.duration} s`);
  const result = await runLoad({
    name,
    url,
    connections: s.connections,
    duration: s.duration,
    request: request(),
    ...(pid === undefined ? {} : { serverPid: pid }),
    classify: (status, body) => (expected(status, body) ? 'ok' : `${status} ${body.slice(0, 80)}`),
  });
  return { ...result, unexpected: result.requests - (result.breakdown.ok ?? 0) + result.connErrors + result.timeouts };
}

export interface PooledCode {
  /** The request body's identifying part (form-encoded). */
  id: string;
  code: string;
}

/**
 * The check phase over `pool`, whose first `group` codes warm up unmeasured: each code gets
 * `checksPerCode` checks in checkOrder; `outcome` names an answer `right` (approved), `wrong`
 * (refused as a wrong code) or anything else (unexpected).
 */
export async function checkPhase(
  s: PhaseSettings,
  name: string,
  url: string,
  pid: number | undefined,
  path: string,
  headers: Record<string, string>,
  pool: PooledCode[],
  body: (item: PooledCode, code: string) => string,
  outcome: (status: number, body: string) => string,
): Promise<Measured> {
  const run = async (items: PooledCode[], measured: boolean): Promise<Measured> => {
    const order = checkOrder(items.length, s.checksPerCode, s.group);
    let k = 0;
    const result = await runLoad({
      name,
      url,
      connections: s.connections,
      amount: order.length,
      ...(measured && pid !== undefined ? { serverPid: pid } : {}),
      request: {
        method: 'POST',
        path,
        headers,
        setupRequest: (req) => {
          const step = order[k++ % order.length]!;
          const item = items[step.index]!;
          req.body = body(item, step.right ? item.code : wrongCode(item.code));
          return req;
        },
      },
      classify: outcome,
    });
    const rights = order.filter((step) => step.right).length;
    const right = result.breakdown.right ?? 0;
    const wrong = result.breakdown.wrong ?? 0;
    const unexpected = result.requests - right - wrong + Math.abs(right - rights) + result.connErrors + result.timeouts;
    return { ...result, unexpected };
  };
  await run(pool.slice(0, s.group), false);
  s.log(`  ${name}: ${((pool.length - s.group) * s.checksPerCode).toLocaleString('en')} checks`);
  return run(pool.slice(s.group), true);
}
