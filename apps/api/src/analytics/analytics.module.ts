import { Module } from '@nestjs/common';
import { TerminalsModule } from '../terminals/terminals.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { ReliabilityRollupRepository } from './reliability-rollup.repository';
import { ReliabilityRollupScheduler } from './reliability-rollup.scheduler';
import { ReliabilityRollupService } from './reliability-rollup.service';

@Module({
  imports: [TerminalsModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsRepository, AnalyticsService, ReliabilityRollupRepository, ReliabilityRollupService, ReliabilityRollupScheduler],
  exports: [ReliabilityRollupService, ReliabilityRollupScheduler],
})
export class AnalyticsModule {}
