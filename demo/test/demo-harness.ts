import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVerity, type StartOptions, type TestVerity } from '../../test/support/start-verity.ts';
import { bootstrapDemo } from '../bootstrap.ts';
import type { DemoConfig } from '../config.ts';
import { startDemo, type RunningDemo } from '../server.ts';

/** A free TCP port on 127.0.0.1 (the demo's return URL must be registered before it listens). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

export interface DemoUnderTest {
  v: TestVerity;
  demo: RunningDemo;
  config: DemoConfig;
  dataDir: string;
  close(): Promise<void>;
}

/** A real Verity (test harness) and Demo Bank bootstrapped against it through the SDK, both on ephemeral ports. */
export async function startDemoUnderTest(options: StartOptions = {}): Promise<DemoUnderTest> {
  const v = await startVerity(options);
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-bank-test-'));
  const port = await freePort();
  const config = await bootstrapDemo({ verityUrl: v.url, accountSid: v.accountSid, authToken: v.authToken, dataDir, publicUrl: `http://localhost:${port}`, host: '127.0.0.1', port, virtualPhoneUrl: `${v.url}/phone` });
  // The hand-off's times follow Verity's clock, which a test may move (TOTP time steps).
  const demo = await startDemo(config, { now: () => v.ctx.clock.now() });
  return {
    v,
    demo,
    config,
    dataDir,
    close: async () => {
      await demo.close();
      await v.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
}

/**
 * A browser without script: a cookie jar per site, manual redirects, and the last page's CSRF token.
 * Verity's own redirects (a step → its session page, relative Locations) are followed at once, as a
 * browser does; a redirect to another site (Verity → the demo's return URL) is returned.
 */
export class Visitor {
  /** The demo's cookies. */
  readonly cookies = new Map<string, string>();
  /** Other sites' cookies (Verity's browser binding), by origin. */
  private readonly elsewhere = new Map<string, Map<string, string>>();
  csrf = '';

  constructor(private readonly base: string) {}

  async get(pathOrUrl: string): Promise<Answer> {
    return this.send('GET', pathOrUrl);
  }

  /** Posts a form; `_csrf` is the last page's token unless the form gives one (or `null` to send none). */
  async post(pathOrUrl: string, form: Record<string, string>, csrf: string | null = this.csrf): Promise<Answer> {
    return this.send('POST', pathOrUrl, new URLSearchParams({ ...form, ...(csrf !== null ? { _csrf: csrf } : {}) }).toString());
  }

  /** Follows redirects within the demo (GETs), stopping at an answer that is not a redirect or leaves the demo. */
  async follow(answer: Answer): Promise<Answer> {
    let current = answer;
    while (current.location && (current.location.startsWith('/') || current.location.startsWith(this.base))) current = await this.get(current.location);
    return current;
  }

  private async send(method: string, pathOrUrl: string, body?: string): Promise<Answer> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.base}${pathOrUrl}`;
    const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36' };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const own = url.startsWith(this.base);
    const origin = new URL(url).origin;
    const jar = own ? this.cookies : (this.elsewhere.get(origin) ?? this.elsewhere.set(origin, new Map()).get(origin)!);
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
    if (!own) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const index = pair.indexOf('=');
        if (index > 0) jar.set(pair.slice(0, index), pair.slice(index + 1));
      }
      const location = response.headers.get('location');
      if (response.status === 303 && location?.startsWith('/')) {
        await response.arrayBuffer();
        return this.send('GET', `${origin}${location}`);
      }
    }
    if (own) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const index = (pair ?? '').indexOf('=');
        const name = (pair ?? '').slice(0, index);
        const value = (pair ?? '').slice(index + 1);
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    const html = await response.text();
    const token = /name="_csrf" value="([^"]*)"/.exec(html);
    if (token && url.startsWith(this.base)) this.csrf = token[1] as string;
    return { status: response.status, html, location: response.headers.get('location'), headers: response.headers };
  }
}

export const hidden = (html: string, name: string): string => {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(match, `hidden field ${name} in ${html.slice(0, 2000)}`);
  return match[1] as string;
};

/** Polls `check` until it returns a value (up to `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
