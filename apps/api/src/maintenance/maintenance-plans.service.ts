/**
 * Maintenance plans (维护计划): what to do, to which terminals, and when.
 * Every write is checked (scope fields, an impossible trigger, unknown
 * references, the user's region) before anything is stored, and is audited
 * with optimistic concurrency. Deactivating a plan cancels its open tasks;
 * narrowing its scope cancels those of the terminals left out.
 */
import { Injectable, Logger } from '@nestjs/common';
import {
  MAINTENANCE_LIMITS,
  triggerProblem,
  type MaintenancePlanResponse,
  type Page,
} from '@fleet/shared';
import { AuditedWriter, type AuditedRecordSpec } from '../audit/audited-writer';
import { CatalogService } from '../catalog/catalog.service';
import { pageOf } from '../common/api-dtos';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { presentFields, timestamps } from '../common/mapping';
import { requestScope, withinScope, type RegionScope } from '../common/request-scope';
import { TransactionRunner } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import { TerminalsService } from '../terminals/terminals.service';
import { triggerOf } from './maintenance-generation';
import { MaintenanceGenerationService } from './maintenance-generation.service';
import { MaintenancePlanEntity } from './maintenance-plan.entity';
import { MaintenancePlansRepository } from './maintenance-plans.repository';
import { checklistLabelsProblem, scopeProblem, type RuleProblem } from './maintenance-rules';
import { MaintenanceTasksRepository } from './maintenance-tasks.repository';
import type { CreateMaintenancePlanDto, ListMaintenancePlansQueryDto, UpdateMaintenancePlanDto } from './maintenance.dto';

type PlanFields = Omit<MaintenancePlanEntity, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'model' | 'region'>;

export const PLAN_RECORD: AuditedRecordSpec<MaintenancePlanEntity> = {
  entity: MaintenancePlanEntity,
  type: 'maintenance_plan',
  fields: [
    'name',
    'kind',
    'description',
    'checklist',
    'scope',
    'modelId',
    'regionId',
    'category',
    'terminalIds',
    'startDate',
    'anchor',
    'interval',
    'intervalUnit',
    'usageCounter',
    'usageEvery',
    'leadDays',
    'active',
  ],
  label: (plan) => plan.name,
};

export function toMaintenancePlanResponse(plan: MaintenancePlanEntity): MaintenancePlanResponse {
  return {
    id: plan.id,
    name: plan.name,
    kind: plan.kind,
    description: plan.description,
    checklist: plan.checklist,
    scope: plan.scope,
    model: plan.modelId ? { id: plan.modelId, name: plan.model?.name ?? '' } : null,
    region: plan.regionId ? { id: plan.regionId, name: plan.region?.name ?? '', code: plan.region?.code ?? '' } : null,
    category: plan.category,
    terminalIds: plan.terminalIds,
    startDate: plan.startDate,
    anchor: plan.anchor,
    interval: plan.interval,
    intervalUnit: plan.intervalUnit,
    usageCounter: plan.usageCounter,
    usageEvery: plan.usageEvery,
    leadDays: plan.leadDays,
    active: plan.active,
    activeSince: plan.activeSince,
    ...timestamps(plan),
  };
}

const invalid = (problem: RuleProblem) => DomainException.invalidField(problem.field, problem.code, problem.message);

@Injectable()
export class MaintenancePlansService {
  private readonly logger = new Logger(MaintenancePlansService.name);

  constructor(
    private readonly repository: MaintenancePlansRepository,
    private readonly tasks: MaintenanceTasksRepository,
    private readonly generation: MaintenanceGenerationService,
    private readonly catalog: CatalogService,
    private readonly regions: RegionsService,
    private readonly terminals: TerminalsService,
    private readonly writer: AuditedWriter,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** The plans the user sees, by name: all of them, or for a user limited to a region those that can reach it. */
  async list(query: ListMaintenancePlansQueryDto): Promise<Page<MaintenancePlanResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const plans = await this.repository.list({ active: query.active, kind: query.kind });
    const visible = await this.visibleTo(requestScope(), plans);
    return { items: visible.slice(offset, offset + pageSize).map(toMaintenancePlanResponse), total: visible.length, page, pageSize };
  }

  /** A plan by id; one that cannot reach the user's region is not found. */
  async getPlan(id: number): Promise<MaintenancePlanEntity> {
    const plan = await this.repository.findById(id);
    if (!plan || (await this.visibleTo(requestScope(), [plan])).length === 0) throw new DomainException('MAINTENANCE_PLAN_NOT_FOUND', `No maintenance plan ${id}`);
    return plan;
  }

  async describe(id: number): Promise<MaintenancePlanResponse> {
    return toMaintenancePlanResponse(await this.getPlan(id));
  }

  activePlans(): Promise<MaintenancePlanEntity[]> {
    return this.repository.list({ active: true });
  }

  async create(actor: Actor, request: CreateMaintenancePlanDto): Promise<MaintenancePlanResponse> {
    const today = this.clock.today();
    const fields: PlanFields = {
      name: request.name,
      kind: request.kind,
      description: request.description ?? null,
      checklist: request.checklist,
      scope: request.scope,
      modelId: request.modelId ?? null,
      regionId: request.regionId ?? null,
      category: request.category ?? null,
      terminalIds: request.terminalIds ?? null,
      startDate: request.startDate ?? today,
      anchor: request.anchor,
      interval: request.interval ?? null,
      intervalUnit: request.intervalUnit ?? 'days',
      usageCounter: request.usageCounter ?? null,
      usageEvery: request.usageEvery ?? null,
      leadDays: request.leadDays ?? MAINTENANCE_LIMITS.defaultLeadDays,
      active: request.active ?? true,
      activeSince: today,
      scopeSince: today,
    };
    await this.check(fields);
    const plan = await this.writer.create(actor, PLAN_RECORD, fields);
    this.logger.log(`Maintenance plan ${plan.id} "${plan.name}" created by ${actor.username}`);
    return this.describe(plan.id);
  }

  async update(actor: Actor, id: number, request: UpdateMaintenancePlanDto, version: number): Promise<MaintenancePlanResponse> {
    const before = await this.getPlan(id);
    await this.assertWritable(before);
    const { version: _version, ...given } = presentFields(request) as Partial<PlanFields> & { version?: number };
    // Changing the scope clears the fields of the former one.
    const scopeCleared = given.scope !== undefined && given.scope !== before.scope ? { modelId: null, regionId: null, category: null, terminalIds: null } : {};
    const after: PlanFields = { ...before, ...scopeCleared, ...given };
    await this.check(after);
    const today = this.clock.today();
    const scopeChanged = (['scope', 'modelId', 'regionId', 'category', 'terminalIds'] as const).some((field) => JSON.stringify(after[field]) !== JSON.stringify(before[field]));
    const changes: Partial<PlanFields> = { ...scopeCleared, ...given };
    if (scopeChanged) changes.scopeSince = today;
    if (after.active && !before.active) changes.activeSince = today;
    const now = this.clock.now();
    const newScope = scopeChanged ? await this.generation.scopeFilter(after) : null;
    const cancelled = await this.transactions.run(async (tx) => {
      await this.writer.update(actor, PLAN_RECORD, before, version, changes, tx);
      if (!after.active && before.active) return this.tasks.cancelOpen(tx, id, null, today, 'plan deactivated', now);
      if (after.active && !before.active) await this.tasks.clearUsageBaselines(tx, id);
      if (newScope) return this.tasks.cancelOpen(tx, id, newScope, today, 'terminal no longer in the plan’s scope', now);
      return 0;
    });
    if (cancelled > 0) this.logger.log(`Maintenance plan ${id}: ${cancelled} open tasks cancelled`);
    return this.describe(id);
  }

  async remove(actor: Actor, id: number): Promise<void> {
    const plan = await this.getPlan(id);
    await this.assertWritable(plan);
    if (await this.tasks.hasHistory(id)) {
      throw new DomainException('RECORD_IN_USE', `The plan "${plan.name}" has tasks done or skipped; deactivate it instead of deleting it`);
    }
    await this.writer.remove(actor, PLAN_RECORD, plan);
    this.logger.log(`Maintenance plan ${id} "${plan.name}" deleted by ${actor.username}`);
  }

  /** Generates the plan's due tasks now (for a manager who just created it), as the scheduler would. */
  async generateNow(actor: Actor, id: number): Promise<{ generated: number }> {
    const plan = await this.getPlan(id);
    await this.assertWritable(plan);
    if (!plan.active) throw new DomainException('CONFLICT', `The plan "${plan.name}" is inactive; activate it first`);
    const generated = await this.generation.generate(plan);
    this.logger.log(`Maintenance plan ${id}: ${generated} tasks generated on request of ${actor.username}`);
    return { generated };
  }

  /** Everything a plan must satisfy before it is stored, in the order a form shows it. */
  private async check(fields: PlanFields): Promise<void> {
    const problem = checklistLabelsProblem(fields.checklist) ?? scopeProblem(fields) ?? triggerProblem(triggerOf(fields));
    if (problem) throw invalid(problem);
    const scope = requestScope();
    if (scope && (fields.scope === 'model' || fields.scope === 'category')) {
      throw new DomainException('FORBIDDEN', 'A plan on a model or a category covers the whole fleet; a user limited to a region plans for that region or for its terminals');
    }
    if (fields.modelId !== null) await this.reference('modelId', () => this.catalog.getModel(fields.modelId!));
    if (fields.regionId !== null) {
      const region = await this.reference('regionId', () => this.regions.getRegion(fields.regionId!));
      if (!withinScope(scope, region.path)) throw DomainException.invalidField('regionId', 'outsideScope', 'regionId: outside the region you are limited to');
    }
    if (fields.terminalIds !== null) {
      const known = await this.terminalPaths(fields.terminalIds);
      // A terminal outside the user's region is unknown to them.
      const missing = fields.terminalIds.filter((terminalId) => {
        const path = known.get(terminalId);
        return path === undefined || !withinScope(scope, path);
      });
      if (missing.length > 0) {
        throw DomainException.invalidField('terminalIds', 'notFound', `terminalIds: no terminal ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`);
      }
    }
  }

  /** A reference the request names that does not exist is a 400 naming the field (the plan is what is invalid). */
  private async reference<T>(field: string, find: () => Promise<T>): Promise<T> {
    try {
      return await find();
    } catch (error) {
      if (error instanceof DomainException && error.status === 404) throw DomainException.invalidField(field, 'notFound', `${field} refers to no existing record`);
      throw error;
    }
  }

  /** A user limited to a region changes only plans that stay inside it. */
  private async assertWritable(plan: MaintenancePlanEntity): Promise<void> {
    const scope = requestScope();
    if (!scope) return;
    const inside =
      (plan.scope === 'region' && plan.region !== null && plan.region !== undefined && withinScope(scope, plan.region.path)) ||
      (plan.scope === 'terminals' && [...(await this.terminalPaths(plan.terminalIds ?? [])).values()].every((path) => withinScope(scope, path)));
    if (!inside) throw new DomainException('FORBIDDEN', 'This plan reaches beyond the region you are limited to');
  }

  /** Model and category plans reach every region; a region plan its ancestors and sub-regions; a list plan the regions of its terminals. */
  private async visibleTo(scope: RegionScope | null, plans: MaintenancePlanEntity[]): Promise<MaintenancePlanEntity[]> {
    if (!scope) return plans;
    const listed = await this.terminalPaths(plans.flatMap((plan) => plan.terminalIds ?? []));
    return plans.filter((plan) => {
      if (plan.scope === 'model' || plan.scope === 'category') return true;
      if (plan.scope === 'region') return plan.region !== null && plan.region !== undefined && (plan.region.path.startsWith(scope.path) || scope.path.startsWith(plan.region.path));
      return (plan.terminalIds ?? []).some((terminalId) => withinScope(scope, listed.get(terminalId) ?? '\u0000'));
    });
  }

  /** Region paths of existing terminals, by terminal id. */
  private async terminalPaths(terminalIds: number[]): Promise<Map<number, string>> {
    if (terminalIds.length === 0) return new Map();
    const [rows, regions] = await Promise.all([this.terminals.attributesOf([...new Set(terminalIds)]), this.regions.regionTree()]);
    const pathOf = new Map(regions.map((region) => [region.id, region.path]));
    return new Map(rows.map((row) => [row.id, pathOf.get(row.regionId) ?? '\u0000']));
  }
}
