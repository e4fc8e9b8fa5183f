import {
  ERROR_CODES,
  INCIDENT_ACTIONS,
  INCIDENT_EVENT_KINDS,
  PERMISSIONS,
  ROLES,
  SERVICE_LEVEL_GROUPS,
  SLA_MEASURES,
  TERMINAL_CATEGORIES,
  TERMINAL_STATUSES,
  type DueReason,
  type RepairAdviceReason,
} from '@fleet/shared';
import { TERM_VALUES, type SlaState, type TermSection } from '../features/incidents/incident-format';
import { en } from './en';
import { zhCN } from './zh-CN';

function keys(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) => (typeof inner === 'object' && inner !== null ? keys(inner, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

describe('dashboard texts', () => {
  it.each([['en', en], ['zh-CN', zhCN]] as const)('should translate every server error code in %s', (_locale, messages) => {
    for (const code of ERROR_CODES) expect(messages.errors[code]).toEqual(expect.any(String));
  });

  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name every status, category and role in %s', (_locale, messages) => {
    for (const status of TERMINAL_STATUSES) expect(messages.status[status]).toBeTruthy();
    for (const category of TERMINAL_CATEGORIES) expect(messages.category[category]).toBeTruthy();
    for (const role of ROLES) expect(messages.role[role]).toBeTruthy();
  });

  it('should have the same keys in both languages, none empty', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    for (const key of keys(zhCN)) expect(key).not.toBe('');
    expect(PERMISSIONS.length).toBeGreaterThan(0);
  });
});

describe('audit texts', () => {
  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name every audited record type in %s', async (_locale, messages) => {
    const { AUDIT_ENTITY_TYPES } = await import('@fleet/shared');
    for (const type of AUDIT_ENTITY_TYPES) expect(messages.audit.entity[type]).toBeTruthy();
  });
});

describe('fault ticket texts', () => {
  // Records, so that a new advice reason or clock state fails the type check until it is named here too.
  const ADVICE_REASONS: Record<RepairAdviceReason['code'], true> = {
    inWarranty: true,
    warrantyExpired: true,
    noWarranty: true,
    warrantyVoid: true,
    insured: true,
    quoteMissing: true,
    repairCostHigh: true,
    repairCheaper: true,
    unitOld: true,
  };
  const SLA_STATES: Record<SlaState, true> = { running: true, overdue: true, met: true, metLate: true, stopped: true };

  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name every value of every fault-ticket vocabulary in %s', (_locale, messages) => {
    const texts = messages.incidents as unknown as Record<TermSection, Record<string, string>>;
    for (const [section, values] of Object.entries(TERM_VALUES) as [TermSection, readonly string[]][]) {
      for (const value of values) expect([section, value, texts[section]?.[value]]).toEqual([section, value, expect.stringMatching(/\S/)]);
    }
  });

  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name every step, event, clock, advice reason and grouping in %s', (_locale, messages) => {
    const { incidents } = messages;
    const named = (section: Record<string, string>, values: readonly string[]) => values.filter((value) => !section[value]);
    expect(named(incidents.step, [...INCIDENT_ACTIONS, 'rate'])).toEqual([]);
    expect(named(incidents.event, INCIDENT_EVENT_KINDS)).toEqual([]);
    expect(named(incidents.measure, SLA_MEASURES)).toEqual([]);
    expect(named(incidents.sla.state, Object.keys(SLA_STATES))).toEqual([]);
    expect(named(incidents.reason, Object.keys(ADVICE_REASONS))).toEqual([]);
    expect(named(incidents.levels.group, SERVICE_LEVEL_GROUPS)).toEqual([]);
  });
});

describe('alert, maintenance and notification texts', () => {
  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name every value of every alert, maintenance and delivery vocabulary in %s', async (_locale, messages) => {
    const shared = await import('@fleet/shared');
    const { alerts, maintenance, notifications } = messages;
    const missing = (section: Record<string, string>, values: readonly string[]) => values.filter((value) => !/\S/.test(section[value] ?? ''));
    expect({
      kind: missing(alerts.kind, shared.ALERT_RULE_KINDS),
      kindHelp: missing(alerts.kindHelp, shared.ALERT_RULE_KINDS),
      severity: missing(alerts.severity, shared.ALERT_SEVERITIES),
      state: missing(alerts.state, shared.ALERT_STATES),
      subjectType: missing(alerts.subjectType, shared.ALERT_SUBJECT_TYPES),
      channel: missing(alerts.channel, shared.ALERT_CHANNELS),
      param: missing(alerts.param, Object.values(shared.RULE_PARAMS).flat()),
      paramWords: missing(alerts.paramWords, Object.values(shared.RULE_PARAMS).flat()),
      maintenanceKind: missing(maintenance.kind, shared.MAINTENANCE_KINDS),
      counter: missing(maintenance.counter, shared.USAGE_COUNTERS),
      anchor: missing(maintenance.anchor, shared.SCHEDULE_ANCHORS),
      anchorHelp: missing(maintenance.anchorHelp, shared.SCHEDULE_ANCHORS),
      unit: missing(maintenance.unit, shared.INTERVAL_UNITS),
      taskStatus: missing(maintenance.status, shared.MAINTENANCE_TASK_STATUSES),
      scope: missing(maintenance.scope, shared.MAINTENANCE_SCOPES),
      result: missing(maintenance.result, shared.CHECKLIST_RESULTS),
      standing: missing(maintenance.standing, shared.VERSION_STANDINGS),
      delivery: missing(notifications.delivery.status, shared.DELIVERY_STATUSES),
    }).toEqual({
      kind: [],
      kindHelp: [],
      severity: [],
      state: [],
      subjectType: [],
      channel: [],
      param: [],
      paramWords: [],
      maintenanceKind: [],
      counter: [],
      anchor: [],
      anchorHelp: [],
      unit: [],
      taskStatus: [],
      scope: [],
      result: [],
      standing: [],
      delivery: [],
    });
  });

  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name both reasons a task falls due in %s', (_locale, messages) => {
    // A record, so that a new reason fails the type check until it is named here too.
    const DUE_REASONS: Record<DueReason, true> = { time: true, usage: true };
    for (const reason of Object.keys(DUE_REASONS) as DueReason[]) expect(messages.maintenance.dueReason[reason]).toMatch(/\S/);
  });
});
