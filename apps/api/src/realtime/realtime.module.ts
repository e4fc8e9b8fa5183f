import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AuthModule } from '../auth/auth.module';
import { HeartbeatsModule } from '../heartbeats/heartbeats.module';
import { RegionsModule } from '../regions/regions.module';
import { TerminalsModule } from '../terminals/terminals.module';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeService } from './realtime.service';

@Module({
  imports: [AlertsModule, AuthModule, HeartbeatsModule, RegionsModule, TerminalsModule],
  providers: [RealtimeService, RealtimeGateway],
})
export class RealtimeModule {}
