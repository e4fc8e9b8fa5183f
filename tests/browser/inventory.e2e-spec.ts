import type { Browser, Page } from 'playwright-core';
import { ADMIN, startApi, type RunningApi } from '../support/server';
import { Client, login, newCatalog, newTerminal, type Catalog } from '../integration/support/client';
import { describeBrowser, launch, screenshot, signIn, useDashboard } from './support/browser';

describeBrowser('dashboard: terminal inventory', () => {
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
    await newTerminal(ui.admin, catalog, { serialNumber: 'BROWSER-DEPLOYED', status: 'deployed' });
    await newTerminal(ui.admin, catalog, { serialNumber: 'BROWSER-STOCK', status: 'in_stock' });
    await newTerminal(ui.admin, catalog, { serialNumber: 'OTHER-SPARE', status: 'spare' });
  });

  it('should filter the list, open a terminal, edit it and show the change in its history', async () => {
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password);
    await page.waitForFunction(() => document.querySelectorAll('[data-test=terminal-row]').length === 3);
    await screenshot(page, 'terminal-list-en');

    await page.check('[data-test=filter-status-deployed]');
    await page.waitForFunction(() => document.querySelectorAll('[data-test=terminal-row]').length === 1);
    await page.uncheck('[data-test=filter-status-deployed]');
    await page.fill('[data-test=filter-search]', 'browser');
    await page.waitForFunction(() => document.querySelectorAll('[data-test=terminal-row]').length === 2);
    expect(page.url()).toContain('q=browser');

    await page.click('[data-test=terminal-row]:has-text("BROWSER-DEPLOYED")');
    await page.waitForSelector('[data-test=terminal-asset-number]');
    expect(await page.textContent('[data-test=terminal-asset-number]')).toMatch(new RegExp(`^POS-${catalog.branchCode}-\\d{6}$`));

    await page.click('[data-test=terminal-edit]');
    await page.fill('[data-test=field-custodian]', '王师傅');
    await page.click('[data-test=save]');
    await page.waitForSelector('[data-test=terminal-custodian]:has-text("王师傅")');

    await page.click('[data-test=tab-history]');
    await page.waitForSelector('[data-test=audit-entry]:has-text("王师傅")');
    expect(await page.textContent('[data-test=audit-entry]')).toContain('admin');
    await screenshot(page, 'terminal-history-en');

    const reply = await admin.get('/api/v1/audit?entityType=terminal&action=update');
    expect(reply.body.items[0].changes.custodian.to).toBe('王师傅');
  });

  it('should show an edit conflict instead of overwriting someone else’s change', async () => {
    const terminal = await newTerminal(admin, catalog);
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password);
    await page.goto(`${api.baseUrl}/terminals/${terminal.id}/edit`);
    await page.waitForSelector('[data-test=field-serialNumber]');
    await page.waitForFunction(() => (document.querySelector('[data-test=field-serialNumber]') as HTMLInputElement).value !== '');
    await admin.patch(`/api/v1/terminals/${terminal.id}`, { custodian: 'someone else', version: 1 });
    await page.fill('[data-test=field-custodian]', 'me');
    await page.click('[data-test=save]');
    await page.waitForSelector('[data-test=form-error]');
    expect((await admin.get(`/api/v1/terminals/${terminal.id}`)).body.custodian).toBe('someone else');
  });

  it('should speak Chinese when asked', async () => {
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password, 'zh-CN');
    await page.waitForSelector('text=资产编号');
    expect(await page.textContent('header')).toContain('终端');
    await screenshot(page, 'terminal-list-zh-CN');
  });
});

describeBrowser('dashboard: CSV import', () => {
  let api: RunningApi;
  let browser: Browser;
  let catalog: Catalog;
  let admin: Client;

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    catalog = await newCatalog(admin);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('should list a bad row, import only the valid rows and show them in the list', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signIn(page, api.baseUrl, ADMIN.username, ADMIN.password);
    await page.goto(`${api.baseUrl}/import`);
    const csv = [
      'serialNumber,model,supplier,regionCode',
      `CSV-GOOD-1,${catalog.modelName},${catalog.supplierName},${catalog.branchCode}`,
      `CSV-BAD-1,Unknown Model,${catalog.supplierName},${catalog.branchCode}`,
      `CSV-GOOD-2,${catalog.modelName},${catalog.supplierName},${catalog.branchCode}`,
    ].join('\n');
    await page.setInputFiles('[data-test=import-file]', { name: 'terminals.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-test=import-row-error]');
    expect(await page.textContent('[data-test=import-row-error]')).toContain('2');
    expect(await page.isDisabled('[data-test=import-apply]')).toBe(true);
    await screenshot(page, 'import-errors-en');
    await page.click('[data-test=import-apply-valid]');
    await page.waitForSelector('[data-test=import-applied]');
    expect(await page.textContent('[data-test=import-applied]')).toContain('2');
    await page.goto(`${api.baseUrl}/terminals?q=CSV-`);
    await page.waitForFunction(() => document.querySelectorAll('[data-test=terminal-row]').length === 2);
    await page.close();
  });
});
