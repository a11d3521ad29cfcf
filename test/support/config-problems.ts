import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/config.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';

/** The problems loading the configuration (every registered provider) reports for `env`, none when it loads. */
export function configProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadVerityConfig(env);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
}
