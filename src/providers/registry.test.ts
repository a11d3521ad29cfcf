import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../config/config.ts';
import { PROVIDER_PLUGINS } from './registry.ts';

/** The problems loadConfig reports for `env`, none when it loads. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
}

const SELECTORS = [
  { variable: 'VERITY_SMS_PROVIDER', serves: (p: (typeof PROVIDER_PLUGINS)[number]) => p.delivery?.channels.includes('sms') === true },
  { variable: 'VERITY_VOICE_PROVIDER', serves: (p: (typeof PROVIDER_PLUGINS)[number]) => p.voice !== undefined },
  { variable: 'VERITY_EMAIL_PROVIDER', serves: (p: (typeof PROVIDER_PLUGINS)[number]) => p.delivery?.channels.includes('email') === true },
] as const;

test('each VERITY_*_PROVIDER accepts exactly the registered plug-ins that serve its channel', () => {
  for (const plugin of PROVIDER_PLUGINS) {
    for (const { variable, serves } of SELECTORS) {
      const refused = problems({ [variable]: plugin.name }).some((p) => p.startsWith(`${variable}:`));
      assert.equal(!refused, serves(plugin), `${variable}=${plugin.name}`);
    }
  }
  for (const { variable } of SELECTORS) assert.deepEqual(problems({ [variable]: 'none' }), [], `${variable}=none`);
});

test('production refuses exactly the development-only plug-ins', () => {
  for (const plugin of PROVIDER_PLUGINS) {
    const { variable } = SELECTORS.find(({ serves }) => serves(plugin)) ?? assert.fail(`${plugin.name} serves no channel`);
    const refused = problems({ NODE_ENV: 'production', [variable]: plugin.name }).some((p) => /development only/.test(p));
    assert.equal(refused, plugin.developmentOnly, plugin.name);
  }
});

test('each plug-in declares the config-table settings named after it, and only settings of the table', () => {
  const variables = Object.keys(CONFIG_VARIABLES);
  for (const plugin of PROVIDER_PLUGINS) {
    const own = variables.filter((name) => name.startsWith(`VERITY_${plugin.name.toUpperCase()}_`));
    for (const name of own) assert.ok(plugin.settings.includes(name as (typeof plugin.settings)[number]), `${plugin.name} declares ${name}`);
    for (const name of plugin.settings) assert.ok(variables.includes(name), `${name} is in the config table`);
  }
});

test('plug-in names are unique', () => {
  const names = PROVIDER_PLUGINS.map((plugin) => plugin.name);
  assert.equal(new Set(names).size, names.length);
});
