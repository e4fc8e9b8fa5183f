/**
 * Headless Chromium for the dashboard tests. When /usr/bin/chromium is
 * missing the suites are skipped, and said so loudly, never silently passed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { login, type Client } from '../../integration/support/client';
import { ROOT, startApi, type RunningApi } from '../../support/server';

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

/** What a spec file drives: its own API (replaceable, e.g. after a crash), the admin over the API, and the page of the test. */
export interface Dashboard {
  api: RunningApi;
  admin: Client;
  page: Page;
}

/** Starts a fresh API (with `env` added to its environment) and Chromium for the spec file, and opens a 1366×768 page for each test. */
export function useDashboard(env: Record<string, string> = {}): Dashboard {
  const dashboard = {} as Dashboard;
  let browser: Browser | undefined;
  beforeAll(async () => {
    dashboard.api = await startApi(env);
    dashboard.admin = await login(dashboard.api);
    browser = await launch();
  });
  beforeEach(async () => {
    dashboard.page = await browser!.newPage({ viewport: { width: 1366, height: 768 } });
  });
  afterEach(() => dashboard.page?.close());
  afterAll(async () => {
    await browser?.close();
    await dashboard.api?.stop();
  });
  return dashboard;
}
