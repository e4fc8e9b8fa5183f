import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { countTerminalsBy } from '../database/terminal-counts';
import { InsurancePolicyEntity } from './insurance-policy.entity';

@Injectable()
export class InsurancePoliciesRepository {
  constructor(@InjectRepository(InsurancePolicyEntity) private readonly policies: Repository<InsurancePolicyEntity>) {}

  list(): Promise<InsurancePolicyEntity[]> {
    return this.policies.find({ order: { endDate: 'ASC', id: 'ASC' } });
  }

  findById(id: number): Promise<InsurancePolicyEntity | null> {
    return this.policies.findOneBy({ id });
  }

  findByNumber(policyNumber: string): Promise<InsurancePolicyEntity | null> {
    return this.policies.findOneBy({ policyNumber });
  }

  countTerminals(ids?: number[]): Promise<Map<number, number>> {
    return countTerminalsBy(this.policies.manager, 'insurance_policy_id', ids);
  }
}
