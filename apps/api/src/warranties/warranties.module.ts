import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { InsurancePoliciesController } from './insurance-policies.controller';
import { InsurancePoliciesRepository } from './insurance-policies.repository';
import { InsurancePoliciesService } from './insurance-policies.service';
import { InsurancePolicyEntity } from './insurance-policy.entity';

@Module({
  imports: [TypeOrmModule.forFeature([InsurancePolicyEntity]), AuditModule],
  controllers: [InsurancePoliciesController],
  providers: [InsurancePoliciesRepository, InsurancePoliciesService],
  exports: [InsurancePoliciesService],
})
export class WarrantiesModule {}
