/**
 * Maintenance tasks (巡检任务): lists, the month calendar, and the steps of an
 * open task (assign, complete with its checklist, postpone, skip), each with
 * its version and an audit entry in the same transaction. A completion or a
 * skip closes the terminal's cycle on the plan: the next task counts from it
 * (from_completion plans) and so does the usage counter.
 */
import { Injectable, Logger } from '@nestjs/common';
import {
  addDaysTo,
  can,
  MAINTENANCE_LIMITS,
  type FieldChange,
  type MaintenanceCalendarDay,
  type MaintenanceCalendarResponse,
  type MaintenanceTaskAction,
  type MaintenanceTaskResponse,
  type Page,
} from '@fleet/shared';
import { diffFields } from '../audit/audit-diff';
import { AuditService } from '../audit/audit.service';
import { pageOf } from '../common/api-dtos';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { requestScope, withinScope } from '../common/request-scope';
import { versionConflict } from '../common/versioning';
import { TransactionRunner } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import { UsersService } from '../users/users.service';
import { MaintenanceGenerationService } from './maintenance-generation.service';
import { checklistAnswers, isOverdue, postponeProblem, taskActions } from './maintenance-rules';
import type { MaintenanceTaskEntity } from './maintenance-task.entity';
import { MaintenanceTasksRepository, type TaskFilter } from './maintenance-tasks.repository';
import type {
  AssignMaintenanceTaskDto,
  CompleteMaintenanceTaskDto,
  ListMaintenanceTasksQueryDto,
  MaintenanceCalendarQueryDto,
  PostponeMaintenanceTaskDto,
  SkipMaintenanceTaskDto,
} from './maintenance.dto';

/** An overdue task as an alert names it; dueDate is the effective one. */
export interface OverdueTask {
  id: number;
  planId: number;
  terminalId: number;
  regionId: number;
  dueDate: string;
  label: string;
}

type TaskChanges = Partial<Omit<MaintenanceTaskEntity, 'id' | 'version' | 'plan' | 'terminal' | 'assignee'>>;

/** What a step changes; `closes` when it ends the task's cycle (done, skipped); `reason` goes into the audit entry. */
interface StepOutcome {
  changes: TaskChanges;
  closes: boolean;
  reason?: string;
}

const AUDITED: readonly (keyof MaintenanceTaskEntity & string)[] = ['status', 'assigneeId', 'postponedTo', 'postponeReason', 'results', 'note', 'closedOn', 'closeReason'];

export function toMaintenanceTaskResponse(task: MaintenanceTaskEntity, today: string): MaintenanceTaskResponse {
  const terminal = task.terminal;
  return {
    id: task.id,
    plan: { id: task.planId, name: task.plan?.name ?? '', kind: task.plan?.kind ?? 'inspection' },
    terminal: { id: task.terminalId, assetNumber: terminal?.assetNumber ?? '', status: terminal?.status ?? 'deployed' },
    region: { id: terminal?.regionId ?? 0, name: terminal?.region?.name ?? '', code: terminal?.region?.code ?? '' },
    dueDate: task.dueDate,
    dueReason: task.dueReason,
    postponedTo: task.postponedTo,
    postponeReason: task.postponeReason,
    effectiveDueDate: task.effectiveDueDate,
    overdue: isOverdue(task, today),
    status: task.status,
    assignee: task.assigneeId ? { id: task.assigneeId, name: task.assignee?.displayName ?? '', username: task.assignee?.username ?? '' } : null,
    checklist: task.results ? task.results.map((answer) => answer.item) : (task.plan?.checklist ?? []),
    results: task.results,
    note: task.note,
    closedOn: task.closedOn,
    closeReason: task.closeReason,
    completedAt: task.completedAt ? task.completedAt.toISOString() : null,
    completedBy: task.completedByName ? { id: task.completedById, username: task.completedByName } : null,
    actions: taskActions(task.status),
    version: task.version,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

@Injectable()
export class MaintenanceService {
  private readonly logger = new Logger(MaintenanceService.name);

  constructor(
    private readonly repository: MaintenanceTasksRepository,
    private readonly generation: MaintenanceGenerationService,
    private readonly regions: RegionsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  // ---- reading

  async list(query: ListMaintenanceTasksQueryDto): Promise<Page<MaintenanceTaskResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const today = this.clock.today();
    const [rows, total] = await this.repository.list(await this.toFilter(query, today), offset, pageSize);
    return { items: rows.map((row) => toMaintenanceTaskResponse(row, today)), total, page, pageSize };
  }

  /** Counts per day and status for a month view; every day of the range is present. */
  async calendar(query: MaintenanceCalendarQueryDto): Promise<MaintenanceCalendarResponse> {
    if (query.to < query.from) throw DomainException.invalidField('to', 'beforeFrom', 'to must not be before from');
    if (query.to > addDaysTo(query.from, MAINTENANCE_LIMITS.calendarDays)) {
      throw DomainException.invalidField('to', 'tooFar', `to can be at most ${MAINTENANCE_LIMITS.calendarDays} days after from`);
    }
    const today = this.clock.today();
    const rows = await this.repository.calendar({ ...(await this.toFilter(query, today)), dueFrom: query.from, dueTo: query.to });
    const days = new Map<string, MaintenanceCalendarDay>();
    for (let date = query.from; date <= query.to; date = addDaysTo(date, 1)) days.set(date, { date, open: 0, overdue: 0, done: 0, skipped: 0, cancelled: 0 });
    for (const row of rows) {
      const day = days.get(row.date);
      if (!day) continue;
      day[row.status] += row.count;
      if (row.status === 'open' && row.date < today) day.overdue += row.count;
    }
    return { from: query.from, to: query.to, today, days: [...days.values()] };
  }

  /**
   * Open tasks past their effective due date on deployed terminals (a unit in
   * repair or in stock keeps its task but raises no alarm), for the alerts.
   */
  async overdueTasks(): Promise<OverdueTask[]> {
    return (await this.repository.overdueOnDeployed(this.clock.today())).map((row) => ({
      id: row.id,
      planId: row.planId,
      terminalId: row.terminalId,
      regionId: row.regionId,
      dueDate: row.effectiveDueDate,
      label: `${row.planName} · ${row.assetNumber}`,
    }));
  }

  /** A task by id; one whose terminal is outside the user's region is not found. */
  async getTask(id: number): Promise<MaintenanceTaskEntity> {
    const task = await this.repository.findById(id);
    if (!task || !withinScope(requestScope(), task.terminal?.region?.path ?? '')) throw new DomainException('MAINTENANCE_TASK_NOT_FOUND', `No maintenance task ${id}`);
    return task;
  }

  async describe(id: number): Promise<MaintenanceTaskResponse> {
    return toMaintenanceTaskResponse(await this.getTask(id), this.clock.today());
  }

  // ---- steps of an open task

  async assign(actor: Actor, id: number, request: AssignMaintenanceTaskDto, version: number): Promise<MaintenanceTaskResponse> {
    return this.step(actor, id, version, 'assign', async (task) => {
      if (request.assigneeId !== null) await this.assertAssignable(request.assigneeId, task);
      return { changes: { assigneeId: request.assigneeId }, closes: false };
    });
  }

  async complete(actor: Actor, id: number, request: CompleteMaintenanceTaskDto, version: number): Promise<MaintenanceTaskResponse> {
    return this.step(actor, id, version, 'complete', (task, now, today) => {
      const answers = checklistAnswers(task.plan?.checklist ?? [], request.results);
      if ('problem' in answers) throw DomainException.invalidField(answers.problem.field, answers.problem.code, answers.problem.message);
      return {
        changes: { status: 'done', results: answers.results, note: request.note ?? null, closedOn: today, completedAt: now, completedById: actor.id || null, completedByName: actor.username },
        closes: true,
      };
    });
  }

  async postpone(actor: Actor, id: number, request: PostponeMaintenanceTaskDto, version: number): Promise<MaintenanceTaskResponse> {
    return this.step(actor, id, version, 'postpone', (task, _now, today) => {
      const problem = postponeProblem(task, request.to, today);
      if (problem) throw DomainException.invalidField(problem.field, problem.code, problem.message);
      return { changes: { postponedTo: request.to, postponeReason: request.reason, effectiveDueDate: request.to }, closes: false, reason: request.reason };
    });
  }

  async skip(actor: Actor, id: number, request: SkipMaintenanceTaskDto, version: number): Promise<MaintenanceTaskResponse> {
    return this.step(actor, id, version, 'skip', (_task, _now, today) => ({ changes: { status: 'skipped', closedOn: today, closeReason: request.reason }, closes: true, reason: request.reason }));
  }

  // ---- machinery

  /** Checks the task is open and at `version`, builds the change, and writes it with its audit entry (and the usage baseline when it closes the cycle). */
  private async step(
    actor: Actor,
    id: number,
    version: number,
    action: MaintenanceTaskAction,
    build: (task: MaintenanceTaskEntity, now: Date, today: string) => StepOutcome | Promise<StepOutcome>,
  ): Promise<MaintenanceTaskResponse> {
    const task = await this.getTask(id);
    if (task.status !== 'open') {
      throw new DomainException('MAINTENANCE_TASK_INVALID_TRANSITION', `Maintenance task ${id} is ${task.status}; only an open task can be changed (${action})`, {
        status: task.status,
        action,
        allowed: taskActions(task.status),
      });
    }
    if (task.version !== version) throw versionConflict('maintenance task', id, task.version);
    const now = this.clock.now();
    const today = this.clock.today();
    const { changes, closes, reason } = await build(task, now, today);
    await this.transactions.run(async (tx) => {
      if (!(await this.repository.updateIfVersion(tx, id, version, { ...changes, updatedAt: now }))) throw versionConflict('maintenance task', id, task.version);
      const diff: Record<string, FieldChange> = diffFields({ ...task }, { ...task, ...changes }, AUDITED);
      await this.audit.record(tx, actor, [
        {
          entityType: 'maintenance_task',
          entityId: id,
          entityLabel: `${task.plan?.name ?? `plan ${task.planId}`} · ${task.terminal?.assetNumber ?? `terminal ${task.terminalId}`} · ${task.dueDate}`,
          action: closes ? 'transition' : 'update',
          changes: diff,
          reason: reason ?? null,
        },
      ]);
      if (closes && task.plan?.usageCounter) await this.repository.setUsageBaseline(tx, task.planId, task.terminalId, this.generation.usage(task.plan, task.terminalId));
    });
    if (closes) this.logger.log(`Maintenance task ${id}: open → ${changes.status} by ${actor.username}`);
    else this.logger.debug(`Maintenance task ${id}: ${action} by ${actor.username}`);
    return this.describe(id);
  }

  /** An active user who may work on maintenance and sees the task's terminal. */
  private async assertAssignable(userId: number, task: MaintenanceTaskEntity): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || !user.active || !can(user.role, 'maintenance:work')) {
      throw DomainException.invalidField('assigneeId', 'notAssignable', 'assigneeId: not an active user who works on maintenance');
    }
    if (user.regionId !== null) {
      const region = await this.regions.getRegion(user.regionId);
      if (!withinScope({ regionId: region.id, path: region.path }, task.terminal?.region?.path ?? '')) {
        throw DomainException.invalidField('assigneeId', 'outsideScope', 'assigneeId: the user is limited to a region that does not include this terminal');
      }
    }
  }

  private async toFilter(query: Omit<ListMaintenanceTasksQueryDto, 'page' | 'pageSize'>, today: string): Promise<TaskFilter> {
    return {
      status: query.status?.length ? query.status : undefined,
      overdue: query.overdue,
      today,
      dueFrom: query.dueFrom,
      dueTo: query.dueTo,
      regionPath: query.regionId ? (await this.regions.getRegion(query.regionId)).path : undefined,
      scopePath: requestScope()?.path,
      assigneeId: query.assigneeId,
      planId: query.planId,
      terminalId: query.terminalId,
    };
  }
}
