/**
 * Health policies: the thresholds a model's terminals are judged by, and
 * per-terminal overrides. All of them live in memory (a policy per model, a
 * few overrides) so the hot path never reads them from the database; writes
 * are audited and refresh the cache once committed.
 */
import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DEFAULT_HEALTH_POLICY, effectivePolicy, type HealthPolicyListResponse, type HealthPolicyResponse, type HealthPolicyValues, type HealthPolicyView } from '@fleet/shared';
import { AuditedWriter, type AuditedRecordSpec } from '../audit/audited-writer';
import { CatalogService } from '../catalog/catalog.service';
import type { Actor } from '../common/authorization';
import { DomainException } from '../common/domain.exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction';
import { TerminalsService } from '../terminals/terminals.service';
import type { HealthPolicyDto } from './health-policies.dto';
import { HealthPoliciesRepository } from './health-policies.repository';
import { HealthPolicyEntity } from './health-policy.entity';
import { HEALTH_POLICY_CHANGED, type HealthPolicyChangedEvent } from './health.events';

const VALUE_FIELDS = ['offlineAfterSeconds', 'batteryLowPct', 'signalWeakDbm', 'temperatureHighC', 'errorRepeatCount', 'targetFirmwareVersion', 'targetAppVersion'] as const;

const POLICY_RECORD: AuditedRecordSpec<HealthPolicyEntity> = {
  entity: HealthPolicyEntity,
  type: 'health_policy',
  fields: ['modelId', 'terminalId', ...VALUE_FIELDS],
  label: (policy) => (policy.modelId !== null ? `model ${policy.modelId}` : `terminal ${policy.terminalId}`),
};

type Scope = { modelId: number } | { terminalId: number };

function valuesOf(policy: HealthPolicyEntity): Partial<HealthPolicyValues> {
  const values: Partial<HealthPolicyValues> = {};
  for (const field of VALUE_FIELDS) {
    const value = policy[field];
    if (value !== null) (values as Record<string, unknown>)[field] = value;
  }
  return values;
}

function toResponse(policy: HealthPolicyEntity): HealthPolicyResponse {
  return {
    id: policy.id,
    scope: policy.modelId !== null ? 'model' : 'terminal',
    modelId: policy.modelId,
    terminalId: policy.terminalId,
    ...valuesOf(policy),
    version: policy.version,
    updatedAt: policy.updatedAt.toISOString(),
  };
}

@Injectable()
export class HealthPoliciesService {
  private readonly defaults: HealthPolicyValues;
  private readonly byModel = new Map<number, HealthPolicyValues>();
  private readonly overrides = new Map<number, Partial<HealthPolicyValues>>();
  private readonly modelLayers = new Map<number, Partial<HealthPolicyValues>>();

  constructor(
    private readonly repository: HealthPoliciesRepository,
    private readonly writer: AuditedWriter,
    private readonly transactions: TransactionRunner,
    private readonly catalog: CatalogService,
    private readonly terminals: TerminalsService,
    private readonly events: EventEmitter2,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.defaults = { ...DEFAULT_HEALTH_POLICY, offlineAfterSeconds: config.heartbeats.offlineAfterSeconds };
  }

  async load(): Promise<void> {
    const policies = await this.repository.list();
    this.modelLayers.clear();
    this.overrides.clear();
    this.byModel.clear();
    for (const policy of policies) this.cache(policy);
  }

  /** The policy in force for a terminal: its override, on its model's, on the defaults. */
  policyFor(terminalId: number, modelId: number): HealthPolicyValues {
    const override = this.overrides.get(terminalId);
    if (override) return effectivePolicy(this.defaults, this.modelLayers.get(modelId), override);
    let policy = this.byModel.get(modelId);
    if (!policy) this.byModel.set(modelId, (policy = effectivePolicy(this.defaults, this.modelLayers.get(modelId), undefined)));
    return policy;
  }

  timeoutSeconds(terminalId: number, modelId: number): number {
    return this.policyFor(terminalId, modelId).offlineAfterSeconds;
  }

  async list(): Promise<HealthPolicyListResponse> {
    return { defaults: this.defaults, policies: (await this.repository.list()).map(toResponse) };
  }

  async viewForModel(modelId: number): Promise<HealthPolicyView> {
    await this.catalog.getModel(modelId);
    const policy = await this.repository.findFor({ modelId });
    return { policy: policy ? toResponse(policy) : null, effective: effectivePolicy(this.defaults, policy ? valuesOf(policy) : undefined, undefined) };
  }

  async viewForTerminal(terminalId: number): Promise<HealthPolicyView> {
    const terminal = await this.terminals.getTerminal(terminalId);
    const policy = await this.repository.findFor({ terminalId });
    return { policy: policy ? toResponse(policy) : null, effective: this.policyFor(terminalId, terminal.modelId) };
  }

  async putForModel(actor: Actor, modelId: number, request: HealthPolicyDto, version: number | undefined): Promise<HealthPolicyView> {
    await this.catalog.getModel(modelId);
    await this.put(actor, { modelId }, request, version);
    return this.viewForModel(modelId);
  }

  async putForTerminal(actor: Actor, terminalId: number, request: HealthPolicyDto, version: number | undefined): Promise<HealthPolicyView> {
    await this.terminals.getTerminal(terminalId);
    await this.put(actor, { terminalId }, request, version);
    return this.viewForTerminal(terminalId);
  }

  async removeForTerminal(actor: Actor, terminalId: number): Promise<void> {
    const policy = await this.repository.findFor({ terminalId });
    if (!policy) throw new DomainException('NOT_FOUND', `Terminal ${terminalId} has no health policy override`);
    await this.transactions.run(async (tx) => {
      await this.writer.remove(actor, POLICY_RECORD, policy, tx);
      this.transactions.afterCommit(tx, () => this.forget(policy));
    });
  }

  /** Creates the scope's policy, or updates it at `version` (required once it exists). */
  private async put(actor: Actor, scope: Scope, request: HealthPolicyDto, version: number | undefined): Promise<void> {
    const existing = await this.repository.findFor(scope);
    const values: Partial<HealthPolicyEntity> = {};
    for (const field of VALUE_FIELDS) if (request[field] !== undefined) (values as Record<string, unknown>)[field] = request[field];
    await this.transactions.run(async (tx) => {
      let saved: HealthPolicyEntity;
      if (existing) {
        if (version === undefined) throw new DomainException('VERSION_REQUIRED', 'This policy exists: send the version it was based on (field version or If-Match)');
        saved = await this.writer.update(actor, POLICY_RECORD, existing, version, values, tx);
      } else {
        const blank = Object.fromEntries(VALUE_FIELDS.map((field) => [field, null]));
        saved = await this.writer.create(
          actor,
          POLICY_RECORD,
          { modelId: null, terminalId: null, ...blank, ...scope, ...values } as Omit<HealthPolicyEntity, 'id' | 'version' | 'createdAt' | 'updatedAt'>,
          tx,
        );
      }
      this.transactions.afterCommit(tx, () => this.cache(saved));
    });
  }

  private cache(policy: HealthPolicyEntity): void {
    if (policy.modelId !== null) {
      this.modelLayers.set(policy.modelId, valuesOf(policy));
      this.byModel.delete(policy.modelId);
    } else if (policy.terminalId !== null) {
      this.overrides.set(policy.terminalId, valuesOf(policy));
    }
    this.announce(policy);
  }

  private forget(policy: HealthPolicyEntity): void {
    if (policy.terminalId !== null) this.overrides.delete(policy.terminalId);
    this.announce(policy);
  }

  private announce(policy: HealthPolicyEntity): void {
    this.events.emit(HEALTH_POLICY_CHANGED, { modelId: policy.modelId, terminalId: policy.terminalId } satisfies HealthPolicyChangedEvent);
  }
}
