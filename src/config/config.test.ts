import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has development defaults: port 4000, SQLite under ./data, the simulator everywhere', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, 'sqlite:./data/verity.db');
    assert.equal(config.publicUrl, 'http://127.0.0.1:4000');
    assert.deepEqual(config.providers, { sms: 'simulator', voice: 'simulator', email: 'simulator' });
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
    assert.deepEqual(ok.providers, { sms: 'none', voice: 'none', email: 'none' });
  });

  it('checks provider settings at boot', () => {
    assert.throws(() => loadConfig({ VERITY_SMS_PROVIDER: 'twilio', VERITY_EMAIL_PROVIDER: 'smtp' }), (e: unknown) => e instanceof ConfigError && e.problems.length === 3);
    const twilio = loadConfig({ VERITY_SMS_PROVIDER: 'twilio', VERITY_TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), VERITY_TWILIO_AUTH_TOKEN: 'x'.repeat(32) });
    assert.equal(twilio.providers.sms, 'twilio');
  });
});
