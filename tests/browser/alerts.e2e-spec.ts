/**
 * The dashboard of issue 6 in Chromium: a rule made in its form, a terminal's
 * low battery raising an alert that appears live on the alerts page and on
 * the header's bell, acknowledged there; a maintenance plan refused for a bad
 * interval (the error beside the field) then saved, its tasks generated,
 * completed from the tasks page and counted on the calendar; my
 * notification settings and a webhook's secret shown once; maintenance
 * windows, the expiry report and firmware compliance; the pages in Chinese.
 */
import type { Page } from 'playwright-core';
import type { RunningApi } from '../support/server';
import { createUser, heartbeat, newCatalog, newTerminal, terminalDevice, unique, type Client } from '../integration/support/client';
import { describeBrowser, screenshot, signIn, useDashboard } from './support/browser';

/** A fleet manager of the whole fleet (responds to and configures alerts, plans maintenance), and the password to sign in with. */
async function manager(admin: Client): Promise<{ username: string; password: string }> {
  const user = await createUser(admin, 'fleet_manager');
  return { username: (await user.get('/api/v1/auth/session')).body.user.username, password: 'password-for-tests' };
}

/** The number on the header's bell (0 when it shows none). */
async function bellCount(page: Page): Promise<number> {
  const badge = page.locator('[data-test=alert-bell-count]');
  return (await badge.count()) ? Number((await badge.textContent())!.replace(/\D/g, '')) : 0;
}

describeBrowser('dashboard: alerts, maintenance and notifications', () => {
  // Alerts are checked every second, so one raised shows within moments.
  const ui = useDashboard({ ALERT_CHECK_SECONDS: '1', INCIDENT_AUTO_ERROR_SECONDS: '0' });
  let api: RunningApi;
  let admin: Client;
  let page: Page;
  let sequence = 0;

  beforeEach(() => {
    ({ api, admin, page } = ui);
  });

  /** A terminal reports now, with its own device credential. */
  async function report(terminalId: number, fields: Record<string, unknown>): Promise<void> {
    const device = await terminalDevice(admin, terminalId);
    expect((await device.post('/api/v1/heartbeats', heartbeat(terminalId, ++sequence, fields))).status).toBe(200);
  }

  it('should raise a low-battery alert live on the alerts page and the bell, and let it be acknowledged', async () => {
    const terminal = await newTerminal(admin, await newCatalog(admin), { status: 'deployed' });
    const me = await manager(admin);
    await signIn(page, api.baseUrl, me.username, me.password, 'en', '/alerts/rules');

    // The nav, with alerts and maintenance, still fits one line at 1366 px.
    const tops = await page.locator('nav.nav .nav-link').evaluateAll((links) => links.map((link) => (link as HTMLElement).offsetTop));
    expect(new Set(tops).size).toBe(1);

    // A rule made in its form: a battery rule needs its minutes, and says so beside the field.
    const ruleName = `Battery flat now ${unique()}`;
    await page.click('[data-test=rule-new]');
    await page.selectOption('[data-test=rule-kind]', 'battery_low');
    await page.fill('[data-test=rule-name]', ruleName);
    await page.selectOption('[data-test=rule-severity]', 'critical');
    await page.fill('[data-test=rule-param-minutes]', '');
    await page.click('[data-test=rule-save]');
    await page.waitForSelector('[data-test=rule-param-minutes-error]:has-text("params.minutes")');
    await page.fill('[data-test=rule-param-minutes]', '0');
    await page.click('[data-test=rule-save]');
    await page.waitForSelector(`[data-test=rule-row]:has-text("${ruleName}")`);
    expect(await page.textContent(`[data-test=rule-row]:has-text("${ruleName}")`)).toContain('for 0 min');
    await screenshot(page, 'alerts-rules-en');

    await page.click('[data-test=sub-alerts-list]');
    await page.waitForURL((url) => url.pathname === '/alerts');
    await page.waitForSelector('[data-test=summary-critical-count]:not(:has-text("…"))');
    const before = await bellCount(page);

    // The terminal reports a flat battery: the alert comes over the socket, no reload.
    await report(terminal.id, { batteryPct: 4 });
    // (Its warranty may be ending too: that is another rule's alert.)
    const row = page.locator('[data-test=alert-row]', { hasText: terminal.assetNumber }).filter({ hasText: ruleName });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('[data-test=severity-badge]').textContent()).toBe('Critical');
    expect(await row.locator('[data-test=alert-state]').textContent()).toBe('Open');
    expect(await row.locator('[data-test=alert-subject]').getAttribute('href')).toBe(`/terminals/${terminal.id}`);
    await page.waitForFunction((count) => Number(document.querySelector('[data-test=alert-bell-count]')?.textContent?.replace(/\D/g, '') ?? 0) > count, before);
    expect(await page.getAttribute('[data-test=alert-bell]', 'class')).toContain('critical');
    expect(Number(await page.textContent('[data-test=summary-critical-count]'))).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'alerts-list-en');

    // Acknowledged with a note: the row says so at once, and the open count goes down.
    const open = await bellCount(page);
    await row.locator('[data-test=acknowledge]').click();
    await row.locator('[data-test=acknowledge-note]').fill('Merchant will charge it');
    await row.locator('[data-test=acknowledge-submit]').click();
    await row.locator('[data-test=alert-state]:has-text("Acknowledged")').waitFor();
    expect(await row.locator('[data-test=alert-note]').textContent()).toBe('Merchant will charge it');
    await page.waitForFunction((count) => Number(document.querySelector('[data-test=alert-bell-count]')?.textContent?.replace(/\D/g, '') ?? 0) === count - 1, open);

    // The terminal's own tab lists its alert.
    await row.locator('[data-test=alert-subject]').click();
    await page.waitForURL((url) => url.pathname === `/terminals/${terminal.id}`);
    await page.click('[data-test=tab-alerts]');
    await page.waitForSelector(`[data-test=terminal-alerts] [data-test=alert-row]:has-text("${ruleName}")`);
    expect(await page.textContent('[data-test=terminal-alerts] [data-test=alert-state]')).toBe('Acknowledged');
  });

  it('should refuse a plan with an interval of 0 beside the field, then save it, generate its task and complete it', async () => {
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    const me = await manager(admin);
    await signIn(page, api.baseUrl, me.username, me.password, 'en', '/maintenance/plans');

    const planName = `Monthly inspection ${unique()}`;
    await page.click('[data-test=plan-new]');
    await page.fill('[data-test=plan-name]', planName);
    await page.fill('[data-test=checklist-item]', 'Clean the card reader');
    await page.click('[data-test=checklist-add]');
    await page.locator('[data-test=checklist-item]').nth(1).fill('Print a test receipt');
    await page.click('[data-test=plan-scope-region]');
    await page.selectOption('[data-test=plan-region]', String(catalog.branchId));
    expect(await page.textContent('[data-test=plan-whichever]')).toContain('whichever comes first');
    await page.fill('[data-test=plan-interval]', '0');
    await page.click('[data-test=plan-save]');
    await page.waitForSelector('[data-test=plan-interval-error]:has-text("interval")');
    expect(await page.locator('[data-test=plan-row]').count()).toBe(0);
    await screenshot(page, 'maintenance-plan-error-en');

    await page.fill('[data-test=plan-interval]', '1');
    await page.selectOption('[data-test=plan-interval-unit]', 'months');
    await page.click('[data-test=plan-save]');
    const row = page.locator(`[data-test=plan-row]:has-text("${planName}")`);
    await row.waitFor();
    expect(await row.locator('[data-test=plan-trigger-text]').textContent()).toBe('every 1 month');

    // Its first task falls due today (a fixed calendar from today): generated now, not at the hourly check.
    await row.locator('[data-test=plan-generate]').click();
    await page.waitForSelector(`[data-test=plan-notice]:has-text("1 task generated for ${planName}")`);
    await screenshot(page, 'maintenance-plans-en');

    await page.click('[data-test=sub-maintenance-tasks]');
    const task = page.locator(`[data-test=task-row]:has-text("${terminal.assetNumber}")`);
    await task.waitFor();
    await task.locator('[data-test=task-open]').click();
    await page.waitForSelector('[data-test=task-panel]');
    await page.click('[data-test=task-complete]');
    await page.waitForSelector('[data-test=step-complete] .error:has-text("Answer every item.")');
    await page.click('[data-test=task-all-ok]');
    await page.click('[data-test=item-1-issue]');
    await page.fill('[data-test=task-note]', 'Print head cleaned');
    await page.click('[data-test=task-complete]');
    await page.waitForSelector('[data-test=task-panel] [data-test=task-status]:has-text("Done")');
    expect(await page.textContent('[data-test=task-results]')).toContain('Issue');
    await page.waitForSelector(`[data-test=task-row]:has-text("${terminal.assetNumber}") [data-test=task-status]:has-text("Done")`);
    await screenshot(page, 'maintenance-tasks-en');

    // The calendar counts it on today, and today lists it.
    await page.click('[data-test=sub-maintenance-calendar]');
    const today = new Date().toISOString().slice(0, 10);
    await page.waitForSelector(`[data-test=day-${today}]:has-text("1 done")`);
    await page.click(`[data-test=day-${today}]`);
    await page.waitForSelector(`[data-test=day-tasks] [data-test=task-row]:has-text("${terminal.assetNumber}")`);
    await screenshot(page, 'maintenance-calendar-en');

    // The terminal's maintenance tab lists the task.
    await page.goto(`${api.baseUrl}/terminals/${terminal.id}`);
    await page.click('[data-test=tab-maintenance]');
    await page.waitForSelector(`[data-test=terminal-maintenance] [data-test=task-row]:has-text("${planName}")`);
  });

  it('should save my notification settings and show a new webhook secret once', async () => {
    const me = await manager(admin);
    await signIn(page, api.baseUrl, me.username, me.password, 'en', '/settings/notifications');

    await page.check('[data-test=channel-email-enabled]');
    await page.fill('[data-test=channel-email-address]', '');
    await page.click('[data-test=subscriptions-save]');
    await page.waitForSelector('[data-test=channel-email] .error:not(:empty)');
    await page.fill('[data-test=channel-email-address]', 'manager@bank.test');
    await page.check('[data-test=channel-email-kind-battery_low]');
    await page.selectOption('[data-test=channel-email-severity]', 'critical');
    await page.click('[data-test=subscriptions-save]');
    await page.waitForSelector('[data-test=subscriptions-saved]');
    await page.reload();
    await page.waitForSelector('[data-test=channel-email-kind-battery_low]:checked');
    expect(await page.inputValue('[data-test=channel-email-address]')).toBe('manager@bank.test');

    const hookName = `Operations ${unique()}`;
    await page.click('[data-test=webhook-new]');
    await page.fill('[data-test=webhook-name]', hookName);
    await page.fill('[data-test=webhook-url]', 'ftp://nowhere');
    await page.click('[data-test=webhook-save]');
    await page.waitForSelector('[data-test=webhook-form] .error:not(:empty)');
    await page.fill('[data-test=webhook-url]', `${api.baseUrl}/no-such-receiver`);
    await page.click('[data-test=webhook-save]');
    const secret = (await page.textContent('[data-test=webhook-secret] [data-test=token-value]'))!;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await screenshot(page, 'notifications-en');
    await page.click('[data-test=webhook-secret] button:has-text("Cancel")');
    expect(await page.locator('[data-test=webhook-secret]').count()).toBe(0);
    expect(await page.textContent('[data-test=webhooks]')).not.toContain(secret);

    // A test event is queued, and the delivery log lists it.
    const row = page.locator(`[data-test=webhook-row]:has-text("${hookName}")`);
    await row.locator('[data-test=webhook-test]').click();
    await page.waitForSelector('[data-test=webhook-notice]');
    await row.locator('[data-test=webhook-log]').click();
    await page.waitForSelector('[data-test=delivery-row]:has-text("test")');
  });

  it('should add and end maintenance windows, and show the expiry report and the firmware compliance', async () => {
    const catalog = await newCatalog(admin);
    const warrantyEnd = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed', warrantyEnd, firmwareVersion: '1.0.0' });
    expect((await admin.request('PUT', `/api/v1/models/${catalog.modelId}/health-policy`, { targetFirmwareVersion: '2.0.0' })).status).toBe(200);
    const me = await manager(admin);
    await signIn(page, api.baseUrl, me.username, me.password, 'en', '/alerts/rules');

    // A window for the branch, from now for two hours: refused without a reason, then on.
    await page.selectOption('[data-test=window-region]', String(catalog.branchId));
    await page.click('[data-test=window-create]');
    await page.waitForSelector('[data-test=window-form] .error:not(:empty)');
    await page.fill('[data-test=window-reason]', 'Network upgrade at the branch');
    await page.click('[data-test=window-create]');
    const regionWindow = page.locator('[data-test=window-row]', { hasText: 'Network upgrade at the branch' });
    await regionWindow.waitFor();
    expect(await regionWindow.textContent()).toContain(catalog.branchCode);
    expect(await regionWindow.locator('.badge').textContent()).toBe('Now');

    // One for a terminal, named by its asset number.
    await page.click('[data-test=window-target-terminal]');
    await page.fill('[data-test=window-asset]', 'NO-SUCH-ASSET');
    await page.fill('[data-test=window-reason]', 'Merchant closed for works');
    await page.click('[data-test=window-create]');
    await page.waitForSelector('[data-test=window-error]:has-text("NO-SUCH-ASSET")');
    await page.fill('[data-test=window-asset]', terminal.assetNumber);
    await page.click('[data-test=window-create]');
    await page.waitForSelector(`[data-test=window-row]:has-text("${terminal.assetNumber}")`);
    await screenshot(page, 'alerts-windows-en');
    page.once('dialog', (dialog) => void dialog.accept());
    await regionWindow.locator('[data-test=window-delete]').click();
    await regionWindow.waitFor({ state: 'detached' });

    await page.click('[data-test=sub-alerts-expiry]');
    await page.click('[data-test=within-30]');
    await page.waitForURL((url) => url.searchParams.get('withinDays') === '30');
    const warranty = page.locator('[data-test=expiry-warranty]', { hasText: terminal.assetNumber });
    await warranty.waitFor();
    expect(await warranty.locator('[data-test=days-left]').textContent()).toMatch(/^(19|20) d$/);
    await screenshot(page, 'alerts-expiry-en');

    await page.click('nav a:has-text("Maintenance")');
    await page.click('[data-test=sub-maintenance-compliance]');
    await page.click(`[data-test=behind-${catalog.modelId}]`);
    await page.waitForSelector(`[data-test=behind-row]:has-text("${terminal.assetNumber}")`);
    expect(await page.textContent(`[data-test=behind-row]:has-text("${terminal.assetNumber}")`)).toContain('Behind');
    await screenshot(page, 'maintenance-compliance-en');
  });

  it('should show the alerts, rules, maintenance tasks, plans and calendar in Chinese', async () => {
    // An alert (paper out, at once) and a task due today, of a region of their own.
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    const ruleName = `缺纸立即告警 ${unique()}`;
    expect((await admin.post('/api/v1/alerts/rules', { kind: 'paper_out', name: ruleName, severity: 'warning', params: { minutes: 0 } })).status).toBe(201);
    const plan = await admin.post('/api/v1/maintenance/plans', { name: `月度巡检 ${unique()}`, kind: 'inspection', checklist: ['清洁读卡器'], scope: 'region', regionId: catalog.branchId, anchor: 'fixed', interval: 1, intervalUnit: 'months' });
    expect(plan.status).toBe(201);
    expect((await admin.post(`/api/v1/maintenance/plans/${plan.body.id}/generate`)).body).toEqual({ generated: 1 });
    await report(terminal.id, { printer: 'paper_out' });

    const me = await manager(admin);
    await signIn(page, api.baseUrl, me.username, me.password, 'zh-CN', '/alerts');
    await page.waitForSelector('nav a:has-text("告警")');
    await page.waitForSelector('[data-test=summary-critical]:has-text("严重")');
    const row = page.locator('[data-test=alert-row]', { hasText: terminal.assetNumber }).filter({ hasText: ruleName });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('[data-test=alert-state]').textContent()).toBe('未处理');
    expect(await row.locator('[data-test=severity-badge]').textContent()).toBe('警告');
    await screenshot(page, 'alerts-list-zh-CN');

    await page.click('[data-test=sub-alerts-rules]');
    await page.waitForSelector('[data-test=rule-row]:has-text("终端离线")');
    await page.waitForSelector('[data-test=maintenance-windows] h2:has-text("维护窗口")');
    await screenshot(page, 'alerts-rules-zh-CN');

    await page.click('nav a:has-text("维护")');
    await page.waitForSelector(`[data-test=task-row]:has-text("${terminal.assetNumber}") [data-test=task-status]:has-text("待处理")`);
    await screenshot(page, 'maintenance-tasks-zh-CN');
    await page.click('[data-test=sub-maintenance-plans]');
    await page.click('[data-test=plan-new]');
    await page.waitForSelector('[data-test=plan-whichever]:has-text("以先到者为准")');
    await screenshot(page, 'maintenance-plans-zh-CN');

    await page.click('[data-test=sub-maintenance-calendar]');
    await page.waitForSelector('[data-test=calendar] .calendar-head');
    expect(await page.locator('[data-test=calendar] .calendar-head').first().textContent()).toBe('周一');
    await screenshot(page, 'maintenance-calendar-zh-CN');
  });
});
