import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { watchPage, type WatchOptions } from './browser.ts';
import type { TestVerity } from './start-verity.ts';

/** A desktop page of the admin console, watched for problems, with every POST it sends recorded (their real Origin is asserted). */
export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  problems: string[];
  posts: Request[];
}

export async function openConsolePage(browser: Browser, watch: WatchOptions = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  watchPage(page, problems, watch);
  const posts: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request);
  });
  return { context, page, problems, posts };
}

/** Opens `path` of the console, signs in through the real form it lands on, and waits to be back at `path`. */
export async function signInThroughForm(page: Page, v: TestVerity, path: string): Promise<void> {
  await page.goto(`${v.url}${path}`);
  await page.getByLabel('Account SID').fill(v.accountSid);
  await page.getByLabel('Auth Token').fill(v.authToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${v.url}${path}`);
}
