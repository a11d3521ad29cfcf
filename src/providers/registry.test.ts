import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configTable } from '../config/config.ts';
import { PROVIDER_OPTIONS, PROVIDER_PLUGINS } from './registry.ts';
import { configProblems } from '../../test/support/config-problems.ts';

const problems = configProblems;

const SELECTORS = [
  { variable: 'VERITY_SMS_PROVIDER', serves: (p: (typeof PROVIDER_PLUGINS)[number]) => p.delivery?.channels.includes('sms') === true },
  { variable: 'VERITY_VOICE_PROVIDER', serves: (p: (typeof PROVIDER_PLUGINS)[number]) => p.voice !== undefined },
  { variable: 'VERITY_EMAIL_PROVIDER', serves: (p: (typeof PROVIDER_PLUGINS)[number]) => p.delivery?.channels.includes('email') === true },
  { variable: 'VERITY_WHATSAPP_PROVIDER', serves: (p: (typeof PROVIDER_PLUGINS)[number]) => p.delivery?.channels.includes('whatsapp') === true },
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

test('each plug-in owns exactly the settings named after it, and they are in the configuration table', () => {
  const variables = Object.keys(configTable(PROVIDER_OPTIONS));
  const shared = Object.keys(configTable([]));
  for (const plugin of PROVIDER_PLUGINS) {
    const prefix = `VERITY_${plugin.name.toUpperCase()}_`;
    for (const name of Object.keys(plugin.settings)) {
      assert.ok(name.startsWith(prefix), `${plugin.name} declares only ${prefix}* settings, not ${name}`);
      assert.ok(variables.includes(name), `${name} is in the config table`);
    }
    // The channel selectors are shared even when a plug-in is named like its channel (VERITY_WHATSAPP_PROVIDER=whatsapp).
    const selectors: readonly string[] = SELECTORS.map(({ variable }) => variable);
    assert.deepEqual(shared.filter((name) => name.startsWith(prefix) && !selectors.includes(name)), [], `the shared table has no ${prefix}* setting`);
  }
});

test('a plug-in\'s required settings are refused missing exactly when it is selected', () => {
  for (const plugin of PROVIDER_PLUGINS) {
    const required = Object.entries(plugin.settings).filter(([, row]) => row.required && row.required.whenAlsoGiven === undefined).map(([name]) => name);
    const { variable } = SELECTORS.find(({ serves }) => serves(plugin)) ?? assert.fail(`${plugin.name} serves no channel`);
    const missing = problems({ [variable]: plugin.name }).map((p) => p.split(':')[0]);
    assert.deepEqual(missing, required, plugin.name);
    const others = problems({ [variable]: 'none' });
    assert.deepEqual(others, [], `${plugin.name} not selected`);
  }
});

test('plug-in names are unique', () => {
  const names = PROVIDER_PLUGINS.map((plugin) => plugin.name);
  assert.equal(new Set(names).size, names.length);
});
