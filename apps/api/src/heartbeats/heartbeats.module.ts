import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { RegionsModule } from '../regions/regions.module';
import { TerminalsModule } from '../terminals/terminals.module';
import { HealthController } from './health.controller';
import { HealthPoliciesRepository } from './health-policies.repository';
import { HealthPoliciesService } from './health-policies.service';
import { HealthPolicyEntity } from './health-policy.entity';
import { HealthReadService } from './health-read.service';
import { HeartbeatJobs } from './heartbeat-jobs';
import { HeartbeatsController } from './heartbeats.controller';
import { HeartbeatsListener } from './heartbeats.listener';
import { HeartbeatsRepository } from './heartbeats.repository';
import { LiveHealthService } from './live-health.service';
import { MqttIngest } from './mqtt-ingest';

@Module({
  imports: [TypeOrmModule.forFeature([HealthPolicyEntity]), AuditModule, AuthModule, CatalogModule, RegionsModule, TerminalsModule],
  controllers: [HeartbeatsController, HealthController],
  providers: [HeartbeatsRepository, HealthPoliciesRepository, HealthPoliciesService, LiveHealthService, HealthReadService, HeartbeatJobs, HeartbeatsListener, MqttIngest],
  exports: [LiveHealthService, HealthPoliciesService, HealthReadService],
})
export class HeartbeatsModule {}
