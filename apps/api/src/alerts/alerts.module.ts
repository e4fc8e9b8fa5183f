import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { HeartbeatsModule } from '../heartbeats/heartbeats.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RegionsModule } from '../regions/regions.module';
import { TerminalsModule } from '../terminals/terminals.module';
import { UsersModule } from '../users/users.module';
import { WarrantiesModule } from '../warranties/warranties.module';
import { AlertEvaluator } from './alert-evaluator';
import { AlertNotifier } from './alert-notifier';
import { AlertRuleEntity } from './alert-rule.entity';
import { AlertSources } from './alert-sources';
import { AlertSubscriptionEntity } from './alert-subscription.entity';
import { AlertEntity } from './alert.entity';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsScheduler } from './alerts.scheduler';
import { AlertsService } from './alerts.service';
import { MaintenanceWindowEntity } from './maintenance-window.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([AlertRuleEntity, AlertEntity, AlertSubscriptionEntity, MaintenanceWindowEntity]),
    AuditModule,
    HeartbeatsModule,
    IncidentsModule,
    MaintenanceModule,
    NotificationsModule,
    RegionsModule,
    TerminalsModule,
    UsersModule,
    WarrantiesModule,
  ],
  controllers: [AlertsController],
  providers: [AlertsRepository, AlertsService, AlertSources, AlertNotifier, AlertEvaluator, AlertsScheduler],
  exports: [AlertsService, AlertsScheduler],
})
export class AlertsModule {}
