/**
 * Task generation for one plan: its deployed terminals a chunk at a time
 * (a plan on a model of 100,000 terminals is a hundred chunks of a few
 * queries each, never a query per terminal), each terminal's next task
 * decided by generationStep, and each chunk written in one transaction.
 * A run cut short leaves whole chunks behind; the next run recomputes from
 * what was stored and inserts only what is missing.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { IsoDate } from '@fleet/shared';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction';
import { LiveHealthService } from '../heartbeats/live-health.service';
import { RegionsService } from '../regions/regions.service';
import { generationStep, triggerOf, type PlanForGeneration } from './maintenance-generation';
import type { MaintenancePlanEntity } from './maintenance-plan.entity';
import type { MaintenanceProgressEntity } from './maintenance-progress.entity';
import { MaintenanceTasksRepository, type NewTask, type PlanScopeFilter } from './maintenance-tasks.repository';

/** Terminals per chunk: one keyset page, two grouped reads, one transaction. */
export const GENERATION_CHUNK = 1_000;

const NO_HISTORY = { lastDueDate: null, lastClosedOn: null, open: false };

@Injectable()
export class MaintenanceGenerationService {
  private readonly logger = new Logger(MaintenanceGenerationService.name);

  constructor(
    private readonly repository: MaintenanceTasksRepository,
    private readonly regions: RegionsService,
    private readonly live: LiveHealthService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** The plan's scope as the generation and the cancellations test it in SQL. */
  async scopeFilter(plan: Pick<MaintenancePlanEntity, 'scope' | 'modelId' | 'regionId' | 'category' | 'terminalIds'>): Promise<PlanScopeFilter> {
    switch (plan.scope) {
      case 'model':
        return { kind: 'model', modelId: plan.modelId! };
      case 'category':
        return { kind: 'category', category: plan.category! };
      case 'terminals':
        return { kind: 'terminals', ids: plan.terminalIds ?? [] };
      case 'region':
        return { kind: 'region', path: (await this.regions.getRegion(plan.regionId!)).path };
    }
  }

  /**
   * Generates the plan's tasks due within its lead days, as of the clock's
   * today; returns how many were created. `stopping` is asked between chunks
   * (the API is shutting down).
   */
  async generate(plan: MaintenancePlanEntity, stopping: () => boolean = () => false): Promise<number> {
    const today = this.clock.today();
    const scope = await this.scopeFilter(plan);
    const rules: PlanForGeneration = { trigger: triggerOf(plan), leadDays: plan.leadDays, activeSince: plan.activeSince, scopeSince: plan.scopeSince };
    let after = 0;
    let generated = 0;
    let seen = 0;
    while (!stopping()) {
      const terminals = await this.repository.deployedInScope(scope, after, GENERATION_CHUNK);
      if (terminals.length === 0) break;
      after = terminals[terminals.length - 1]!.id;
      seen += terminals.length;
      generated += await this.chunk(plan, rules, terminals, today);
    }
    this.logger.debug(`Plan ${plan.id}: ${seen} deployed terminals in scope, ${generated} tasks generated`);
    return generated;
  }

  private async chunk(plan: MaintenancePlanEntity, rules: PlanForGeneration, terminals: { id: number; changedOn: IsoDate }[], today: IsoDate): Promise<number> {
    const { progress, history } = await this.repository.standings(
      plan.id,
      terminals.map((terminal) => terminal.id),
    );
    const joins: MaintenanceProgressEntity[] = [];
    const baselines: [number, number][] = [];
    const tasks: NewTask[] = [];
    for (const terminal of terminals) {
      const step = generationStep(
        rules,
        { terminalId: terminal.id, changedOn: terminal.changedOn, progress: progress.get(terminal.id) ?? null, history: history.get(terminal.id) ?? NO_HISTORY, usageNow: this.usage(plan, terminal.id) },
        today,
      );
      if (step.join) joins.push({ planId: plan.id, terminalId: terminal.id, ...step.join });
      if (step.baseline !== null) baselines.push([terminal.id, step.baseline]);
      if (step.task) tasks.push({ terminalId: terminal.id, dueDate: step.task.dueDate, dueReason: step.task.reason });
    }
    if (joins.length === 0 && baselines.length === 0 && tasks.length === 0) return 0;
    const now = this.clock.now();
    return this.transactions.run((tx) => this.repository.writeChunk(tx, plan.id, { joins, baselines, tasks }, now));
  }

  /** The plan's usage counter of a terminal now; null without a counter on the plan or a report from the terminal. */
  usage(plan: Pick<MaintenancePlanEntity, 'usageCounter'>, terminalId: number): number | null {
    return plan.usageCounter ? (this.live.usage(terminalId)?.[plan.usageCounter] ?? null) : null;
  }
}
