/**
 * `npm run cluster [-- --nodes 3]`: PostgreSQL, N Verity nodes and HAProxy on this machine, for
 * trying the multi-node deployment of docs/scaling.md. Uses VERITY_DATABASE_URL when given, else
 * starts a private PostgreSQL cluster (the installed initdb/pg_ctl) in a temp folder. Prints the
 * balancer's URL and an API account; Ctrl-C stops every process it started and removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster, startPrivatePostgres, type Cluster, type PrivatePostgres } from './cluster.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '3' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log('Usage: npm run cluster [-- --nodes N]   (VERITY_DATABASE_URL: use this PostgreSQL instead of a private one)');
  process.exit(0);
}
const count = Number(values.nodes);
if (!Number.isInteger(count) || count < 1 || count > 16) {
  console.error('--nodes must be a whole number from 1 to 16');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'verity-cluster-'));
let postgres: PrivatePostgres | undefined;
let cluster: Cluster | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stderr.write('\nstopping the balancer, the nodes and PostgreSQL…\n');
    await cluster?.stop().catch(() => undefined);
    postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  let databaseUrl = process.env.VERITY_DATABASE_URL;
  if (!databaseUrl) {
    postgres = await startPrivatePostgres();
    databaseUrl = postgres.url;
  }
  cluster = await startCluster({ nodes: count, databaseUrl, dir: join(dir, 'cluster'), env: { VERITY_LOG_LEVEL: process.env.VERITY_LOG_LEVEL ?? 'info' } });
  const lines = [
    '',
    `  Verity cluster: ${count} node${count === 1 ? '' : 's'} behind HAProxy on ${postgres ? 'a private' : 'your'} PostgreSQL`,
    '',
    `  API (HAProxy)   ${cluster.url}/v2/Services`,
    `  HAProxy stats   ${cluster.statsUrl}`,
    ...cluster.nodes.map((n) => `  node ${n.name}         ${n.url}   pid ${n.pid}   log ${n.logPath}`),
    `  PostgreSQL      ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}${postgres ? `   pid ${postgres.pid}` : ''}`,
    `  haproxy.cfg     ${join(cluster.dir, 'haproxy.cfg')}`,
    '',
    `  Account SID     ${cluster.accountSid}`,
    `  Auth token      ${cluster.authToken}`,
    `  Master key      shared by every node (VERITY_MASTER_KEY, generated for this run)`,
    '',
    "  The README's examples read these variables; paste this line into your shell:",
    `    export VERITY_URL=${cluster.url} VERITY_ACCOUNT_SID=${cluster.accountSid} VERITY_AUTH_TOKEN=${cluster.authToken}`,
    '',
    `  Try a failure: kill -9 ${cluster.nodes[1]?.pid ?? cluster.nodes[0]?.pid} and watch the stats page mark it DOWN.`,
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  for (const node of cluster.nodes) node.child.once('exit', (code, signal) => process.stderr.write(`node ${node.name} (pid ${node.pid}) exited (${signal ?? code})\n`));
  cluster.haproxy.once('exit', () => {
    if (!stopping) {
      process.stderr.write('HAProxy exited\n');
      void stop(1);
    }
  });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await stop(1);
}
