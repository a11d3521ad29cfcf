import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './demo-harness.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm start` = `verity serve --dev`: Verity and Demo Bank in one process, set up on a fresh data directory. */
describe('verity serve --dev starts Demo Bank', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-dev-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  function env(verityPort: number, demoPort: number): NodeJS.ProcessEnv {
    const clean: NodeJS.ProcessEnv = {};
    for (const [k, val] of Object.entries(process.env)) if (!k.startsWith('VERITY_') && k !== 'NODE_ENV' && !k.startsWith('NODE_TEST')) clean[k] = val;
    return { ...clean, VERITY_DATA_DIR: dataDir, VERITY_PORT: String(verityPort), VERITY_DEMO_PORT: String(demoPort), VERITY_LOG_LEVEL: 'warn' };
  }

  /** Starts the server and resolves with its banner once the "Health" line is printed. */
  function start(verityPort: number, demoPort: number): Promise<{ child: ChildProcess; banner: string }> {
    const child = spawn(process.execPath, ['bin/verity.js', 'serve', '--dev'], { cwd: ROOT, env: env(verityPort, demoPort), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`no banner in 30 s:\n${out}`));
      }, 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/Health /.test(out)) {
          clearTimeout(timer);
          done({ child, banner: out });
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`exited ${code}:\n${out}`));
      });
    });
  }

  const stop = (child: ChildProcess) =>
    new Promise<void>((done) => {
      child.removeAllListeners('exit');
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });

  it('prints the three URLs, serves the demo, and reuses its set-up after a restart', async () => {
    const [verityPort, demoPort] = [await freePort(), await freePort()];
    const first = await start(verityPort, demoPort);
    try {
      assert.match(first.banner, new RegExp(`Verity is running at http://localhost:${verityPort}`));
      assert.match(first.banner, new RegExp(`Demo site +http://127\\.0\\.0\\.1:${demoPort} `));
      assert.match(first.banner, new RegExp(`Virtual phone http://localhost:${verityPort}/phone`));
      assert.match(first.banner, /Voiceprint +on +\(VERITY_VOICEPRINT=off turns it off; off by default in production\)/, 'npm start offers voiceprints (the demo\'s "Use your voice")');
      const home = await fetch(`http://127.0.0.1:${demoPort}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /Demo Bank/);
    } finally {
      await stop(first.child);
    }
    const saved = readFileSync(join(dataDir, 'demo-bank.json'), 'utf8');
    assert.equal(statSync(join(dataDir, 'demo-bank.json')).mode & 0o777, 0o600);
    const second = await start(verityPort, demoPort);
    await stop(second.child);
    assert.equal(readFileSync(join(dataDir, 'demo-bank.json'), 'utf8'), saved, 'the same service, client and cookie secret');
  });

  it('keeps Verity running with a clear message when the demo\'s port is taken', async () => {
    const blocker = createServer();
    const demoPort = await freePort();
    await new Promise<void>((done) => blocker.listen(demoPort, '127.0.0.1', done));
    try {
      const { child, banner } = await start(await freePort(), demoPort);
      await stop(child);
      assert.match(banner, new RegExp(`Demo site +not started: port ${demoPort} is already in use\\. Set VERITY_DEMO_PORT to a free port, or pass --no-demo\\.`));
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });
});
