/** Insurance policies that cover terminals against damage and loss. */
import { Injectable } from '@nestjs/common';
import type { InsurancePolicyResponse } from '@fleet/shared';
import { AuditedWriter, type AuditedRecordSpec } from '../audit/audited-writer';
import type { Actor } from '../common/authorization';
import { DomainException } from '../common/domain.exception';
import { duplicateField, missingReference, timestamps } from '../common/mapping';
import type { CreateInsurancePolicyDto, UpdateInsurancePolicyDto } from './insurance-policies.dto';
import { InsurancePoliciesRepository } from './insurance-policies.repository';
import { InsurancePolicyEntity } from './insurance-policy.entity';

export const POLICY_RECORD: AuditedRecordSpec<InsurancePolicyEntity> = {
  entity: InsurancePolicyEntity,
  type: 'insurance_policy',
  fields: ['insurer', 'policyNumber', 'coverage', 'deductible', 'premium', 'currency', 'startDate', 'endDate'],
  label: (policy) => `${policy.insurer} ${policy.policyNumber}`,
};

function toPolicyResponse(policy: InsurancePolicyEntity, terminalCount: number): InsurancePolicyResponse {
  return {
    id: policy.id,
    insurer: policy.insurer,
    policyNumber: policy.policyNumber,
    coverage: policy.coverage,
    deductible: policy.deductible,
    premium: policy.premium,
    currency: policy.currency,
    startDate: policy.startDate,
    endDate: policy.endDate,
    terminalCount,
    ...timestamps(policy),
  };
}

function assertPeriod(startDate: string, endDate: string): void {
  if (endDate < startDate) throw DomainException.invalidField('endDate', 'beforeStart', 'endDate must be on or after startDate');
}

@Injectable()
export class InsurancePoliciesService {
  constructor(
    private readonly repository: InsurancePoliciesRepository,
    private readonly writer: AuditedWriter,
  ) {}

  async list(): Promise<InsurancePolicyResponse[]> {
    const [policies, counts] = await Promise.all([this.repository.list(), this.repository.countTerminals()]);
    return policies.map((policy) => toPolicyResponse(policy, counts.get(policy.id) ?? 0));
  }

  async getPolicy(id: number, field = 'insurancePolicyId'): Promise<InsurancePolicyEntity> {
    const policy = await this.repository.findById(id);
    if (!policy) throw missingReference('POLICY_NOT_FOUND', field, id);
    return policy;
  }

  findByNumber(policyNumber: string): Promise<InsurancePolicyEntity | null> {
    return this.repository.findByNumber(policyNumber);
  }

  async describe(id: number): Promise<InsurancePolicyResponse> {
    const policy = await this.getPolicy(id, 'id');
    return toPolicyResponse(policy, (await this.repository.countTerminals([id])).get(id) ?? 0);
  }

  async create(actor: Actor, request: CreateInsurancePolicyDto): Promise<InsurancePolicyResponse> {
    assertPeriod(request.startDate, request.endDate);
    if (await this.repository.findByNumber(request.policyNumber)) throw duplicateField('CONFLICT', 'policyNumber', request.policyNumber);
    const policy = await this.writer.create(actor, POLICY_RECORD, {
      insurer: request.insurer,
      policyNumber: request.policyNumber,
      coverage: request.coverage ?? null,
      deductible: request.deductible ?? null,
      premium: request.premium ?? null,
      currency: request.currency ?? 'CNY',
      startDate: request.startDate,
      endDate: request.endDate,
    });
    return toPolicyResponse(policy, 0);
  }

  async update(actor: Actor, id: number, request: UpdateInsurancePolicyDto, version: number): Promise<InsurancePolicyResponse> {
    const before = await this.getPolicy(id, 'id');
    assertPeriod(request.startDate ?? before.startDate, request.endDate ?? before.endDate);
    if (request.policyNumber !== undefined && request.policyNumber !== before.policyNumber && (await this.repository.findByNumber(request.policyNumber))) {
      throw duplicateField('CONFLICT', 'policyNumber', request.policyNumber);
    }
    const { version: _version, ...changes } = request;
    await this.writer.update(actor, POLICY_RECORD, before, version, changes);
    return this.describe(id);
  }

  async remove(actor: Actor, id: number): Promise<void> {
    const policy = await this.getPolicy(id, 'id');
    const covered = (await this.repository.countTerminals([id])).get(id) ?? 0;
    if (covered > 0) throw new DomainException('RECORD_IN_USE', `The policy ${policy.policyNumber} covers ${covered} terminals`, { terminalCount: covered });
    await this.writer.remove(actor, POLICY_RECORD, policy);
  }
}
