import type { Page } from 'playwright-core';
import { ADMIN, type RunningApi } from '../support/server';
import { Client, heartbeat, newCatalog, newTerminal } from '../integration/support/client';
import { describeBrowser, screenshot, signIn, useDashboard } from './support/browser';

describeBrowser('dashboard: live health of a terminal', () => {
  const ui = useDashboard();
  let api: RunningApi;
  let admin: Client;
  let page: Page;

  beforeEach(() => {
    ({ api, admin, page } = ui);
  });

  it('should issue a credential in the UI, and show the health, its reasons and the timeline of what the terminal reports', async () => {
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password);
    await page.goto(`${api.baseUrl}/terminals/${terminal.id}`);
    await page.waitForSelector('[data-test=health-badge]:has-text("Never seen")');

    await page.click('[data-test=tab-health]');
    await page.waitForSelector('[data-test=credential-none]');
    await page.click('[data-test=credential-issue]');
    const token = (await page.textContent('[data-test=token-value]'))!.trim();
    expect(token).toMatch(/^fdt_/);
    await page.waitForSelector('[data-test=credential-active]');

    const device = new Client(api, token);
    expect((await device.post('/api/v1/heartbeats', heartbeat(terminal.id, 1))).status).toBe(200);
    expect((await device.post('/api/v1/heartbeats', heartbeat(terminal.id, 2, { batteryPct: 6, printer: 'paper_out' }))).status).toBe(200);

    await page.reload();
    await page.waitForSelector('[data-test=health-badge]:has-text("Degraded")');
    expect(await page.textContent('[data-test=health-reasons]')).toContain('Low battery');
    expect(await page.textContent('[data-test=health-reasons]')).toContain('Paper out');
    expect(await page.textContent('[data-test=health-battery]')).toContain('6 %');
    await page.click('[data-test=tab-health]');
    await page.waitForFunction(() => document.querySelectorAll('[data-test=status-change]').length === 2);
    await screenshot(page, 'terminal-health-en');
  });

  it('should show health in Chinese, and a terminal that is not deployed as not monitored', async () => {
    const catalog = await newCatalog(admin);
    const spare = await newTerminal(admin, catalog, { status: 'spare' });
    const token = (await admin.post(`/api/v1/terminals/${spare.id}/credentials`)).body.token as string;
    await new Client(api, token).post('/api/v1/heartbeats', heartbeat(spare.id, 1));
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password, 'zh-CN');
    await page.goto(`${api.baseUrl}/terminals/${spare.id}`);
    await page.waitForSelector('[data-test=health-badge]:has-text("在线")');
    expect(await page.textContent('[data-test=health-not-monitored]')).toContain('未部署');
    await screenshot(page, 'terminal-health-zh-CN');
  });

  it("should set a model's thresholds on the thresholds page and judge its terminals by them", async () => {
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password);
    await page.goto(`${api.baseUrl}/health-policies`);
    const row = `[data-test=policy-row-${catalog.modelId}]`;
    await page.fill(`${row} [data-test=policy-batteryLowPct]`, '50');
    await page.click(`[data-test=policy-save-${catalog.modelId}]`);
    await page.waitForSelector('[data-test=policy-saved]');
    await screenshot(page, 'health-policies-en');
    const token = (await admin.post(`/api/v1/terminals/${terminal.id}/credentials`)).body.token as string;
    await new Client(api, token).post('/api/v1/heartbeats', heartbeat(terminal.id, 1, { batteryPct: 40 }));
    expect((await admin.get(`/api/v1/terminals/${terminal.id}/health`)).body.reasons).toEqual(['low_battery']);
    await page.fill(`${row} [data-test=policy-offlineAfterSeconds]`, '5');
    await page.click(`[data-test=policy-save-${catalog.modelId}]`);
    await page.waitForSelector('[data-test=error]');
  });

  it('should issue, rotate and revoke a gateway credential', async () => {
    const catalog = await newCatalog(admin);
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password);
    await page.goto(`${api.baseUrl}/gateways`);
    await page.fill('[data-test=gateway-name]', 'Branch concentrator');
    await page.selectOption('[data-test=gateway-region]', String(catalog.regionId));
    await page.click('[data-test=gateway-create]');
    const token = (await page.textContent('[data-test=token-value]'))!.trim();
    expect(token).toMatch(/^fgw_/);
    await page.waitForSelector('[data-test=gateway-row]:has-text("Branch concentrator")');
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    expect((await new Client(api, token).post('/api/v1/heartbeats/batch', { heartbeats: [heartbeat(terminal.id, 1)] })).status).toBe(200);
  });
});
