import type { Page, Request } from 'playwright-core';
import { ADMIN, type RunningApi } from '../support/server';
import { heartbeat, newCatalog, newTerminal, terminalDevice, type Client } from '../integration/support/client';
import { describeBrowser, screenshot, signIn, useDashboard } from './support/browser';

const CHARTS = ['battery', 'signal', 'temperature', 'errors'];
const HOUR = 3_600_000;

/** The period a chart request asked for, in hours, and its resolution. */
function asked(request: Request): { resolution: string | null; hours: number } {
  const url = new URL(request.url());
  return { resolution: url.searchParams.get('resolution'), hours: (Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!)) / HOUR };
}

const isSeries = (terminalId: number, resolution?: string) => (request: Request) =>
  new URL(request.url()).pathname === `/api/v1/terminals/${terminalId}/heartbeats` && (resolution === undefined || asked(request).resolution === resolution);

describeBrowser('dashboard: terminal detail with live health and heartbeat charts', () => {
  const ui = useDashboard();
  let api: RunningApi;
  let admin: Client;
  let page: Page;

  beforeEach(() => {
    ({ api, admin, page } = ui);
  });

  /** A deployed terminal that has sent a few healthy heartbeats, one of them with an error code. */
  async function reportingTerminal(): Promise<{ id: number; device: Client }> {
    const terminal = await newTerminal(admin, await newCatalog(admin), { status: 'deployed' });
    const device = await terminalDevice(admin, terminal.id);
    for (let sequence = 1; sequence <= 3; sequence++) {
      const values = { batteryPct: 90 - sequence * 4, signalDbm: -68 - sequence * 3, temperatureC: 30 + sequence, errorCodes: sequence === 2 ? ['E101'] : [] };
      expect((await device.post('/api/v1/heartbeats', heartbeat(terminal.id, sequence, values))).status).toBe(200);
    }
    return { id: terminal.id, device };
  }

  async function openMetrics(id: number): Promise<void> {
    await page.goto(`${api.baseUrl}/terminals/${id}`);
    await page.waitForSelector('[data-test=health-card]');
    const series = page.waitForRequest(isSeries(id));
    await page.click('[data-test=tab-metrics]');
    expect(asked(await series)).toEqual({ resolution: 'raw', hours: 24 });
    for (const chart of CHARTS) await page.waitForSelector(`[data-test=chart-${chart}] canvas`);
  }

  it('should chart the heartbeats over the chosen period and show a degraded terminal as soon as it reports, without a reload', async () => {
    const { id, device } = await reportingTerminal();
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password);
    await openMetrics(id);
    await page.waitForSelector('[data-test=health-badge]:has-text("Online")');

    const week = page.waitForRequest(isSeries(id, 'hour'));
    await page.selectOption('[data-test=metrics-range]', '7d');
    expect(asked(await week)).toEqual({ resolution: 'hour', hours: 7 * 24 });
    await page.waitForSelector('[data-test=metrics-resolution]:has-text("One point per hour")');
    const year = page.waitForRequest(isSeries(id, 'day'));
    await page.selectOption('[data-test=metrics-range]', '1y');
    expect(asked(await year)).toEqual({ resolution: 'day', hours: 365 * 24 });
    const sixHours = page.waitForRequest(isSeries(id, 'raw'));
    await page.selectOption('[data-test=metrics-range]', '6h');
    expect(asked(await sixHours)).toEqual({ resolution: 'raw', hours: 6 });
    for (const chart of CHARTS) await page.waitForSelector(`[data-test=chart-${chart}] canvas`);

    // Set in this document only: it would be gone after a reload.
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    const refreshed = page.waitForResponse(async (response) => isSeries(id)(response.request()) && (await response.json()).points.length === 4);
    expect((await device.post('/api/v1/heartbeats', heartbeat(id, 4, { batteryPct: 5 }))).status).toBe(200);
    await page.waitForSelector('[data-test=health-badge]:has-text("Degraded")');
    await page.waitForSelector('[data-test=reason-low_battery]');
    expect(await page.textContent('[data-test=health-battery]')).toBe('5 %');
    await refreshed;
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await screenshot(page, 'terminal-detail-en');

    await page.click('[data-test=tab-health]');
    await page.waitForSelector('[data-test=status-change]:has-text("Degraded")');
  });

  it('should label the charts in Chinese', async () => {
    const { id } = await reportingTerminal();
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password, 'zh-CN');
    await openMetrics(id);
    await page.waitForSelector('[data-test=health-badge]:has-text("在线")');
    expect(await page.textContent('[data-test=tab-metrics]')).toBe('指标');
    expect(await page.textContent('[data-test=chart-battery] h2')).toBe('电量');
    expect(await page.textContent('[data-test=metrics-resolution]')).toBe('每个点为一次心跳');
    await screenshot(page, 'terminal-detail-zh-CN');
  });

  it('should say so when a period has no heartbeats', async () => {
    const terminal = await newTerminal(admin, await newCatalog(admin), { status: 'deployed' });
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password);
    await page.goto(`${api.baseUrl}/terminals/${terminal.id}`);
    await page.click('[data-test=tab-metrics]');
    await page.waitForSelector('[data-test=metrics-empty]:has-text("No heartbeats in this period")');
    expect(await page.$('[data-test=chart-battery]')).toBeNull();
  });
});
