import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegionsModule } from '../../regions/regions.module';
import { DemoEarlyWarning } from './demo-early-warning';
import { EarlyWarningRunEntity } from './early-warning-run.entity';
import { EarlyWarningController } from './early-warning.controller';
import { EarlyWarningEntity } from './early-warning.entity';
import { EarlyWarningRepository } from './early-warning.repository';
import { EarlyWarningScheduler } from './early-warning.scheduler';
import { EarlyWarningService } from './early-warning.service';

/** The proactive swap list of issue 7 (alarm-based early warning): its table, job and endpoint, and its demo history. */
@Module({
  imports: [TypeOrmModule.forFeature([EarlyWarningEntity, EarlyWarningRunEntity]), RegionsModule],
  controllers: [EarlyWarningController],
  providers: [EarlyWarningRepository, EarlyWarningService, EarlyWarningScheduler, DemoEarlyWarning],
  exports: [DemoEarlyWarning],
})
export class EarlyWarningModule {}
