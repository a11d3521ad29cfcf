import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotFolder, startReturnApp, watchPage, type ReturnApp } from './browser.ts';
import { startVerity, type TestVerity } from './start-verity.ts';

export interface HandoffInBrowser {
  v: TestVerity;
  /** One phone-sized page, watched for problems. */
  page: Page;
  /** The application's return URL, on another origin. */
  returnUrl: string;
  /** Script errors, console errors (CSP violations) and failed sub-resources: the suite expects none. */
  problems: string[];
  /** A full-page screenshot of `page`. */
  shot(name: string): Promise<Buffer>;
}

/**
 * The hosted hand-off in Chromium as one phone-sized page sees it: Verity on the injected clock and
 * the application's return page. Failed loads are judged by URL: a replayed page is a 403 document on
 * purpose, and there is no favicon. Registers the suite's before/after, so call it in the `describe`
 * body; the fields are set once `before` has run (read them inside the tests).
 */
export function handoffInBrowser(screenshotsName: string, label: string): HandoffInBrowser {
  const screenshots = screenshotFolder(screenshotsName, label);
  let v: TestVerity | undefined;
  let browser: Browser | undefined;
  let app: ReturnApp | undefined;
  const suite = { problems: [] as string[], shot: (name: string) => screenshots.shot(suite.page, name) } as HandoffInBrowser;
  before(async () => {
    v = suite.v = await startVerity({ manualClock: true });
    app = await startReturnApp();
    suite.returnUrl = app.url;
    browser = await launchChromium();
    suite.page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    watchPage(suite.page, suite.problems, { ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    await app?.close();
  });
  return suite;
}

/**
 * Opens the chooser's "Other ways to sign in" (issue 17: one primary method, the others collapsed in
 * a <details>) if the page has it closed, so a test can use any method's form. Harmless otherwise.
 */
export async function openOtherWays(page: Page): Promise<void> {
  const details = page.locator('details.other-ways');
  if ((await details.count()) > 0 && !(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}
