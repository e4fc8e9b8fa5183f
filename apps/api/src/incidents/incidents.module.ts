import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { HeartbeatsModule } from '../heartbeats/heartbeats.module';
import { RegionsModule } from '../regions/regions.module';
import { TerminalsModule } from '../terminals/terminals.module';
import { UsersModule } from '../users/users.module';
import { WarrantiesModule } from '../warranties/warranties.module';
import { IncidentCostEntity } from './incident-cost.entity';
import { IncidentEventEntity } from './incident-event.entity';
import { IncidentPhotoEntity } from './incident-photo.entity';
import { IncidentEntity } from './incident.entity';
import { IncidentAlarmsScheduler } from './incident-alarms.scheduler';
import { IncidentInsightsController } from './incident-insights.controller';
import { IncidentInsightsRepository } from './incident-insights.repository';
import { IncidentInsightsService } from './incident-insights.service';
import { IncidentPhotoStorage } from './incident-photo-storage';
import { IncidentPhotosController } from './incident-photos.controller';
import { IncidentPhotosRepository } from './incident-photos.repository';
import { IncidentPhotosService } from './incident-photos.service';
import { IncidentsController } from './incidents.controller';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([IncidentEntity, IncidentEventEntity, IncidentCostEntity, IncidentPhotoEntity]),
    TerminalsModule,
    RegionsModule,
    CatalogModule,
    UsersModule,
    WarrantiesModule,
    HeartbeatsModule,
  ],
  // Insights first: its fixed paths (common-faults, service-levels) must win over IncidentsController's :id.
  controllers: [IncidentInsightsController, IncidentsController, IncidentPhotosController],
  providers: [IncidentsRepository, IncidentsService, IncidentAlarmsScheduler, IncidentPhotosRepository, IncidentPhotoStorage, IncidentPhotosService, IncidentInsightsRepository, IncidentInsightsService],
  exports: [IncidentsService],
})
export class IncidentsModule {}
