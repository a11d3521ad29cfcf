import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

/** The browser tests drive the system Chromium (no Playwright download). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless run: no GPU, no QUIC, no first-run, update or sync traffic. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A `describe` skip option: why the browser tests cannot run here, or false when Chromium is installed. */
export const chromiumMissing: string | false = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (apt-get install chromium)`;

/** Headless Chromium with the shared flags, then `extraArgs` (e.g. a fake microphone). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  // Imported only when a suite runs, as the suites did: a skipped suite never loads Playwright.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extraArgs] });
}

export interface ScreenshotFolder {
  dir: string;
  /** A full-page screenshot saved as `<dir>/<file>.png`. */
  shot: (page: Page, file: string) => Promise<Buffer>;
}

/**
 * test-results/screenshots/`name`, created, and with a `label` announced once as "`label` screenshots:
 * <dir>" so a reader knows where to look. Call it in the suite's body: a skipped suite's body never runs.
 */
export function screenshotFolder(name: string, label?: string): ScreenshotFolder {
  const dir = resolve('test-results/screenshots', name);
  mkdirSync(dir, { recursive: true });
  if (label) console.log(`${label} screenshots: ${dir}`);
  return { dir, shot: (page, file) => page.screenshot({ path: join(dir, `${file}.png`), fullPage: true }) };
}

export interface WatchOptions {
  /** Prefixes each problem, to tell pages apart (e.g. "bank", "phone"). */
  label?: string;
  /**
   * Skip the console's "Failed to load resource" errors: suites that expect an error status on
   * purpose judge failed loads by URL instead (`failedResponses`), or not at all.
   */
  ignoreFailedResourceLoads?: boolean;
  /**
   * Record HTTP responses >= 400 (a missing favicon aside): 'all', or 'subresources' for suites that
   * open an error page on purpose (a replayed result is a 403 document).
   */
  failedResponses?: 'all' | 'subresources';
}

/** Pushes to `problems` what would go unnoticed in a headless page: script errors, console errors (CSP violations are reported there), and with options, failed responses. */
export function watchPage(page: Page, problems: string[], options: WatchOptions = {}): void {
  const prefix = options.label ? `${options.label} ` : '';
  page.on('pageerror', (error) => problems.push(`${prefix}pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !(options.ignoreFailedResourceLoads && message.text().startsWith('Failed to load resource'))) problems.push(`${prefix}console: ${message.text()}`);
  });
  const { failedResponses } = options;
  if (!failedResponses) return;
  page.on('response', (response) => {
    if (response.status() >= 400 && (failedResponses === 'all' || response.request().resourceType() !== 'document') && !response.url().endsWith('/favicon.ico')) problems.push(`${prefix}${response.status()} ${response.url()}`);
  });
}

export interface ReturnApp {
  /** `http://localhost:<port>/back`: another origin than Verity's 127.0.0.1. */
  url: string;
  close(): Promise<void>;
}

/** The page every request to the return app answers by default (`head` e.g. an empty favicon link). */
export const backInTheApp = (head = ''): RequestListener => (_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>App</title>${head}<h1>Back in the app</h1>`);
};

/** The application's return URL for the hand-off suites: a page of its own, on another origin. */
export async function startReturnApp(listener: RequestListener = backInTheApp()): Promise<ReturnApp> {
  const app = createServer(listener);
  await new Promise<void>((done) => app.listen(0, '127.0.0.1', done));
  return {
    url: `http://localhost:${(app.address() as AddressInfo).port}/back`,
    close: () => new Promise((done) => app.close(() => done())),
  };
}

/**
 * A form error shown the accessible way: rendered in the viewport right by its field, announced
 * (`error` is a role=alert locator), tied to the field (aria-describedby, aria-invalid), and the
 * field, `#fieldId`, has the focus.
 */
export async function assertErrorAtField(page: Page, error: Locator, input: Locator, fieldId: string): Promise<void> {
  const box = await error.boundingBox();
  assert.ok(box, 'the error is rendered');
  const viewport = page.viewportSize() as { height: number };
  assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `the error is in the viewport (top ${box.y}, bottom ${box.y + box.height} of ${viewport.height})`);
  const field = await input.boundingBox();
  assert.ok(field && Math.abs(field.y - (box.y + box.height)) < 60, 'the error sits right by the field');
  const errorId = await error.getAttribute('id');
  assert.ok(errorId, 'the error has an id');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.ok(((await input.getAttribute('aria-describedby')) ?? '').split(' ').includes(errorId), 'the field is described by its error');
  assert.equal(await page.evaluate(() => document.activeElement?.id), fieldId);
}
