import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../config/config.ts';
import { systemClock } from '../../../crypto/clock.ts';
import { loadVerityConfig } from '../../../providers/registry.ts';
import { createPushPlatforms } from './create-push-platforms.ts';
import { parseServiceAccount } from './fcm-access-token.ts';

const dir = mkdtempSync(join(tmpdir(), 'verity-push-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const base = { NODE_ENV: 'test', VERITY_DATA_DIR: dir };
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('push platform settings', () => {
  it('turns neither platform on by default', () => {
    const config = loadVerityConfig(base);
    assert.deepEqual(config.push, { apns: undefined, fcm: undefined });
    assert.deepEqual(createPushPlatforms(config.push, systemClock), {});
  });

  it('needs all four APNs settings once one is given, and points at Apple\'s sandbox on request', () => {
    const problems = problemsOf(() => loadVerityConfig({ ...base, VERITY_APNS_KEY_ID: 'ABC123DEFG' }));
    assert.deepEqual(problems.map((p) => p.split(':')[0]), ['VERITY_APNS_KEY_FILE', 'VERITY_APNS_TEAM_ID', 'VERITY_APNS_TOPIC']);
    const config = loadVerityConfig({ ...base, VERITY_APNS_KEY_FILE: 'k.p8', VERITY_APNS_KEY_ID: 'ABC123DEFG', VERITY_APNS_TEAM_ID: 'DEF123GHIJ', VERITY_APNS_TOPIC: 'com.example.app', VERITY_APNS_ENVIRONMENT: 'sandbox' });
    assert.equal(config.push.apns?.origin, 'https://api.sandbox.push.apple.com:443');
  });

  it('refuses an FCM base URL or token URI without TLS', () => {
    const problems = problemsOf(() => loadVerityConfig({ ...base, VERITY_FCM_SERVICE_ACCOUNT_FILE: 'sa.json', VERITY_FCM_BASE_URL: 'http://127.0.0.1:9', VERITY_FCM_TOKEN_URI: 'http://127.0.0.1:9/token' }));
    assert.deepEqual(problems.map((p) => p.split(':')[0]), ['VERITY_FCM_BASE_URL', 'VERITY_FCM_TOKEN_URI']);
  });

  it('reports every unreadable or wrong key file at once, without their contents', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    writeFileSync(join(dir, 'rsa.p8'), rsa);
    writeFileSync(join(dir, 'sa.json'), JSON.stringify({ type: 'service_account', project_id: 'p', client_email: 'e@p.iam.gserviceaccount.com', private_key: rsa, token_uri: 'http://oauth2.example/token' }));
    const config = loadVerityConfig({ ...base, VERITY_APNS_KEY_FILE: join(dir, 'rsa.p8'), VERITY_APNS_KEY_ID: 'ABC123DEFG', VERITY_APNS_TEAM_ID: 'DEF123GHIJ', VERITY_APNS_TOPIC: 'com.example.app', VERITY_APNS_CA_FILE: join(dir, 'missing.pem'), VERITY_FCM_SERVICE_ACCOUNT_FILE: join(dir, 'sa.json') });
    const problems = problemsOf(() => createPushPlatforms(config.push, systemClock));
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] ?? '', /^VERITY_APNS_KEY_FILE: not a P-256 private key/);
    assert.match(problems[1] ?? '', /^VERITY_APNS_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/);
    assert.match(problems[2] ?? '', /^VERITY_FCM_SERVICE_ACCOUNT_FILE: "token_uri" must be an https:\/\/ URL/);
    assert.ok(!problems.join('').includes('PRIVATE KEY'), 'no key material in the problems');
  });

  it('parses a service-account key file and says what is missing from a wrong one', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const account = parseServiceAccount(JSON.stringify({ type: 'service_account', project_id: 'p', private_key_id: 'k1', client_email: 'e@p.iam.gserviceaccount.com', private_key: rsa, token_uri: 'https://oauth2.googleapis.com/token' }));
    assert.equal(account.projectId, 'p');
    assert.equal(account.privateKeyId, 'k1');
    assert.throws(() => parseServiceAccount('{"type":"authorized_user"}'), /"type" is not "service_account"/);
    assert.throws(() => parseServiceAccount(JSON.stringify({ type: 'service_account', project_id: 'p', client_email: 'e', private_key: 'nope', token_uri: 'https://x' })), /"private_key" is not a PEM private key/);
    assert.throws(() => parseServiceAccount('not json'), /not JSON/);
  });
});
