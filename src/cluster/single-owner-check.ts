import type { Config } from '../config/config.ts';

/**
 * Parts that cannot run once per worker, hence refused with `--workers` above 1 (docs/scaling.md):
 * the simulator's phone network keeps its calls in memory (a call placed by one worker could not be
 * answered through another), the SIP stack binds one UDP port, and every SMPP bind would be opened
 * once per worker (SMSCs cap binds per account). Run those configurations with one worker per node
 * and add nodes instead.
 */
export function singleOwnerProblems(config: Config, options: { dev: boolean }): string[] {
  const problems: string[] = [];
  const plugins = new Set<string>([
    ...Object.values(config.providers),
    ...(config.messaging?.instances.map((instance) => instance.plugin) ?? []),
  ]);
  if (config.providers.voice === 'simulator') problems.push('VERITY_VOICE_PROVIDER=simulator keeps simulated calls in one process: set VERITY_VOICE_PROVIDER to a real provider, console or none, or run one worker');
  if (plugins.has('sip')) problems.push('the sip provider binds one UDP port: run one worker per node');
  if (plugins.has('smpp')) problems.push('each worker would open its own SMPP binds (SMSCs cap binds per account): run one worker per node');
  if (options.dev) problems.push('serve --dev (the development account and Demo Bank) runs one process: leave out --workers');
  return problems.map((problem) => `--workers above 1: ${problem}`);
}
