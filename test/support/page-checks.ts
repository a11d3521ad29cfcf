import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { ScreenshotFolder } from './browser.ts';

/*
 * The checks every page of a journey passes (issue 17): axe-core finds no serious or critical
 * accessibility violation, and the page fits a 375-px phone without sideways scrolling; and the
 * screenshots a reviewer looks at, at 1280 px and 375 px wide.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/**
 * axe-core's serious and critical violations on the page as it is now, one line each. axe is
 * evaluated through the DevTools protocol, so the page's strict CSP stays on (a script tag would be refused).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  }) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Fails with axe's words when the page has a serious or critical violation. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const found = await seriousViolations(page);
  assert.deepEqual(found, [], `${label}: axe-core found serious violations`);
}

export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 375, height: 812 };

/** How far the page is wider than its viewport (0 when nothing scrolls sideways). */
export const overflowX = (page: Page): Promise<number> => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * The page at 1280 px and at 375 px: a full-page screenshot of each (`<name>-1280.png`,
 * `<name>-375.png`), axe-clean at both, no sideways scroll at 375 px. The viewport is left as it was.
 */
export async function checkAndShoot(page: Page, folder: ScreenshotFolder, name: string): Promise<void> {
  const before = page.viewportSize();
  try {
    for (const size of [WIDE, NARROW]) {
      await page.setViewportSize(size);
      await folder.shot(page, `${name}-${size.width}`);
      await assertAccessible(page, `${name} at ${size.width} px`);
      assert.ok((await overflowX(page)) <= 0, `${name} at ${size.width} px scrolls sideways by ${await overflowX(page)} px`);
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
}
