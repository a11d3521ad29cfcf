import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

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
