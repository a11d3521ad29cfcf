/**
 * TOTP verification throughput in-process, next to the machine's raw HMAC-SHA-1 rate.
 * Each verification with skew 1 computes three HMACs (steps t-1, t, t+1), so the ideal ratio of
 * verifications to raw HMACs is about 1:3; the gap shows the library and comparison overhead.
 *   npm run bench:totp [-- --seconds 3]
 */
import { createHmac, randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { totp } from '../src/factors/totp/otp.ts';
import { verifyTotp } from '../src/factors/totp/verify-totp.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);

function rate(label: string, fn: () => void): number {
  for (let i = 0; i < 2_000; i++) fn(); // warm-up
  let n = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1_000; i++) fn();
    n += 1_000;
  }
  const perSecond = n / ((performance.now() - started) / 1000);
  console.log(`${label.padEnd(52)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s`);
  return perSecond;
}

const secret = randomBytes(20);
const counter = Buffer.alloc(8);
const now = Date.now();
const options = { algorithm: 'sha1' as const, digits: 6, period: 30, skew: 1 };
const right = totp(secret, now, options);
const wrong = right === '000000' ? '111111' : '000000';

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`machine: ${cpu} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}; ${seconds} s per measurement, one thread`);
const hmac = rate('raw HMAC-SHA-1 (node:crypto, 8-byte message)', () => {
  counter.writeBigUInt64BE(BigInt(now));
  createHmac('sha1', secret).update(counter).digest();
});
const generate = rate('TOTP generate (one HMAC + truncation)', () => totp(secret, now, options));
const verifyRight = rate('TOTP verify, right code, skew 1 (3 HMACs)', () => verifyTotp(secret, right, now, options, null));
const verifyWrong = rate('TOTP verify, wrong code, skew 1 (3 HMACs)', () => verifyTotp(secret, wrong, now, options, null));
console.log('');
console.log(`generate / raw HMAC        ${(generate / hmac).toFixed(2)}  (ideal 1.00)`);
console.log(`verify / raw HMAC          ${(verifyRight / hmac).toFixed(2)}  (ideal 0.33 with skew 1)`);
console.log(`verify (wrong) / raw HMAC  ${(verifyWrong / hmac).toFixed(2)}`);
