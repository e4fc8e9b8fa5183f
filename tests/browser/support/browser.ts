/**
 * Headless Chromium for the dashboard tests. When /usr/bin/chromium is
 * missing the suites are skipped, and said so loudly, never silently passed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../../support/server';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ARTIFACTS = join(ROOT, 'test-artifacts');

if (!hasChromium) {
  process.stderr.write(`\n!!! ${CHROMIUM} is missing: the browser tests are SKIPPED (apt-get install -y chromium) !!!\n\n`);
}

export const describeBrowser = hasChromium ? describe : describe.skip;

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Signs in and lands on `next` (the terminal list unless told otherwise). */
export async function signIn(page: Page, baseUrl: string, username: string, password: string, locale: 'en' | 'zh-CN' = 'en', next = '/terminals'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.evaluate((value) => localStorage.setItem('fleet.locale', value), locale);
  await page.reload();
  await page.fill('[data-test=login-username]', username);
  await page.fill('[data-test=login-password]', password);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=sign-out]');
  await page.waitForURL((url) => url.pathname === next);
}
