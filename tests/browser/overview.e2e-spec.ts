import type { Page } from 'playwright-core';
import { ADMIN, startApi, type RunningApi } from '../support/server';
import { Client, createUser, heartbeat, newCatalog, newTerminal, terminalDevice, type Catalog } from '../integration/support/client';
import { describeBrowser, screenshot, signIn, useDashboard } from './support/browser';

/** The number shown on a count card, locale separators removed. */
async function shown(page: Page, state: string): Promise<number> {
  const text = (await page.textContent(`[data-test=count-${state}-value]`)) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

describeBrowser('dashboard: the live overview', () => {
  const ui = useDashboard();
  let api: RunningApi;
  let admin: Client;
  let page: Page;
  let catalog: Catalog;

  beforeEach(() => {
    ({ api, admin, page } = ui);
  });

  beforeAll(async () => {
    catalog = await newCatalog(ui.admin);
  });

  it('should move the counts and the feed within 2 s of heartbeats sent through the API, and drill down to the list', async () => {
    const terminals = [];
    for (let i = 0; i < 3; i++) terminals.push(await newTerminal(admin, catalog, { status: 'deployed' }));
    const devices = await Promise.all(terminals.map((t) => terminalDevice(admin, t.id)));
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password, 'en', '/');
    await page.waitForSelector('[data-test=count-unknown-value]:not(:has-text("…"))');
    const before = { online: await shown(page, 'online'), degraded: await shown(page, 'degraded'), unknown: await shown(page, 'unknown') };
    expect(before.unknown).toBeGreaterThanOrEqual(3);

    await devices[0]!.post('/api/v1/heartbeats', heartbeat(terminals[0]!.id, 1));
    await devices[1]!.post('/api/v1/heartbeats', heartbeat(terminals[1]!.id, 1, { batteryPct: 4 }));
    const sent = Date.now();
    await page.waitForFunction(
      ([online, degraded]) =>
        Number(document.querySelector('[data-test=count-online-value]')?.textContent?.replace(/[^\d]/g, '')) === online &&
        Number(document.querySelector('[data-test=count-degraded-value]')?.textContent?.replace(/[^\d]/g, '')) === degraded,
      [before.online + 1, before.degraded + 1],
      { timeout: 2_000 },
    );
    await page.waitForSelector(`[data-test=feed-item]:has-text("${terminals[1]!.assetNumber}")`, { timeout: Math.max(100, 2_000 - (Date.now() - sent)) });
    expect(await shown(page, 'unknown')).toBe(before.unknown - 2);
    expect(await page.textContent(`[data-test=feed-item]:has-text("${terminals[1]!.assetNumber}")`)).toContain('Low battery');
    expect(await page.textContent('[data-test=region-grid]')).toContain(catalog.regionCode);
    await screenshot(page, 'overview-en');

    await page.click('[data-test=count-degraded]');
    await page.waitForURL((url) => url.pathname === '/terminals' && url.searchParams.get('health') === 'degraded');
    await page.waitForSelector(`[data-test=terminal-row]:has-text("${terminals[1]!.assetNumber}")`);
    expect(await page.locator('[data-test=terminal-row]').count()).toBe(1);

    // A bar of the region chart opens the same list for its region.
    await page.goBack();
    const canvas = page.locator('[data-test=chart-regions] canvas');
    await page.waitForFunction(() => document.querySelectorAll('[data-test=region-grid] a').length > 0);
    const box = (await canvas.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL((url) => url.pathname === '/terminals' && url.searchParams.get('regionId') === String(catalog.branchId) && url.searchParams.get('health') === 'degraded');
  });

  it('should show the overview in Chinese, and say when it is reconnecting', async () => {
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password, 'zh-CN', '/');
    await page.waitForSelector('h1:has-text("设备总览")');
    await page.waitForSelector('[data-test=count-online-value]:not(:has-text("…"))');
    expect(await page.textContent('[data-test=online-day]')).toContain('近 24 小时在线率');
    await screenshot(page, 'overview-zh-CN');

    // The server goes away: the page says since when its figures are stale, and recovers when it is back.
    await api.crash();
    await page.waitForSelector('[data-test=realtime-stale]');
    expect(await page.textContent('[data-test=realtime-stale]')).toContain('正在重新连接');
    api = ui.api = await startApi({ PORT: String(api.port) }, { dataDir: api.dataDir, schema: api.schema });
    await page.waitForSelector('[data-test=realtime-stale]', { state: 'detached', timeout: 30_000 });
    await page.waitForSelector('[data-test=count-online-value]:not(:has-text("…"))');
  });

  it("should show a user limited to a region that region's figures only", async () => {
    const other = await newCatalog(admin);
    const theirs = await newTerminal(admin, other, { status: 'deployed' });
    await (await terminalDevice(admin, theirs.id)).post('/api/v1/heartbeats', heartbeat(theirs.id, 1));
    const user = await createUser(admin, 'fleet_manager', catalog.regionId);
    const me = (await user.get('/api/v1/auth/session')).body.user;
    const deployed = (await user.get('/api/v1/terminals?status=deployed')).body.total as number;
    await page.goto(`${api.baseUrl}/login`);
    await page.fill('[data-test=login-username]', me.username);
    await page.fill('[data-test=login-password]', 'password-for-tests');
    await page.click('[data-test=login-submit]');
    await page.waitForSelector('[data-test=count-online-value]:not(:has-text("…"))');
    const shownTotal = (await Promise.all(['online', 'degraded', 'offline', 'unknown'].map((state) => shown(page, state)))).reduce((a, b) => a + b, 0);
    expect(shownTotal).toBe(deployed);
    expect(await page.locator('[data-test=online-day]').count()).toBe(0);
    expect(await page.textContent('[data-test=region-grid]')).not.toContain(other.regionCode);
    expect(await page.locator('nav a:has-text("Audit log")').count()).toBe(0);
  });
});
