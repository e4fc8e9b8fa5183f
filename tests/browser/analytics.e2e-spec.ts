import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import type { ModelResponse } from '@fleet/shared';
import { ADMIN, type RunningApi } from '../support/server';
import type { Client } from '../integration/support/client';
import { ARTIFACTS, describeBrowser, screenshot, signIn, useDashboard } from './support/browser';

/** Whether a chart's canvas has anything drawn on it (a blank canvas is all transparent). */
function drawn(page: Page, chart: string): Promise<boolean> {
  return page.$eval(`[data-test=${chart}] canvas`, (canvas) => {
    const element = canvas as HTMLCanvasElement;
    if (element.width === 0 || element.height === 0) return false;
    const { data } = element.getContext('2d')!.getImageData(0, 0, element.width, element.height);
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
    return false;
  });
}

describeBrowser('dashboard: reliability analytics', () => {
  // The demo fleet: years of lifecycle history and tickets, so every figure has data behind it.
  const ui = useDashboard({ DEMO: 'on', DEMO_HEARTBEATS_PER_SECOND: '0' });
  let api: RunningApi;
  let admin: Client;
  let page: Page;

  beforeEach(() => {
    ({ api, admin, page } = ui);
  });

  it('should compare three models side by side with their charts, export them as CSV, lay them out for print, and say it in Chinese', async () => {
    // The three models with the most terminals, as a procurement officer would start.
    const models = ((await admin.get<ModelResponse[]>('/api/v1/models')).body as ModelResponse[]).sort((a, b) => b.terminalCount - a.terminalCount).slice(0, 3);
    expect(models).toHaveLength(3);
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password, 'en', '/analytics/models');
    await page.waitForSelector('[data-test=pick-more]');

    for (const model of models) await page.click(`[data-test=compare-model-${model.id}]`);
    await page.waitForURL((url) => url.searchParams.get('models') === models.map((model) => model.id).join(','));
    await page.waitForSelector('[data-test=compare-table]');
    const names = models.map((model) => model.name).sort();
    expect((await page.locator('[data-test=compare-table] thead th').allTextContents()).sort()).toEqual(['', ...names]);
    expect(await page.textContent('[data-test=analytics-scope]')).toMatch(/ – .*data as of/);

    // Every figure says what it is on hover, and where each model stands: ranked ones by number, small samples flagged.
    expect(await page.getAttribute('[data-test=figure-rate] th .analytics-term', 'title')).toContain('terminal-years');
    expect(await page.locator('[data-test=figure-rate] td').count()).toBe(3);
    expect(await page.locator('[data-test=compare-summary] li').count()).toBe(3);
    const ranks = await page.locator('[data-test=compare-ranking] li').evaluateAll((items) => items.map((item) => item.getAttribute('data-rank')));
    expect(ranks).toHaveLength(3);
    expect(ranks.filter((rank) => rank !== 'none').map(Number)).toEqual([...ranks.filter((rank) => rank !== 'none').map(Number)].sort((a, b) => a - b));

    // The charts: rates with their intervals, survival curves with their bands, the cost of ownership by component.
    for (const chart of ['rate-chart', 'survival-chart', 'tco-chart']) {
      await page.waitForSelector(`[data-test=${chart}] canvas`);
      await page.waitForFunction((name) => {
        const canvas = document.querySelector(`[data-test=${name}] canvas`) as HTMLCanvasElement | null;
        return !!canvas && canvas.width > 0 && canvas.height > 0;
      }, chart);
      expect([chart, await drawn(page, chart)]).toEqual([chart, true]);
    }
    await screenshot(page, 'analytics-compare-en');

    // The CSV has the same models, one row each, under a header row.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-csv]')]);
    expect(download.suggestedFilename()).toBe('model-comparison.csv');
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = parse(csv) as string[][];
    expect(header).toEqual(expect.arrayContaining(['from', 'to', 'model', 'units', 'ratePer100Years', 'rateLower95', 'rateUpper95', 'rank', 'standing']));
    expect(rows).toHaveLength(3);
    const column = header!.indexOf('model');
    expect(rows.map((row) => row[column]).sort()).toEqual(names);

    // For print: no navigation or filters, the period and the definitions kept; saved as PDF as the browser's print would.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-test=analytics-filters]')).toBe(false);
    expect(await page.isVisible('[data-test=model-picker]')).toBe(false);
    expect(await page.isVisible('.print-only')).toBe(true);
    expect(await page.isVisible('[data-test=compare-table]')).toBe(true);
    // The browser announces printing: the definitions open, so the report explains every figure.
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await page.isVisible('[data-test=analytics-how] dd')).toBe(true);
    await screenshot(page, 'analytics-compare-print');
    await page.pdf({ path: join(ARTIFACTS, 'analytics-compare.pdf'), format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });

    // Once in Chinese: the same comparison, its words and numbers in zh-CN.
    await page.click('[data-test=language]');
    await page.waitForSelector('h1:has-text("型号对比")');
    expect(await page.textContent('[data-test=analytics-scope]')).toContain('数据截至');
    expect(await page.textContent('[data-test=figure-rate] th')).toContain('故障率');
    expect(await drawn(page, 'rate-chart')).toBe(true);
    await screenshot(page, 'analytics-compare-zh-CN');
  });

  it('should show failure rates with their intervals, the survival curves and the terminals behind a figure', async () => {
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password, 'en', '/analytics');
    await page.waitForSelector('[data-test=rate-row]');
    expect(await page.locator('[data-test=rate-row]').count()).toBeGreaterThan(1);
    expect(await page.locator('[data-test=rate-row] [data-test=standing]').count()).toBe(await page.locator('[data-test=rate-row]').count());
    await page.waitForSelector('[data-test=survival-chart] canvas');
    expect(await drawn(page, 'rate-chart')).toBe(true);
    expect(await page.locator('[data-test=hazard-trends] li').count()).toBeGreaterThan(0);
    await screenshot(page, 'analytics-reliability-en');

    // Grouped by supplier, a supplier's units open the terminal list of that supplier's terminals in service.
    await page.selectOption('[data-test=group-by]', 'supplier');
    await page.waitForURL((url) => url.searchParams.get('groupBy') === 'supplier');
    await page.waitForSelector('[data-test=rate-row] a');
    await page.click('[data-test=rate-row] a');
    await page.waitForURL((url) => url.pathname === '/terminals' && url.searchParams.get('status') === 'deployed' && /^\d+$/.test(url.searchParams.get('supplierId') ?? ''));
    await page.waitForSelector('[data-test=terminal-row]');
  });
});
