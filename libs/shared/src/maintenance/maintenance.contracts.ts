/**
 * Maintenance plans and tasks (维护计划/巡检) and firmware/app compliance:
 * the requests and answers of /api/v1/maintenance. When a plan's next task
 * falls due is decided by maintenance-schedule.ts.
 */
import type { PageQuery } from '../common/pagination';
import type { TerminalCategory, TerminalStatus } from '../terminals/lifecycle';
import type { IsoDate, IsoDateTime, Ref } from '../terminals/terminals.contracts';
import type { DueReason, IntervalUnit, MaintenanceKind, ScheduleAnchor, UsageCounter } from './maintenance-schedule';

/** Which terminals a plan covers: one model, a region with its sub-regions, a category, or a list of terminals. */
export const MAINTENANCE_SCOPES = ['model', 'region', 'category', 'terminals'] as const;
export type MaintenanceScope = (typeof MAINTENANCE_SCOPES)[number];

/**
 * open: to do (possibly postponed); done: completed with its checklist;
 * skipped: not needed this time (closes the cycle like a completion);
 * cancelled: the plan was deactivated or no longer covers the terminal.
 */
export const MAINTENANCE_TASK_STATUSES = ['open', 'done', 'skipped', 'cancelled'] as const;
export type MaintenanceTaskStatus = (typeof MAINTENANCE_TASK_STATUSES)[number];

export const CHECKLIST_RESULTS = ['ok', 'issue', 'not_applicable'] as const;
export type ChecklistResult = (typeof CHECKLIST_RESULTS)[number];

/** The steps of an open task; a closed task allows none. */
export const MAINTENANCE_TASK_ACTIONS = ['assign', 'complete', 'postpone', 'skip'] as const;
export type MaintenanceTaskAction = (typeof MAINTENANCE_TASK_ACTIONS)[number];

export const MAINTENANCE_LIMITS = {
  nameLength: 120,
  checklistItems: 30,
  checklistItemLength: 200,
  planTerminals: 1_000,
  maxLeadDays: 90,
  defaultLeadDays: 14,
  maxUsageEvery: 1_000_000_000,
  reasonLength: 500,
  noteLength: 4_000,
  /** Longest span of one calendar request (a month view with the days around it). */
  calendarDays: 62,
  /** How far past its due date a task may be postponed. */
  postponeDays: 366,
} as const;

/** The fields of a plan, as sent when creating one. */
export interface CreateMaintenancePlanRequest {
  name: string;
  kind: MaintenanceKind;
  description?: string | null;
  /** Ordered item labels, each answered when the task is completed. */
  checklist: string[];
  scope: MaintenanceScope;
  /** Set with scope=model. */
  modelId?: number | null;
  /** Set with scope=region; includes its sub-regions. */
  regionId?: number | null;
  /** Set with scope=category. */
  category?: TerminalCategory | null;
  /** Set with scope=terminals. */
  terminalIds?: number[] | null;
  /** The calendar's origin; defaults to today. */
  startDate?: IsoDate;
  anchor: ScheduleAnchor;
  interval?: number | null;
  intervalUnit?: IntervalUnit;
  usageCounter?: UsageCounter | null;
  usageEvery?: number | null;
  /** Tasks are generated this many days before they fall due (default 14). */
  leadDays?: number;
  active?: boolean;
}

export type UpdateMaintenancePlanRequest = Partial<CreateMaintenancePlanRequest> & { version?: number };

export interface MaintenancePlanResponse {
  id: number;
  name: string;
  kind: MaintenanceKind;
  description: string | null;
  checklist: string[];
  scope: MaintenanceScope;
  model: Ref | null;
  region: (Ref & { code: string }) | null;
  category: TerminalCategory | null;
  terminalIds: number[] | null;
  startDate: IsoDate;
  anchor: ScheduleAnchor;
  interval: number | null;
  intervalUnit: IntervalUnit;
  usageCounter: UsageCounter | null;
  usageEvery: number | null;
  leadDays: number;
  active: boolean;
  /** Since when the plan runs (created or last reactivated). */
  activeSince: IsoDate;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface ListMaintenancePlansQuery extends PageQuery {
  active?: boolean;
  kind?: MaintenanceKind;
}

export interface GenerateMaintenanceTasksResponse {
  generated: number;
}

export interface ChecklistItemResult {
  item: string;
  result: ChecklistResult;
  note?: string | null;
}

export interface MaintenanceTaskResponse {
  id: number;
  plan: Ref & { kind: MaintenanceKind };
  terminal: { id: number; assetNumber: string; status: TerminalStatus };
  region: Ref & { code: string };
  /** The calendar point the task was generated for. */
  dueDate: IsoDate;
  dueReason: DueReason;
  postponedTo: IsoDate | null;
  postponeReason: string | null;
  /** When it is due now: postponedTo, or dueDate. */
  effectiveDueDate: IsoDate;
  /** Open and its effective due date has passed. */
  overdue: boolean;
  status: MaintenanceTaskStatus;
  assignee: (Ref & { username: string }) | null;
  /** What completing it asks for: the plan's checklist (while open) or the answers given. */
  checklist: string[];
  results: Required<ChecklistItemResult>[] | null;
  note: string | null;
  /** The day it was done, skipped or cancelled, and why (skip, cancel). */
  closedOn: IsoDate | null;
  closeReason: string | null;
  completedAt: IsoDateTime | null;
  completedBy: { id: number | null; username: string } | null;
  actions: MaintenanceTaskAction[];
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface ListMaintenanceTasksQuery extends PageQuery {
  status?: MaintenanceTaskStatus[];
  overdue?: boolean;
  /** On the effective due date, inclusive. */
  dueFrom?: IsoDate;
  dueTo?: IsoDate;
  /** Includes sub-regions. */
  regionId?: number;
  assigneeId?: number;
  planId?: number;
  terminalId?: number;
}

export interface MaintenanceCalendarQuery {
  from: IsoDate;
  to: IsoDate;
  regionId?: number;
  assigneeId?: number;
  planId?: number;
}

/** Tasks by their effective due date; overdue is the part of open that is late. */
export interface MaintenanceCalendarDay {
  date: IsoDate;
  open: number;
  overdue: number;
  done: number;
  skipped: number;
  cancelled: number;
}

export interface MaintenanceCalendarResponse {
  from: IsoDate;
  to: IsoDate;
  today: IsoDate;
  days: MaintenanceCalendarDay[];
}

export interface MaintenanceTaskStepRequest {
  version?: number;
}

export interface AssignMaintenanceTaskRequest extends MaintenanceTaskStepRequest {
  /** A user who may work on maintenance; null to unassign. */
  assigneeId: number | null;
}

export interface CompleteMaintenanceTaskRequest extends MaintenanceTaskStepRequest {
  /** One answer per checklist item, matched by label. */
  results: ChecklistItemResult[];
  note?: string | null;
}

export interface PostponeMaintenanceTaskRequest extends MaintenanceTaskStepRequest {
  to: IsoDate;
  reason: string;
}

export interface SkipMaintenanceTaskRequest extends MaintenanceTaskStepRequest {
  reason: string;
}

/** on_target also when the model sets no target; unknown: the terminal record holds no version. */
export const VERSION_STANDINGS = ['on_target', 'behind', 'unknown'] as const;
export type VersionStanding = (typeof VERSION_STANDINGS)[number];

/** Deployed terminals of one model against its health policy's target firmware and app versions. */
export interface ModelComplianceResponse {
  model: Ref;
  targetFirmwareVersion: string | null;
  targetAppVersion: string | null;
  deployed: number;
  onTarget: number;
  /** Older than a target in firmware or app. */
  behind: number;
  /** Not behind, but a targeted version is not recorded. */
  unknown: number;
  /** onTarget / deployed; null without a target or without deployed terminals. */
  share: number | null;
}

export interface MaintenanceComplianceResponse {
  asOf: IsoDateTime;
  models: ModelComplianceResponse[];
}

export interface BehindTerminalResponse {
  id: number;
  assetNumber: string;
  region: Ref & { code: string };
  firmwareVersion: string | null;
  appVersion: string | null;
  firmware: VersionStanding;
  app: VersionStanding;
}
