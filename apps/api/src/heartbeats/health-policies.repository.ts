import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HealthPolicyEntity } from './health-policy.entity';

@Injectable()
export class HealthPoliciesRepository {
  constructor(@InjectRepository(HealthPolicyEntity) private readonly policies: Repository<HealthPolicyEntity>) {}

  list(): Promise<HealthPolicyEntity[]> {
    return this.policies.find();
  }

  findFor(scope: { modelId: number } | { terminalId: number }): Promise<HealthPolicyEntity | null> {
    return this.policies.findOneBy(scope);
  }
}
