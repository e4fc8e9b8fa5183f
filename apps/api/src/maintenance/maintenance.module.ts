import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { HeartbeatsModule } from '../heartbeats/heartbeats.module';
import { RegionsModule } from '../regions/regions.module';
import { TerminalEntity } from '../terminals/terminal.entity';
import { TerminalsModule } from '../terminals/terminals.module';
import { UsersModule } from '../users/users.module';
import { MaintenanceComplianceController } from './maintenance-compliance.controller';
import { MaintenanceComplianceRepository } from './maintenance-compliance.repository';
import { MaintenanceComplianceService } from './maintenance-compliance.service';
import { MaintenanceGenerationService } from './maintenance-generation.service';
import { MaintenancePlanEntity } from './maintenance-plan.entity';
import { MaintenancePlansController } from './maintenance-plans.controller';
import { MaintenancePlansRepository } from './maintenance-plans.repository';
import { MaintenancePlansService } from './maintenance-plans.service';
import { MaintenanceProgressEntity } from './maintenance-progress.entity';
import { MaintenanceTaskEntity } from './maintenance-task.entity';
import { MaintenanceTasksController } from './maintenance-tasks.controller';
import { MaintenanceTasksRepository } from './maintenance-tasks.repository';
import { MaintenanceService } from './maintenance.service';
import { MaintenanceScheduler } from './maintenance.scheduler';

/** Maintenance plans, their tasks and the scheduler that generates them, and firmware/app compliance. */
@Module({
  imports: [
    TypeOrmModule.forFeature([MaintenancePlanEntity, MaintenanceTaskEntity, MaintenanceProgressEntity, TerminalEntity]),
    AuditModule,
    CatalogModule,
    RegionsModule,
    TerminalsModule,
    UsersModule,
    HeartbeatsModule,
  ],
  controllers: [MaintenancePlansController, MaintenanceTasksController, MaintenanceComplianceController],
  providers: [
    MaintenancePlansRepository,
    MaintenanceTasksRepository,
    MaintenanceComplianceRepository,
    MaintenanceGenerationService,
    MaintenancePlansService,
    MaintenanceService,
    MaintenanceComplianceService,
    MaintenanceScheduler,
  ],
  exports: [MaintenanceService, MaintenancePlansService],
})
export class MaintenanceModule {}
