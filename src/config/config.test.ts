import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROVIDER_OPTIONS } from '../providers/registry.ts';
import { ConfigError, loadConfig as loadWith } from './config.ts';
import { withDevelopmentVoiceprint } from './voiceprint-config.ts';
import { configProblems } from '../../test/support/config-problems.ts';

/** The configuration with every registered provider, as the entry points load it. */
const loadConfig = (env: NodeJS.ProcessEnv) => loadWith(env, PROVIDER_OPTIONS);

describe('configuration', () => {
  it('has development defaults: port 4000, SQLite under ./data, the simulator everywhere', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, 'sqlite:./data/verity.db');
    assert.equal(config.publicUrl, 'http://127.0.0.1:4000');
    assert.deepEqual(config.providers, { sms: 'simulator', voice: 'simulator', email: 'simulator', whatsapp: 'simulator' });
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ VERITY_PORT: 'abc', VERITY_DATABASE_URL: 'mysql://x', VERITY_LOG_LEVEL: 'loud' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError, 'expected error instanceof ConfigError');
      assert.equal(error.problems.length, 3);
      assert.match(error.message, /VERITY_PORT/);
      assert.match(error.message, /VERITY_DATABASE_URL/);
      assert.match(error.message, /VERITY_LOG_LEVEL/);
    }
  });

  it('refuses development defaults in production', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production', VERITY_SMS_PROVIDER: 'simulator', VERITY_EMAIL_PROVIDER: 'console' }), (e: unknown) => {
      assert.ok(e instanceof ConfigError, 'expected e instanceof ConfigError');
      assert.equal(e.problems.length, 3); // master key, simulator, console
      return true;
    });
    const ok = loadConfig({ NODE_ENV: 'production', VERITY_MASTER_KEY: 'ab'.repeat(32) });
    assert.deepEqual(ok.providers, { sms: 'none', voice: 'none', email: 'none', whatsapp: 'none' });
  });

  it('checks provider settings at boot', () => {
    assert.throws(() => loadConfig({ VERITY_SMS_PROVIDER: 'twilio', VERITY_EMAIL_PROVIDER: 'smtp' }), (e: unknown) => e instanceof ConfigError && e.problems.length === 3);
    const twilio = loadConfig({ VERITY_SMS_PROVIDER: 'twilio', VERITY_TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), VERITY_TWILIO_AUTH_TOKEN: 'x'.repeat(32) });
    assert.equal(twilio.providers.sms, 'twilio');
  });

  it('reports the selected providers\' missing settings with the same words as always', () => {
    const problemsOf = configProblems;
    assert.deepEqual(problemsOf({ VERITY_SMS_PROVIDER: 'twilio', VERITY_VOICE_PROVIDER: 'bandwidth', VERITY_EMAIL_PROVIDER: 'smtp' }), [
      'VERITY_TWILIO_ACCOUNT_SID: required by the twilio provider',
      'VERITY_TWILIO_AUTH_TOKEN: required by the twilio provider',
      'VERITY_BANDWIDTH_ACCOUNT_ID: required by the bandwidth provider',
      'VERITY_BANDWIDTH_USERNAME: required by the bandwidth provider',
      'VERITY_BANDWIDTH_PASSWORD: required by the bandwidth provider',
      'VERITY_BANDWIDTH_APPLICATION_ID: required by the bandwidth provider',
      'VERITY_BANDWIDTH_CALLBACK_PASSWORD: required by the bandwidth provider',
      'VERITY_SMTP_URL: required by the smtp provider',
    ]);
    const twilio = { VERITY_TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), VERITY_TWILIO_AUTH_TOKEN: 'x'.repeat(32), VERITY_TWILIO_API_KEY_SID: 'SK' + 'b'.repeat(32) };
    const noWebhookToken = 'VERITY_TWILIO_WEBHOOK_AUTH_TOKEN: required by twilio with an API key (Twilio signs its webhooks, voice and status callbacks, with the account auth token)';
    assert.deepEqual(problemsOf({ ...twilio, VERITY_VOICE_PROVIDER: 'twilio' }), [noWebhookToken]);
    assert.deepEqual(problemsOf({ ...twilio, VERITY_SMS_PROVIDER: 'twilio' }), [noWebhookToken], 'SMS too: its status callbacks are signed');
    assert.deepEqual(problemsOf({ VERITY_SMS_PROVIDER: 'smtp' })[0]?.split(':')[0], 'VERITY_SMS_PROVIDER', 'smtp cannot send SMS');
  });

  it('keeps voiceprints off unless turned on: on only for `serve --dev` and the test suite', () => {
    const production = { NODE_ENV: 'production', VERITY_MASTER_KEY: 'ab'.repeat(32) };
    const voiceprint = (env: NodeJS.ProcessEnv) => {
      const { enabled, decidedBy } = loadConfig(env).voiceprint;
      return { enabled, decidedBy };
    };
    assert.deepEqual(voiceprint(production), { enabled: false, decidedBy: 'default' });
    assert.deepEqual(voiceprint({}), { enabled: false, decidedBy: 'default' }, 'plain `serve` in development: off');
    assert.deepEqual(voiceprint({ NODE_ENV: 'test' }), { enabled: true, decidedBy: 'default' });
    assert.deepEqual(voiceprint({ ...production, VERITY_VOICEPRINT: 'on' }), { enabled: true, decidedBy: 'setting' });
    assert.deepEqual(voiceprint({ NODE_ENV: 'test', VERITY_VOICEPRINT: 'off' }), { enabled: false, decidedBy: 'setting' });
    // `serve --dev` (npm start): on, unless the operator said off; never in production.
    assert.equal(withDevelopmentVoiceprint(loadConfig({})).voiceprint.enabled, true);
    assert.equal(withDevelopmentVoiceprint(loadConfig({ VERITY_VOICEPRINT: 'off' })).voiceprint.enabled, false);
    assert.equal(withDevelopmentVoiceprint(loadConfig(production)).voiceprint.enabled, false);
  });

  it('refuses a VERITY_VOICEPRINT other than on or off, naming it', () => {
    assert.deepEqual(configProblems({ VERITY_VOICEPRINT: 'yes' }), ['VERITY_VOICEPRINT: must be `on` or `off`']);
    assert.deepEqual(configProblems({ VERITY_VOICEPRINT: 'ON' }), ['VERITY_VOICEPRINT: must be `on` or `off`']);
  });

  it('defaults flash calls to the simulator\'s range only when it places the calls', () => {
    assert.deepEqual(loadConfig({}).voice.flashCall, { prefix: '+1500555', codeLength: 4, ringSeconds: 6 });
    assert.equal(loadConfig({ VERITY_VOICE_PROVIDER: 'console' }).voice.flashCall, undefined);
  });
});
