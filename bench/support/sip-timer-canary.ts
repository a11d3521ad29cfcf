/**
 * A control for bench/sip-calls.ts's jitter numbers on a shared machine: a separate Node process
 * that only wakes on a 20 ms grid (as Verity's RTP pacer does) and records how late each wake-up
 * was. It carries no calls, so when it stalls as long as Verity's pacer did in the same window, the
 * stall was the machine's (other processes, the hypervisor), not Verity's work.
 */
import { spawn } from 'node:child_process';

const SOURCE = `
const period = 20, epoch = performance.now(), late = [];
let next = 1;
const wake = () => {
  const now = performance.now();
  // As the pacer: a wake-up up to 1 ms early counts (timers have 1 ms granularity); one sample per wake-up.
  if (Math.floor((now - epoch + 1) / period) >= next) {
    late.push(now - (epoch + next * period));
    next = Math.floor((now - epoch + 1) / period) + 1;
  }
  setTimeout(wake, Math.max(0, Math.floor(epoch + next * period - performance.now())));
};
setTimeout(wake, period);
process.stdin.on('end', () => process.stdout.write(JSON.stringify(late), () => process.exit(0)));
process.stdin.resume();
`;

export interface TimerCanary {
  /** Ends the canary; resolves with the lateness (ms) of each of its wake-ups. */
  stop(): Promise<number[]>;
}

export function startTimerCanary(): TimerCanary {
  const child = spawn(process.execPath, ['-e', SOURCE], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped: Promise<number[]> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
        return out ? (JSON.parse(out) as number[]) : [];
      })();
      return stopped;
    },
  };
}
