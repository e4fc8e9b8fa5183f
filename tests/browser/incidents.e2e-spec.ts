import type { Page } from 'playwright-core';
import type { RunningApi } from '../support/server';
import { createUser, newCatalog, newTerminal, type Client } from '../integration/support/client';
import { describeBrowser, screenshot, signIn, useDashboard } from './support/browser';

/** Who a test works as: a technician of the whole fleet, and the name and password to sign in with. */
async function technician(admin: Client): Promise<{ username: string; displayName: string; password: string }> {
  const user = await createUser(admin, 'technician');
  const { username, displayName } = (await user.get('/api/v1/auth/session')).body.user;
  return { username, displayName, password: 'password-for-tests' };
}

const currentStage = (page: Page, stage: string) => page.waitForSelector(`[data-test=stage-step-${stage}].current`);

/** A 2×2 PNG, as a phone's photo would be uploaded. */
const PHOTO = {
  name: 'printer.png',
  mimeType: 'image/png',
  buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEklEQVQImWM4ISd3Qk6OAUIBAB8mBBGFRCvEAAAAAElFTkSuQmCC', 'base64'),
};

describeBrowser('dashboard: fault tickets', () => {
  const ui = useDashboard();
  let api: RunningApi;
  let admin: Client;
  let page: Page;

  beforeEach(() => {
    ({ api, admin, page } = ui);
  });

  it('should report a fault from the terminal, then record the first response and the diagnosis on the ticket', async () => {
    const terminal = await newTerminal(admin, await newCatalog(admin), { status: 'deployed' });
    const me = await technician(admin);
    await signIn(page, api.baseUrl, me.username, me.password, 'en', `/terminals/${terminal.id}`);

    // The terminal's own tab lists its tickets and offers to report one.
    await page.click('[data-test=tab-incidents]');
    await page.waitForSelector('[data-test=terminal-incidents] [data-test=incident-table]');
    expect(await page.locator('[data-test=incident-row]').count()).toBe(0);
    await page.click('[data-test=report-fault]');
    await page.waitForURL((url) => url.pathname === '/incidents/new' && url.searchParams.get('terminalId') === String(terminal.id));
    await page.waitForSelector(`[data-test=picked-terminal]:has-text("${terminal.assetNumber}")`);

    // A report without a symptom or description is stopped before it leaves the page.
    await page.click('[data-test=incident-submit]');
    expect(await page.locator('[data-test=incident-form] .error:has-text("Required")').count()).toBe(2);
    await page.selectOption('[data-test=field-priority]', 'high');
    await page.selectOption('[data-test=field-symptom]', 'printer');
    await page.fill('[data-test=chips-text]', 'E102');
    await page.press('[data-test=chips-text]', 'Enter');
    await page.fill('[data-test=chips-text]', 'E7,');
    expect(await page.locator('[data-test=chip]').allTextContents()).toEqual([expect.stringContaining('E102'), expect.stringContaining('E7')]);
    await page.fill('[data-test=field-description]', 'Prints blank receipts since this morning');
    await page.setInputFiles('[data-test=photo-input]', [PHOTO, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') }]);
    await page.waitForSelector('[data-test=incident-form] .error:has-text("notes.txt: only JPEG, PNG or WebP images")');
    await page.click('[data-test=chosen-photo]:has-text("notes.txt") button');
    await page.click('[data-test=incident-submit]');

    await page.waitForURL((url) => /^\/incidents\/\d+$/.test(url.pathname));
    const number = (await page.textContent('[data-test=incident-number]'))!;
    expect(number).toMatch(/^INC-\d{6}$/);
    await currentStage(page, 'reported');
    await page.waitForSelector('[data-test=event-reported]');
    expect(await page.textContent('[data-test=incident-terminal]')).toBe(terminal.assetNumber);
    expect(await page.textContent('[data-test=incident-symptom]')).toBe('Printer fails');
    expect(await page.textContent('[data-test=priority-badge]')).toBe('High');

    // The photo chosen with the report was uploaded right after it; it opens in full.
    await page.click('[data-test=tab-photos]');
    const thumbnail = page.locator('[data-test=photo-thumb] img');
    await thumbnail.waitFor();
    await page.waitForFunction(() => ((document.querySelector('[data-test=photo-thumb] img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    await page.click('[data-test=photo-thumb]');
    await page.waitForFunction(() => (document.querySelector('[data-test=photo-viewer] img') as HTMLImageElement | null)?.naturalWidth === 2);
    await page.click('[data-test=photo-close]');
    await page.click('[data-test=tab-timeline]');

    // The technician takes the ticket; the assignee list (everyone who works tickets) then shows them.
    await page.click('[data-test=assign-me]');
    await page.waitForSelector('[data-test=event-assigned]');
    await page.waitForFunction((name) => {
      const select = document.querySelector('[data-test=assignee-select]') as HTMLSelectElement | null;
      return select?.selectedOptions[0]?.textContent === name;
    }, me.displayName);
    await page.waitForSelector(`[data-test=event-assigned]:has-text("${me.displayName}")`);

    // First response, not fixed: every check answered, the network one a problem.
    await page.click('[data-test=step-submit-respond]');
    await page.waitForSelector('[data-test=step-form-respond] .error:has-text("Required")');
    await page.click('[data-test=checklist-respond-all]');
    await page.check('[data-test=check-network-problem]');
    await page.fill('[data-test=step-note-respond]', 'Restarted; the print head is dirty');
    await page.click('[data-test=step-submit-respond]');
    await currentStage(page, 'diagnosing');
    await page.waitForSelector('[data-test=event-first_response]');
    expect(await page.textContent('[data-test=event-first_response]')).toContain('Network: Problem found');
    expect(await page.textContent('[data-test=record-first-response]')).toContain('Problem found');

    // Diagnosis: the next step offered once the first response is recorded.
    await page.selectOption('[data-test=step-faultType]', 'hardware');
    await page.selectOption('[data-test=step-cause]', 'wear');
    await page.selectOption('[data-test=step-mode]', 'on_site');
    await page.selectOption('[data-test=step-responsibility]', 'supplier');
    await page.click('[data-test=step-submit-diagnose]');
    await currentStage(page, 'awaiting_repair');
    await page.waitForSelector('[data-test=event-diagnosed]');
    expect(await page.locator('[data-test=incident-timeline] > li [data-test=event-kind]').allTextContents()).toEqual([
      'Fault reported',
      'Photo added',
      'Assigned',
      'First response',
      'Diagnosed',
    ]);
    expect(await page.textContent('[data-test=record-diagnosis]')).toContain('Wear and ageing');
    // The repair decision comes next, prefilled with the advice.
    await page.waitForSelector('[data-test=step-decide][open]');
    expect(await page.inputValue('[data-test=step-decision]')).toBe(await page.getAttribute('[data-test=advice-decision]', 'data-decision'));
    await screenshot(page, 'incidents-detail-en');

    // The board shows the ticket in its column, and the terminal's tab lists it.
    await page.click('nav a:has-text("Fault tickets")');
    await page.waitForSelector(`[data-test=column-awaiting_repair] [data-test=incident-card]:has-text("${number}")`);
    expect(await page.textContent('[data-test=column-awaiting_repair-count]')).toBe('1');
    await screenshot(page, 'incidents-board-en');
    await page.goto(`${api.baseUrl}/terminals/${terminal.id}`);
    await page.click('[data-test=tab-incidents]');
    await page.waitForSelector(`[data-test=incident-row]:has-text("${number}")`);
  });

  it('should show a ticket and the board in Chinese', async () => {
    const terminal = await newTerminal(admin, await newCatalog(admin), { status: 'deployed' });
    const reply = await admin.post('/api/v1/incidents', { terminalId: terminal.id, priority: 'urgent', symptom: 'physical_damage', circumstances: 'dropped', description: '收银台跌落，屏幕碎裂' });
    expect(reply.status).toBe(201);
    const me = await technician(admin);
    await signIn(page, api.baseUrl, me.username, me.password, 'zh-CN', `/incidents/${reply.body.id}`);

    await page.waitForSelector('[data-test=stage-step-reported].current:has-text("已报告")');
    await page.waitForSelector('[data-test=incident-steps] h2:has-text("下一步")');
    await page.waitForSelector('[data-test=event-reported]:has-text("故障报告")');
    expect(await page.textContent('[data-test=incident-symptom]')).toBe('摔落或损坏');
    // A damaged unit: the first response says to keep it as it is.
    expect(await page.textContent('[data-test=step-form-respond]')).toContain('保持原状');
    await screenshot(page, 'incidents-detail-zh-CN');

    await page.click('nav a:has-text("故障工单")');
    await page.waitForSelector(`[data-test=column-reported] [data-test=incident-card]:has-text("${reply.body.number}")`);
    expect(await page.textContent('[data-test=column-reported] [data-test=priority-badge]')).toBe('紧急');
    await screenshot(page, 'incidents-board-zh-CN');
  });

  it('should list a fix that worked in the common faults, beside a new ticket of the same kind, and the service levels', async () => {
    const catalog = await newCatalog(admin);
    const fixed = await newTerminal(admin, catalog, { status: 'deployed' });
    const ticket = (await admin.post('/api/v1/incidents', { terminalId: fixed.id, symptom: 'network', errorCodes: ['E55'], description: 'No network' })).body;
    const closed = await admin.post(`/api/v1/incidents/${ticket.id}/respond`, { version: ticket.version, checks: { restart: 'fixed' }, fixed: true, note: 'Re-seated the SIM card' });
    expect(closed.body.stage).toBe('closed');
    const again = await admin.post('/api/v1/incidents', { terminalId: (await newTerminal(admin, catalog, { status: 'deployed' })).id, symptom: 'network', description: 'No network either' });
    const me = await technician(admin);
    await signIn(page, api.baseUrl, me.username, me.password, 'en', `/incidents/${again.body.id}`);

    await page.waitForSelector('[data-test=suggestion]:has-text("Re-seated the SIM card")');
    expect(await page.textContent('[data-test=suggestion]')).toContain('Fixed on first response');

    // The closed ticket went straight from reported to closed.
    await page.goto(`${api.baseUrl}/incidents/${ticket.id}`);
    await currentStage(page, 'closed');
    expect(await page.locator('[data-test=stage-steps] li.skipped').count()).toBe(5);
    await page.waitForSelector('[data-test=step-reopen]');

    await page.goto(`${api.baseUrl}/incidents/common-faults?modelId=${catalog.modelId}`);
    await page.waitForSelector('[data-test=common-fault-row]:has-text("E55")');
    expect(await page.textContent('[data-test=common-fault-row]')).toContain('Re-seated the SIM card');
    expect(await page.getAttribute('[data-test=export-csv]', 'href')).toBe(`/api/v1/incidents/common-faults.csv?modelId=${catalog.modelId}`);
    const levels = page.locator('[data-test=service-level-row]');
    await levels.first().waitFor();
    await page.selectOption('[data-test=levels-group]', 'region');
    await page.waitForSelector(`[data-test=service-level-row]:has-text("${catalog.branchCode}")`);
    await screenshot(page, 'incidents-common-faults-en');
  });
});
