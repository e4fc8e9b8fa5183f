import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { EarlyWarningModule } from '../analytics/early-warning/early-warning.module';
import { CatalogModule } from '../catalog/catalog.module';
import { HeartbeatsModule } from '../heartbeats/heartbeats.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { RegionsModule } from '../regions/regions.module';
import { TerminalsModule } from '../terminals/terminals.module';
import { UsersModule } from '../users/users.module';
import { WarrantiesModule } from '../warranties/warranties.module';
import { DemoIncidentsRepository } from './demo-incidents.repository';
import { DemoIncidentsService } from './demo-incidents.service';
import { DemoSimulation } from './demo-simulation';
import { DemoService } from './demo.service';

@Module({
  imports: [AnalyticsModule, EarlyWarningModule, UsersModule, CatalogModule, RegionsModule, WarrantiesModule, TerminalsModule, HeartbeatsModule, MaintenanceModule],
  providers: [DemoService, DemoSimulation, DemoIncidentsService, DemoIncidentsRepository],
})
export class DemoModule {}
