import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The first fenced block of `language` after `heading` in the README. */
function block(heading: string, language: string): string {
  const section = readme.indexOf(heading);
  assert.ok(section >= 0, `README has no "${heading}"`);
  const open = readme.indexOf('```' + language + '\n', section);
  assert.ok(open >= 0, `no ${language} block after "${heading}"`);
  const start = open + language.length + 4;
  return readme.slice(start, readme.indexOf('\n```', start));
}

/**
 * The README's examples run as pasted, with the three variables `npm start` tells the reader to
 * export (a new user's first contact: an example that needs unnamed variables or claims a result it
 * cannot give is a bug).
 */
describe('README examples, run as a reader pastes them', () => {
  let v: TestVerity;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    v = await startVerity();
    env = { ...process.env, VERITY_URL: v.url, VERITY_ACCOUNT_SID: v.accountSid, VERITY_AUTH_TOKEN: v.authToken };
  });
  after(async () => v.close());

  it('the curl tour approves the code it read from the simulated inbox', async () => {
    const script = block('## Five-minute tour (curl)', 'sh');
    assert.match(script, /^export VERITY_URL=\S+ VERITY_ACCOUNT_SID=AC… VERITY_AUTH_TOKEN=…$/m, 'the tour names the variables npm start prints');
    // The reader's export line holds placeholders: the values come from the environment instead.
    const runnable = script.replace(/^export VERITY_URL=.*$/m, '');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', runnable], { env, timeout: 30_000 });
    // curl prints each body without a newline: the check's answer is the last object starting with a sid.
    const last = JSON.parse(stdout.slice(stdout.lastIndexOf('{"sid"'))) as { status?: string; valid?: boolean };
    assert.equal(last.status, 'approved', stdout);
    assert.equal(last.valid, true);
  });

  it('the twilio client example prints approved', async () => {
    const code = block('## With the official `twilio` client', 'js');
    // Inside the checkout, so `import twilio` resolves to this project's node_modules.
    const dir = join(root, '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `readme-twilio-${process.pid}.mjs`);
    writeFileSync(file, code);
    const { stdout } = await run(process.execPath, [file], { env, timeout: 30_000 });
    assert.equal(stdout.trim(), 'approved');
  });

  it('the banner of npm start prints the export line the examples need', () => {
    const main = readFileSync(join(root, 'src/cli/main.ts'), 'utf8');
    assert.match(main, /export VERITY_URL=\$\{base\} VERITY_ACCOUNT_SID=\$\{account\.account_sid\} VERITY_AUTH_TOKEN=\$\{account\.auth_token\}/);
  });
});
