import type { AlertResponse, AlertRuleResponse, AlertSummaryResponse, Page } from '@fleet/shared';
import {
  ago,
  alertFilters,
  alertVariant,
  durationParts,
  alertMatches,
  alertsRoom,
  bySeverity,
  fromParamsForm,
  fromRuleForm,
  instant,
  localDateTime,
  mergeAlerts,
  openTotal,
  paramEntries,
  regionSubtree,
  subjectRoute,
  toParamsForm,
  toRuleForm,
  windowIsOn,
  windowRequest,
} from './alert-format';

let nextId = 0;
function newAlert(fields: Partial<AlertResponse> = {}): AlertResponse {
  nextId += 1;
  return {
    id: nextId,
    rule: { id: 1, name: 'Battery low', kind: 'battery_low' },
    severity: 'warning',
    state: 'open',
    subject: { type: 'terminal', id: 10, label: 'T-0010' },
    variant: '',
    region: { id: 3, name: 'Branch', code: 'BR' },
    since: '2025-06-15T08:00:00.000Z',
    raisedAt: `2025-06-15T08:${String(nextId % 60).padStart(2, '0')}:00.000Z`,
    acknowledgedAt: null,
    acknowledgedBy: null,
    assignee: null,
    escalatedAt: null,
    notifyCount: 1,
    lastNotifiedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    details: {},
    note: null,
    version: 1,
    ...fields,
  };
}

const pageOf = (items: AlertResponse[], fields: Partial<Page<AlertResponse>> = {}): Page<AlertResponse> => ({ items, total: items.length, page: 1, pageSize: 25, ...fields });
const summary = (open: AlertSummaryResponse['open']): AlertSummaryResponse => ({ open, acknowledged: 0, byKind: {} });

describe(bySeverity.name, () => {
  it('should put the most severe first', () => {
    expect((['info', 'critical', 'warning'] as const).slice().sort(bySeverity)).toEqual(['critical', 'warning', 'info']);
  });

  it('should count the open alerts of every severity', () => {
    expect(openTotal(summary({ info: 2, warning: 1, critical: 4 }))).toBe(7);
    expect(openTotal(null)).toBe(0);
  });
});

describe(alertsRoom.name, () => {
  it("should follow the fleet's room, or the region a user is limited to", () => {
    expect(alertsRoom(null)).toBe('alerts');
    expect(alertsRoom(7)).toBe('alerts:7');
  });
});

describe(alertFilters.name, () => {
  it('should read known values from the URL and drop the rest', () => {
    expect(alertFilters({ state: 'resolved,bogus', severity: 'critical,info', kind: 'battery_low', regionId: '4', page: '2' })).toEqual({
      state: ['resolved'],
      severity: ['info', 'critical'],
      kind: ['battery_low'],
      regionId: 4,
      page: 2,
    });
    expect(alertFilters({ regionId: '-1', page: 'x', severity: '' })).toEqual({ state: undefined, severity: undefined, kind: undefined, regionId: undefined, page: undefined });
  });
});

describe(regionSubtree.name, () => {
  it('should hold the region and every region below it, whatever the order of the list', () => {
    const regions = [
      { id: 4, parentId: 2 },
      { id: 1, parentId: null },
      { id: 2, parentId: 1 },
      { id: 3, parentId: 1 },
      { id: 5, parentId: null },
    ];
    expect([...regionSubtree(regions, 1)].sort()).toEqual([1, 2, 3, 4]);
    expect([...regionSubtree(regions, 2)].sort()).toEqual([2, 4]);
  });
});

describe(alertMatches.name, () => {
  it('should take open and acknowledged alerts unless told which states', () => {
    expect(alertMatches(newAlert({ state: 'acknowledged' }), {}, null)).toBe(true);
    expect(alertMatches(newAlert({ state: 'resolved' }), {}, null)).toBe(false);
    expect(alertMatches(newAlert({ state: 'resolved' }), { state: ['resolved'] }, null)).toBe(true);
  });

  it('should apply severity, kind, subject and region filters', () => {
    const alert = newAlert({ severity: 'critical', region: { id: 4, name: 'Sub', code: 'S' } });
    expect(alertMatches(alert, { severity: ['warning'] }, null)).toBe(false);
    expect(alertMatches(alert, { kind: ['paper_out'] }, null)).toBe(false);
    expect(alertMatches(alert, { subjectType: 'terminal', subjectId: 10 }, null)).toBe(true);
    expect(alertMatches(alert, { subjectType: 'terminal', subjectId: 11 }, null)).toBe(false);
    expect(alertMatches(alert, { regionId: 1 }, new Set([1, 4]))).toBe(true);
    expect(alertMatches(alert, { regionId: 2 }, new Set([2]))).toBe(false);
    expect(alertMatches(newAlert({ region: null }), { regionId: 1 }, new Set([1]))).toBe(false);
  });
});

describe(mergeAlerts.name, () => {
  const openOnly = (alert: AlertResponse) => alertMatches(alert, {}, null);

  it('should add a new alert at the top of the first page and count it', () => {
    const older = newAlert();
    const raised = newAlert();
    const merged = mergeAlerts(pageOf([older]), [raised], openOnly);
    expect(merged.items.map((a) => a.id)).toEqual([raised.id, older.id]);
    expect(merged.total).toBe(2);
  });

  it('should replace a changed alert that still matches, and drop one that no longer does', () => {
    const kept = newAlert();
    const gone = newAlert();
    const merged = mergeAlerts(pageOf([gone, kept]), [{ ...kept, state: 'acknowledged', version: 2 }, { ...gone, state: 'resolved' }], openOnly);
    expect(merged.items).toEqual([{ ...kept, state: 'acknowledged', version: 2 }]);
    expect(merged.total).toBe(1);
  });

  it('should only count a new alert on a later page, and ignore changes to alerts it neither shows nor lists', () => {
    const shown = newAlert();
    const merged = mergeAlerts(pageOf([shown], { page: 2, total: 30 }), [newAlert(), newAlert({ state: 'resolved' })], openOnly);
    expect(merged.items).toEqual([shown]);
    expect(merged.total).toBe(31);
  });

  it('should keep the page to its size', () => {
    const items = [newAlert(), newAlert()].reverse();
    const merged = mergeAlerts(pageOf(items, { pageSize: 2 }), [newAlert()], openOnly);
    expect(merged.items).toHaveLength(2);
    expect(merged.total).toBe(3);
  });
});

describe(ago.name, () => {
  const now = Date.parse('2025-06-15T12:00:00.000Z');
  it.each([
    ['2025-06-15T11:59:30.000Z', { value: -30, unit: 'second' }],
    ['2025-06-15T11:15:00.000Z', { value: -45, unit: 'minute' }],
    ['2025-06-14T10:00:00.000Z', { value: -26, unit: 'hour' }],
    ['2025-06-10T12:00:00.000Z', { value: -5, unit: 'day' }],
    ['2025-06-15T12:05:00.000Z', { value: -0, unit: 'second' }],
  ])('should say %s as %j', (iso, expected) => {
    expect(ago(iso, now)).toEqual(expected);
  });
});

describe(subjectRoute.name, () => {
  it("should link each subject to its own page, and a region's to none", () => {
    expect(subjectRoute({ type: 'terminal', id: 5, label: 'T5' })).toEqual({ name: 'terminals-detail', params: { id: 5 } });
    expect(subjectRoute({ type: 'incident', id: 6, label: 'INC-000006' })).toEqual({ name: 'incidents-detail', params: { id: 6 } });
    expect(subjectRoute({ type: 'maintenance_task', id: 7, label: 'x' })).toEqual({ name: 'maintenance-tasks', query: { task: '7' } });
    expect(subjectRoute({ type: 'insurance_policy', id: 8, label: 'P' })).toEqual({ name: 'catalog-list', params: { kind: 'insurance-policies' } });
    expect(subjectRoute({ type: 'region', id: 9, label: 'R' })).toBeNull();
  });
});

describe(fromParamsForm.name, () => {
  const form = toParamsForm({ minutes: 30, windows: [90, 30], minimum: 2, minDeployed: 20 });

  it("should send only the kind's parameters", () => {
    expect(fromParamsForm('battery_low', form)).toEqual({ minutes: 30 });
    expect(fromParamsForm('spare_pool_low', form)).toEqual({ minimum: 2, minDeployed: 20 });
    expect(fromParamsForm('ticket_sla_breach', form)).toEqual({});
  });

  it('should read expiry windows typed with commas, spaces or Chinese punctuation', () => {
    expect(fromParamsForm('warranty_expiring', { ...form, windows: '30，60; 90 180' })).toEqual({ windows: [30, 60, 90, 180] });
  });

  it('should leave an empty box out and send what is not a number as such, for the API to name the field', () => {
    expect(fromParamsForm('paper_out', { ...form, minutes: ' ' })).toEqual({});
    expect(fromParamsForm('paper_out', { ...form, minutes: 'soon' }).minutes).toBeNaN();
    expect(fromParamsForm('paper_out', { ...form, minutes: 0 })).toEqual({ minutes: 0 });
    expect(fromParamsForm('warranty_expiring', { ...form, windows: '' })).toEqual({});
  });

  it("should list a rule's parameters in the kind's order, windows sorted", () => {
    expect(paramEntries('warranty_expiring', { windows: [90, 30] })).toEqual([{ key: 'windows', value: [30, 90] }]);
    expect(paramEntries('spare_pool_low', { minDeployed: 20, minimum: 1 })).toEqual([
      { key: 'minimum', value: 1 },
      { key: 'minDeployed', value: 20 },
    ]);
  });
});

describe(fromRuleForm.name, () => {
  const rule: AlertRuleResponse = {
    id: 1,
    kind: 'terminal_offline',
    name: 'Offline 1 h',
    severity: 'critical',
    enabled: true,
    params: { minutes: 60 },
    repeatMinutes: 240,
    escalateAfterMinutes: null,
    escalateToRole: null,
    suppressWithOpenTicket: false,
    openAlerts: 3,
    version: 4,
    createdAt: '2025-06-15T08:00:00.000Z',
    updatedAt: '2025-06-15T08:00:00.000Z',
  };

  it('should give back the rule it was read from', () => {
    expect(fromRuleForm(toRuleForm(rule))).toEqual({
      kind: 'terminal_offline',
      name: 'Offline 1 h',
      severity: 'critical',
      enabled: true,
      params: { minutes: 60 },
      repeatMinutes: 240,
      escalateAfterMinutes: null,
      escalateToRole: null,
      suppressWithOpenTicket: false,
    });
  });

  it('should start a new rule with usual parameters for every kind, and send empty timings as null', () => {
    const form = { ...toRuleForm(null), kind: 'policy_expiring' as const, name: ' Policies ', escalateToRole: 'fleet_manager' as const, escalateAfterMinutes: '120' };
    expect(fromRuleForm(form)).toMatchObject({ name: 'Policies', params: { windows: [30, 60, 90, 180] }, repeatMinutes: null, escalateAfterMinutes: 120, escalateToRole: 'fleet_manager' });
  });
});

describe(localDateTime.name, () => {
  it('should show a moment where the user is, and give it back as the same instant', () => {
    const moment = new Date(2025, 5, 15, 8, 5);
    expect(localDateTime(moment)).toBe('2025-06-15T08:05');
    expect(instant(localDateTime(moment))).toBe(moment.toISOString());
    expect(instant('')).toBe('');
  });

  it('should tell a window that is on from one that is coming', () => {
    const window = { startsAt: '2025-06-15T08:00:00.000Z', endsAt: '2025-06-15T10:00:00.000Z' };
    expect(windowIsOn(window, Date.parse('2025-06-15T09:00:00.000Z'))).toBe(true);
    expect(windowIsOn(window, Date.parse('2025-06-15T07:59:00.000Z'))).toBe(false);
    expect(windowIsOn(window, Date.parse('2025-06-15T10:00:00.000Z'))).toBe(false);
  });
});

describe(windowRequest.name, () => {
  const form = { target: 'region' as const, regionId: 3 as const, assetNumber: 'T-1', startsAt: '2025-06-15T08:00', endsAt: '2025-06-15T10:00', reason: ' Network upgrade ' };

  it('should send the region, or the terminal found, never both', () => {
    expect(windowRequest(form, 9)).toEqual({ regionId: 3, startsAt: new Date(2025, 5, 15, 8).toISOString(), endsAt: new Date(2025, 5, 15, 10).toISOString(), reason: 'Network upgrade' });
    expect(windowRequest({ ...form, target: 'terminal' }, 9)).toMatchObject({ terminalId: 9 });
    expect(windowRequest({ ...form, target: 'terminal' }, 9)).not.toHaveProperty('regionId');
    expect(windowRequest({ ...form, regionId: '' }, null)).toMatchObject({ regionId: null });
  });
});

describe(alertVariant.name, () => {
  it('should read the end date of an expiry reminder, the clock of a ticket, and nothing when there is none', () => {
    expect(alertVariant('warranty_expiring', '2027-01-31')).toEqual({ type: 'date', iso: '2027-01-31' });
    expect(alertVariant('ticket_sla_breach', 'restore')).toEqual({ type: 'measure', measure: 'restore' });
    expect(alertVariant('spare_pool_low', 'other')).toEqual({ type: 'text', text: 'other' });
    expect(alertVariant('battery_low', '')).toBeNull();
  });
});

describe(durationParts.name, () => {
  it.each([
    [0, [{ value: 0, unit: 'minute' }]],
    [45, [{ value: 45, unit: 'minute' }]],
    [240, [{ value: 4, unit: 'hour' }]],
    [1440, [{ value: 1, unit: 'day' }]],
    [1530, [{ value: 1, unit: 'day' }, { value: 1, unit: 'hour' }, { value: 30, unit: 'minute' }]],
  ])('should say %i minutes as %j', (minutes, parts) => {
    expect(durationParts(minutes)).toEqual(parts);
  });
});
