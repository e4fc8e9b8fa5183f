/**
 * Pure helpers of the alert pages: severity order, the realtime room a user
 * follows, the list filters read from the URL, live changes merged into the
 * list on screen, how long ago something began and how long a timing lasts,
 * an alert's variant and where its subject lives, a rule and a maintenance
 * window between their forms and requests. The pages translate what these
 * return.
 */
import {
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  ALERT_STATES,
  DEFAULT_EXPIRY_WINDOWS,
  RULE_PARAMS,
  SLA_MEASURES,
  type AlertResponse,
  type AlertRuleKind,
  type AlertRuleParams,
  type AlertRuleResponse,
  type AlertSeverity,
  type AlertState,
  type AlertSummaryResponse,
  type CreateAlertRuleRequest,
  type CreateMaintenanceWindowRequest,
  type ListAlertsQuery,
  type Page,
  type RealtimeRoom,
  type Role,
  type SlaMeasure,
} from '@fleet/shared';

// ---- severity

/** Most severe first. */
export const SEVERITIES_DOWN: readonly AlertSeverity[] = [...ALERT_SEVERITIES].reverse();

/** Negative when `a` is more severe than `b`, for sorting the worst first. */
export function bySeverity(a: AlertSeverity, b: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(b) - ALERT_SEVERITIES.indexOf(a);
}

export function openTotal(summary: AlertSummaryResponse | null): number {
  return summary ? ALERT_SEVERITIES.reduce((sum, severity) => sum + summary.open[severity], 0) : 0;
}

// ---- realtime

/** The whole fleet's alerts, or those of the region a user is limited to (the API refuses them the fleet's room). */
export function alertsRoom(scope: number | null): RealtimeRoom {
  return scope === null ? 'alerts' : `alerts:${scope}`;
}

// ---- the list's filters in the URL

export type RouteQuery = Record<string, unknown>;

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : undefined;
const listOf = <T extends string>(values: readonly T[], value: unknown): T[] | undefined => {
  const items = typeof value === 'string' ? value.split(',').flatMap((item) => oneOf(values, item) ?? []) : [];
  return items.length ? values.filter((v) => items.includes(v)) : undefined;
};
const id = (value: unknown): number | undefined => (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : undefined);

/** What the API lists without a state filter. */
export const LIVE_STATES: readonly AlertState[] = ['open', 'acknowledged'];

/** The filters a URL holds (`?severity=critical&state=resolved&regionId=3`); anything unknown is left out. */
export function alertFilters(query: RouteQuery): ListAlertsQuery {
  return {
    state: listOf(ALERT_STATES, query.state),
    severity: listOf(ALERT_SEVERITIES, query.severity),
    kind: listOf(ALERT_RULE_KINDS, query.kind),
    regionId: id(query.regionId),
    page: id(query.page),
  };
}

/** A region and every region under it, from the flat list of regions. */
export function regionSubtree(regions: readonly { id: number; parentId: number | null }[], rootId: number): Set<number> {
  const inside = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const region of regions) {
      if (region.parentId !== null && inside.has(region.parentId) && !inside.has(region.id)) {
        inside.add(region.id);
        grew = true;
      }
    }
  }
  return inside;
}

/** Whether an alert belongs in a list with these filters; `regions` is the filter region's subtree (null: no region filter). */
export function alertMatches(alert: AlertResponse, filters: ListAlertsQuery, regions: ReadonlySet<number> | null): boolean {
  if (!(filters.state?.length ? filters.state : LIVE_STATES).includes(alert.state)) return false;
  if (filters.severity?.length && !filters.severity.includes(alert.severity)) return false;
  if (filters.kind?.length && !filters.kind.includes(alert.rule.kind)) return false;
  if (filters.subjectType && alert.subject.type !== filters.subjectType) return false;
  if (filters.subjectId && alert.subject.id !== filters.subjectId) return false;
  if (filters.assigneeId && alert.assignee?.id !== filters.assigneeId) return false;
  return regions === null || (alert.region !== null && regions.has(alert.region.id));
}

/** Newest raised first, as the API lists them. */
const newestFirst = (a: AlertResponse, b: AlertResponse) => b.raisedAt.localeCompare(a.raisedAt) || b.id - a.id;

/**
 * A page of the list with pushed changes applied: a changed alert on the page
 * is replaced, or leaves it when it no longer matches (acknowledged while the
 * list shows open ones, resolved); a new match goes in at its place on the
 * first page (later pages only count it, their rows would shift).
 */
export function mergeAlerts(page: Page<AlertResponse>, changed: readonly AlertResponse[], matches: (alert: AlertResponse) => boolean): Page<AlertResponse> {
  const items = new Map(page.items.map((alert) => [alert.id, alert]));
  let total = page.total;
  for (const alert of changed) {
    const shown = items.has(alert.id);
    if (!matches(alert)) {
      if (shown) {
        items.delete(alert.id);
        total -= 1;
      }
      continue;
    }
    if (shown) items.set(alert.id, alert);
    else {
      total += 1;
      if (page.page === 1) items.set(alert.id, alert);
    }
  }
  return { ...page, items: [...items.values()].sort(newestFirst).slice(0, page.pageSize), total: Math.max(total, 0) };
}

// ---- time

export interface Ago {
  value: number;
  unit: 'second' | 'minute' | 'hour' | 'day';
}

/** How long ago a moment was, in the unit a reader expects (negative: in the past, as Intl.RelativeTimeFormat counts). */
export function ago(iso: string, now: number): Ago {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return { value: -seconds, unit: 'second' };
  if (seconds < 3600) return { value: -Math.floor(seconds / 60), unit: 'minute' };
  if (seconds < 48 * 3600) return { value: -Math.floor(seconds / 3600), unit: 'hour' };
  return { value: -Math.floor(seconds / 86_400), unit: 'day' };
}

// ---- what tells two alerts of one rule and subject apart

export type AlertVariant = { type: 'date'; iso: string } | { type: 'measure'; measure: SlaMeasure } | { type: 'text'; text: string };

/**
 * An alert's variant to show: the date a warranty or policy ends (one alert
 * per end date), the service-level clock a ticket broke, or as it comes;
 * null when there is none.
 */
export function alertVariant(kind: AlertRuleKind, variant: string): AlertVariant | null {
  if (!variant) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(variant)) return { type: 'date', iso: variant };
  if (kind === 'ticket_sla_breach' && (SLA_MEASURES as readonly string[]).includes(variant)) return { type: 'measure', measure: variant as SlaMeasure };
  return { type: 'text', text: variant };
}

// ---- durations

export type DurationUnit = 'day' | 'hour' | 'minute';

/** Minutes as days, hours and minutes, the zero parts left out (a day and 4 hours, not "1 d 4 h 0 min"); none as 0 minutes. */
export function durationParts(totalMinutes: number): { value: number; unit: DurationUnit }[] {
  const total = Math.max(0, Math.round(totalMinutes));
  const parts: { value: number; unit: DurationUnit }[] = [
    { value: Math.floor(total / 1440), unit: 'day' },
    { value: Math.floor((total % 1440) / 60), unit: 'hour' },
    { value: total % 60, unit: 'minute' },
  ];
  const shown = parts.filter((part) => part.value > 0);
  return shown.length ? shown : [{ value: 0, unit: 'minute' }];
}

// ---- subjects

export interface SubjectRoute {
  name: string;
  params?: Record<string, string | number>;
  query?: Record<string, string>;
}

/** Where an alert's subject is shown, as a route; null when it has no page of its own. */
export function subjectRoute(subject: AlertResponse['subject']): SubjectRoute | null {
  switch (subject.type) {
    case 'terminal':
      return { name: 'terminals-detail', params: { id: subject.id } };
    case 'incident':
      return { name: 'incidents-detail', params: { id: subject.id } };
    case 'maintenance_task':
      return { name: 'maintenance-tasks', query: { task: String(subject.id) } };
    case 'insurance_policy':
      return { name: 'catalog-list', params: { kind: 'insurance-policies' } };
    case 'region':
      return null;
  }
}

// ---- rule parameters and the rule form

/** What a number box holds: text, or a number (Vue's v-model reads a number box as a number when it parses). */
export type Typed = string | number;

/** A number as typed; empty is undefined, not a number goes as NaN (sent as null) so the API names the field. */
export function typedNumber(value: Typed): number | undefined {
  const text = String(value).trim();
  return text === '' ? undefined : Number(text);
}

/** The parameter fields as typed; `windows` is a list like "30, 60, 90". */
export type RuleParamsForm = Record<keyof AlertRuleParams, Typed>;

const typedText = (value: number | null | undefined): string => (value === undefined || value === null ? '' : String(value));

export function toParamsForm(params: AlertRuleParams): RuleParamsForm {
  return { minutes: typedText(params.minutes), windows: params.windows?.join(', ') ?? '', minimum: typedText(params.minimum), minDeployed: typedText(params.minDeployed) };
}

/** The kind's parameters from the form, and only those: the API refuses the others. Empty boxes are left out (the API says they are required). */
export function fromParamsForm(kind: AlertRuleKind, form: RuleParamsForm): AlertRuleParams {
  const params: AlertRuleParams = {};
  for (const key of RULE_PARAMS[kind]) {
    if (key === 'windows') {
      const days = String(form.windows).split(/[\s,，;；]+/).filter(Boolean).map(Number);
      if (days.length) params.windows = days;
    } else {
      const value = typedNumber(form[key]);
      if (value !== undefined) params[key] = value;
    }
  }
  return params;
}

/** A rule's parameters to say in words: one entry per parameter its kind uses, in the kind's order. */
export function paramEntries(kind: AlertRuleKind, params: AlertRuleParams): { key: keyof AlertRuleParams; value: number | number[] }[] {
  return RULE_PARAMS[kind].flatMap((key) => {
    const value = params[key];
    return value === undefined ? [] : [{ key, value: Array.isArray(value) ? [...value].sort((a, b) => a - b) : value }];
  });
}

export interface RuleForm {
  kind: AlertRuleKind;
  name: string;
  severity: AlertSeverity;
  enabled: boolean;
  params: RuleParamsForm;
  /** Empty: notify once; empty escalation: never. */
  repeatMinutes: Typed;
  escalateAfterMinutes: Typed;
  escalateToRole: Role | '';
  suppressWithOpenTicket: boolean;
}

/** The form of a rule to edit, or of a new one (with the kind's usual parameters filled in). */
export function toRuleForm(rule: AlertRuleResponse | null): RuleForm {
  if (!rule) {
    return {
      kind: 'terminal_offline',
      name: '',
      severity: 'warning',
      enabled: true,
      params: toParamsForm({ minutes: 60, windows: [...DEFAULT_EXPIRY_WINDOWS], minimum: 1, minDeployed: 0 }),
      repeatMinutes: '',
      escalateAfterMinutes: '',
      escalateToRole: '',
      suppressWithOpenTicket: true,
    };
  }
  return {
    kind: rule.kind,
    name: rule.name,
    severity: rule.severity,
    enabled: rule.enabled,
    params: toParamsForm(rule.params),
    repeatMinutes: typedText(rule.repeatMinutes),
    escalateAfterMinutes: typedText(rule.escalateAfterMinutes),
    escalateToRole: rule.escalateToRole ?? '',
    suppressWithOpenTicket: rule.suppressWithOpenTicket,
  };
}

/** The request of a form; an empty repeat or escalation is null (once, never). */
export function fromRuleForm(form: RuleForm): CreateAlertRuleRequest {
  const minutes = (value: Typed) => typedNumber(value) ?? null;
  return {
    kind: form.kind,
    name: form.name.trim(),
    severity: form.severity,
    enabled: form.enabled,
    params: fromParamsForm(form.kind, form.params),
    repeatMinutes: minutes(form.repeatMinutes),
    escalateAfterMinutes: minutes(form.escalateAfterMinutes),
    escalateToRole: form.escalateToRole || null,
    suppressWithOpenTicket: form.suppressWithOpenTicket,
  };
}

// ---- maintenance windows

/** A moment as a datetime-local input shows it, where the user is (YYYY-MM-DDTHH:mm). */
export function localDateTime(moment: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}T${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

/** A datetime-local value (the user's time) as an instant for the API; '' stays '' so the API names the field. */
export function instant(local: string): string {
  const moment = new Date(local);
  return local && !Number.isNaN(moment.getTime()) ? moment.toISOString() : local;
}

/** Whether a window is on at `now` (else it is coming). */
export function windowIsOn(window: { startsAt: string; endsAt: string }, now: number): boolean {
  return Date.parse(window.startsAt) <= now && now < Date.parse(window.endsAt);
}

export interface WindowForm {
  target: 'region' | 'terminal';
  regionId: number | '';
  /** A terminal is named by its asset number; the page finds its id. */
  assetNumber: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}

/** The request of a window form, for its region or for the terminal found. */
export function windowRequest(form: WindowForm, terminalId: number | null): CreateMaintenanceWindowRequest {
  return {
    ...(form.target === 'region' ? { regionId: form.regionId === '' ? null : form.regionId } : { terminalId }),
    startsAt: instant(form.startsAt),
    endsAt: instant(form.endsAt),
    reason: form.reason.trim(),
  };
}
