/** Alerts, their rules, users' subscriptions and maintenance windows: the requests and answers of /api/v1/alerts… */
import type { PageQuery } from '../common/pagination';
import type { Role } from '../auth/roles';
import type { IsoDate, IsoDateTime, Ref } from '../terminals/terminals.contracts';
import type { TerminalStatus } from '../terminals/lifecycle';
import type { AlertRuleKind, AlertSeverity, AlertState, AlertSubjectType } from './alert-lifecycle';

/** Days ahead at which warranty and policy reminders go out, by default (each rule can set its own). */
export const DEFAULT_EXPIRY_WINDOWS = [30, 60, 90, 180] as const;

/**
 * What each kind of rule is given:
 * - minutes: how long the condition must hold (terminal offline/degraded/battery/paper/errors)
 * - windows: days ahead for warranty/policy reminders
 * - minimum: spares a region should hold; minDeployed: only regions with at least that many deployed terminals
 */
export interface AlertRuleParams {
  minutes?: number;
  windows?: number[];
  minimum?: number;
  minDeployed?: number;
}

/** Which parameters each kind needs. */
export const RULE_PARAMS: Readonly<Record<AlertRuleKind, readonly (keyof AlertRuleParams)[]>> = {
  terminal_offline: ['minutes'],
  terminal_degraded: ['minutes'],
  battery_low: ['minutes'],
  paper_out: ['minutes'],
  recurring_error: ['minutes'],
  ticket_sla_breach: [],
  maintenance_overdue: [],
  warranty_expiring: ['windows'],
  policy_expiring: ['windows'],
  spare_pool_low: ['minimum', 'minDeployed'],
};

export const TERMINAL_ALERT_KINDS: readonly AlertRuleKind[] = ['terminal_offline', 'terminal_degraded', 'battery_low', 'paper_out', 'recurring_error'];

export interface CreateAlertRuleRequest {
  kind: AlertRuleKind;
  name: string;
  severity: AlertSeverity;
  enabled?: boolean;
  params?: AlertRuleParams;
  /** Notify again while unacknowledged (null: once). */
  repeatMinutes?: number | null;
  /** Escalate once when unacknowledged this long (null: never). */
  escalateAfterMinutes?: number | null;
  /** Whom an escalation also reaches: the email subscribers with this role. */
  escalateToRole?: Role | null;
  /** Terminal alerts are not raised while the terminal has an open fault ticket (someone is on it). */
  suppressWithOpenTicket?: boolean;
}

export type UpdateAlertRuleRequest = Partial<Omit<CreateAlertRuleRequest, 'kind'>> & { version?: number };

export interface AlertRuleResponse {
  id: number;
  kind: AlertRuleKind;
  name: string;
  severity: AlertSeverity;
  enabled: boolean;
  params: AlertRuleParams;
  repeatMinutes: number | null;
  escalateAfterMinutes: number | null;
  escalateToRole: Role | null;
  suppressWithOpenTicket: boolean;
  openAlerts: number;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface ListAlertsQuery extends PageQuery {
  /** Default: open and acknowledged. */
  state?: AlertState[];
  severity?: AlertSeverity[];
  kind?: AlertRuleKind[];
  /** Includes sub-regions. */
  regionId?: number;
  subjectType?: AlertSubjectType;
  subjectId?: number;
  assigneeId?: number;
}

export interface AlertResponse {
  id: number;
  rule: Ref & { kind: AlertRuleKind };
  severity: AlertSeverity;
  state: AlertState;
  subject: { type: AlertSubjectType; id: number; label: string };
  /** What tells two alerts of one rule and subject apart: the end date of an expiry reminder (its current window is details.window), the clock of a service-level breach (respond, restore, repair); '' otherwise. */
  variant: string;
  region: (Ref & { code: string }) | null;
  /** When the condition began (offline since, due date, warranty end...). */
  since: IsoDateTime;
  raisedAt: IsoDateTime;
  acknowledgedAt: IsoDateTime | null;
  acknowledgedBy: string | null;
  assignee: Ref | null;
  escalatedAt: IsoDateTime | null;
  notifyCount: number;
  lastNotifiedAt: IsoDateTime | null;
  resolvedAt: IsoDateTime | null;
  /** null: resolved by itself when the cause cleared. */
  resolvedBy: string | null;
  details: Record<string, unknown>;
  note: string | null;
  version: number;
}

export interface AlertSummaryResponse {
  open: Record<AlertSeverity, number>;
  acknowledged: number;
  byKind: Partial<Record<AlertRuleKind, number>>;
}

export interface AcknowledgeAlertRequest {
  version?: number;
  note?: string | null;
}

export interface AssignAlertRequest {
  version?: number;
  assigneeId: number | null;
}

export const ALERT_CHANNELS = ['email', 'dashboard'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** One channel of a user's alert preferences. */
export interface AlertSubscription {
  channel: AlertChannel;
  enabled: boolean;
  /** For email. */
  address: string | null;
  /** Empty: every kind. */
  kinds: AlertRuleKind[];
  /** Empty: every region the user may see. */
  regionIds: number[];
  minSeverity: AlertSeverity;
}

export interface AlertSubscriptionsResponse {
  subscriptions: AlertSubscription[];
}

export interface PutAlertSubscriptionsRequest {
  subscriptions: AlertSubscription[];
}

/** While a window is on, alerts about its terminals (or its region's) are not raised. */
export interface CreateMaintenanceWindowRequest {
  regionId?: number | null;
  terminalId?: number | null;
  startsAt: IsoDateTime;
  endsAt: IsoDateTime;
  reason: string;
}

export interface MaintenanceWindowResponse {
  id: number;
  region: (Ref & { code: string }) | null;
  terminal: (Ref & { assetNumber: string }) | null;
  startsAt: IsoDateTime;
  endsAt: IsoDateTime;
  reason: string;
  createdBy: string;
  createdAt: IsoDateTime;
}

/** Warranties and insurance policies ending soon: the expiry report. */
export interface ExpiryReportQuery {
  withinDays?: number;
}

export interface ExpiryReportResponse {
  asOf: IsoDate;
  withinDays: number;
  warranties: { terminal: Ref & { assetNumber: string }; model: Ref; region: Ref; warrantyEnd: IsoDate; daysLeft: number; status: TerminalStatus; acknowledged: boolean }[];
  policies: { policy: Ref & { policyNumber: string }; endDate: IsoDate; daysLeft: number; terminalCount: number; acknowledged: boolean }[];
}
