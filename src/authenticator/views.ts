import type { DeviceChallenge } from '../factors/push/push-protocol.ts';
import type { StoredFactor } from './stored-factor.ts';

/** What `list` and `enroll` show of a stored factor: everything but the private key or secret. */
export function factorView(factor: StoredFactor): Record<string, unknown> {
  if (factor.type === 'push') {
    const { id, type, name, server, identity, serviceSid, serviceName, createdAt } = factor;
    return { id, type, name, server, identity, service_sid: serviceSid, service_name: serviceName, created_at: createdAt };
  }
  const { id, type, name, issuer, algorithm, digits, period, counter, createdAt } = factor;
  return { id, type, name, issuer, algorithm, digits, ...(period === undefined ? {} : { period }), ...(counter === undefined ? {} : { counter }), created_at: createdAt };
}

/** One line of `list`. */
export function factorLine(factor: StoredFactor): string {
  if (factor.type === 'push') return `${factor.id}  push  ${factor.name}  — ${factor.identity} at ${factor.serviceName || factor.serviceSid} (${factor.server})`;
  const settings = [factor.algorithm.toUpperCase(), `${factor.digits} digits`, factor.type === 'totp' ? `every ${factor.period ?? 30} s` : `next counter ${factor.counter ?? 0}`];
  return `${factor.id}  ${factor.type}  ${factor.name}  — ${factor.issuer ?? '(no issuer)'}, ${settings.join(', ')}`;
}

/** A challenge as a person should see it before answering: what, for whom, until when. */
export function challengeBlock(challenge: DeviceChallenge, now = Date.now()): string {
  const lines = [`${challenge.sid}  ${challenge.service_name || challenge.service_sid} · ${challenge.identity} · ${challenge.status}`];
  lines.push(`  ${challenge.details.message ?? '(no message)'}`);
  for (const field of challenge.details.fields) lines.push(`    ${field.label}: ${field.value}`);
  if (challenge.hidden_details && Object.keys(challenge.hidden_details).length > 0) {
    lines.push(`  hidden details: ${Object.entries(challenge.hidden_details).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  }
  lines.push(`  expires ${challenge.expiration_date} (${timeLeft(Date.parse(challenge.expiration_date) - now)})`);
  lines.push(
    challenge.number_match_required
      ? `  number matching: required — approve ${challenge.sid} --number NN (the number on the login page)`
      : '  number matching: not required',
  );
  return lines.join('\n');
}

function timeLeft(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms <= 0) return 'past';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `in ${seconds} s`;
  return seconds % 60 === 0 ? `in ${seconds / 60} min` : `in ${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
