import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { AlertsModule } from './alerts/alerts.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { EarlyWarningModule } from './analytics/early-warning/early-warning.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import type { Clock } from './common/clock';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { HealthController } from './health/health.controller';
import { HeartbeatsModule } from './heartbeats/heartbeats.module';
import { ImportsModule } from './imports/imports.module';
import { IncidentsModule } from './incidents/incidents.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { HttpMetricsMiddleware } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { NotificationsModule } from './notifications/notifications.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RegionsModule } from './regions/regions.module';
import { TerminalsModule } from './terminals/terminals.module';
import { UsersModule } from './users/users.module';
import { WarrantiesModule } from './warranties/warranties.module';

@Module({})
export class AppModule implements NestModule {
  static register(config: AppConfig, clock?: Clock): DynamicModule {
    const web = existsSync(config.webDir)
      ? [ServeStaticModule.forRoot({ rootPath: config.webDir, exclude: ['/api/{*path}', '/metrics', '/socket.io/{*path}'] })]
      : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, clock),
        EventEmitterModule.forRoot(),
        ScheduleModule.forRoot(),
        DatabaseModule,
        AuditModule,
        UsersModule,
        AuthModule,
        CatalogModule,
        RegionsModule,
        WarrantiesModule,
        TerminalsModule,
        ImportsModule,
        HeartbeatsModule,
        IncidentsModule,
        MaintenanceModule,
        NotificationsModule,
        AlertsModule,
        AnalyticsModule,
        EarlyWarningModule,
        RealtimeModule,
        DemoModule,
        ...web,
      ],
      controllers: [HealthController, MetricsController],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
