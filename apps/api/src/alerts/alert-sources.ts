/**
 * Where each kind of rule finds its conditions now: live health for terminal
 * alerts, tickets for service levels, maintenance tasks, warranties and
 * policies for expiry reminders, the spare pools. Each returns the subjects
 * for which the rule's condition holds, before suppression.
 */
import { Injectable } from '@nestjs/common';
import { DEFAULT_EXPIRY_WINDOWS, type AlertCondition, type DegradedReason, type HealthState } from '@fleet/shared';
import { addDays, Clock } from '../common/clock';
import { LiveHealthService } from '../heartbeats/live-health.service';
import { IncidentsService } from '../incidents/incidents.service';
import { MaintenanceService } from '../maintenance/maintenance.service';
import { RegionsService } from '../regions/regions.service';
import { TerminalsService } from '../terminals/terminals.service';
import { InsurancePoliciesService } from '../warranties/insurance-policies.service';
import type { AlertRuleEntity } from './alert-rule.entity';

/** A condition with the label the alert shows for its subject. */
export type LabelledCondition = AlertCondition & { label: string };

const TERMINAL_STATES: Record<string, { state: HealthState; reason: DegradedReason | null }> = {
  terminal_offline: { state: 'offline', reason: null },
  terminal_degraded: { state: 'degraded', reason: null },
  battery_low: { state: 'degraded', reason: 'low_battery' },
  paper_out: { state: 'degraded', reason: 'paper_out' },
  recurring_error: { state: 'degraded', reason: 'repeated_errors' },
};

const DAY_MS = 86_400_000;

/** The smallest reminder window that contains `daysLeft`. */
export function expiryWindow(daysLeft: number, windows: readonly number[]): number | null {
  return [...windows].sort((a, b) => a - b).find((window) => daysLeft <= window) ?? null;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

@Injectable()
export class AlertSources {
  constructor(
    private readonly live: LiveHealthService,
    private readonly terminals: TerminalsService,
    private readonly incidents: IncidentsService,
    private readonly maintenance: MaintenanceService,
    private readonly policies: InsurancePoliciesService,
    private readonly regions: RegionsService,
    private readonly clock: Clock,
  ) {}

  async conditions(rule: AlertRuleEntity): Promise<LabelledCondition[]> {
    const now = this.clock.now();
    const terminalState = TERMINAL_STATES[rule.kind];
    if (terminalState) {
      const found = this.live.longStandingDetails(terminalState.state, now.getTime() - (rule.params.minutes ?? 0) * 60_000, terminalState.reason);
      const labels = await this.assetNumbers(found.map((row) => row.id));
      return found.map((row) => ({
        subjectType: 'terminal',
        subjectId: row.id,
        variant: '',
        regionId: row.regionId,
        since: new Date(row.sinceMs),
        label: labels.get(row.id) ?? `#${row.id}`,
        details: { state: terminalState.state, reason: terminalState.reason, minutes: rule.params.minutes ?? 0 },
      }));
    }
    switch (rule.kind) {
      case 'ticket_sla_breach':
        return (await this.incidents.breachedTickets()).map((ticket) => ({
          subjectType: 'incident',
          subjectId: ticket.id,
          variant: ticket.measure,
          regionId: ticket.regionId,
          since: ticket.dueAt,
          label: ticket.number,
          details: { measure: ticket.measure, terminalId: ticket.terminalId, dueAt: ticket.dueAt.toISOString() },
        }));
      case 'maintenance_overdue':
        return (await this.maintenance.overdueTasks()).map((task) => ({
          subjectType: 'maintenance_task',
          subjectId: task.id,
          variant: '',
          regionId: task.regionId,
          since: new Date(`${task.dueDate}T00:00:00Z`),
          label: task.label,
          details: { terminalId: task.terminalId, planId: task.planId, dueDate: task.dueDate },
        }));
      case 'warranty_expiring':
        return this.warranties(rule.params.windows ?? [...DEFAULT_EXPIRY_WINDOWS]);
      case 'policy_expiring':
        return this.insurance(rule.params.windows ?? [...DEFAULT_EXPIRY_WINDOWS]);
      case 'spare_pool_low':
        return this.sparePools(rule.params.minimum ?? 1, rule.params.minDeployed ?? 1);
      default:
        throw new Error(`No source for ${rule.kind}`);
    }
  }

  /**
   * One alert per warranty end (the variant), raised when it enters the
   * widest window; `details.window` is the window it is in now, so the
   * evaluator reminds again as it enters each narrower one.
   */
  private async warranties(windows: readonly number[]): Promise<LabelledCondition[]> {
    const today = this.clock.today();
    const rows = await this.terminals.warrantyEnding(today, addDays(today, Math.max(...windows)));
    return rows.map((row) => {
      const daysLeft = daysBetween(today, row.warrantyEnd);
      const window = expiryWindow(daysLeft, windows)!;
      return {
        subjectType: 'terminal',
        subjectId: row.id,
        variant: row.warrantyEnd,
        regionId: row.regionId,
        since: new Date(Date.parse(`${row.warrantyEnd}T00:00:00Z`) - Math.max(...windows) * DAY_MS),
        label: row.assetNumber,
        details: { endDate: row.warrantyEnd, daysLeft, window },
      };
    });
  }

  private async insurance(windows: readonly number[]): Promise<LabelledCondition[]> {
    const today = this.clock.today();
    const last = addDays(today, Math.max(...windows));
    const policies = (await this.policies.list()).filter((policy) => policy.endDate >= today && policy.endDate <= last && policy.terminalCount > 0);
    return policies.map((policy) => {
      const daysLeft = daysBetween(today, policy.endDate);
      return {
        subjectType: 'insurance_policy',
        subjectId: policy.id,
        variant: policy.endDate,
        regionId: null,
        since: new Date(Date.parse(`${policy.endDate}T00:00:00Z`) - Math.max(...windows) * DAY_MS),
        label: `${policy.insurer} ${policy.policyNumber}`,
        details: { endDate: policy.endDate, daysLeft, window: expiryWindow(daysLeft, windows), terminalCount: policy.terminalCount },
      };
    });
  }

  /** Regions with at least `minDeployed` deployed terminals and fewer than `minimum` spares of their own. */
  private async sparePools(minimum: number, minDeployed: number): Promise<LabelledCondition[]> {
    const now = this.clock.now();
    const pools = (await this.terminals.poolCounts()).filter((pool) => pool.deployed >= minDeployed && pool.spare < minimum);
    const regions = new Map((await this.regions.regionTree()).map((region) => [region.id, region.name]));
    return pools.map((pool) => ({
      subjectType: 'region',
      subjectId: pool.regionId,
      variant: '',
      regionId: pool.regionId,
      since: now,
      label: regions.get(pool.regionId) ?? `#${pool.regionId}`,
      details: { spares: pool.spare, minimum, deployed: pool.deployed },
    }));
  }

  private async assetNumbers(ids: number[]): Promise<Map<number, string>> {
    const labels = new Map<number, string>();
    for (let start = 0; start < ids.length; start += 1000) {
      for (const [id, assetNumber] of await this.terminals.assetNumbersOf(ids.slice(start, start + 1000))) labels.set(id, assetNumber);
    }
    return labels;
  }
}
