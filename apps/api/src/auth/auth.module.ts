import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RegionsModule } from '../regions/regions.module';
import { TerminalsModule } from '../terminals/terminals.module';
import { UsersModule } from '../users/users.module';
import { AuditModule } from '../audit/audit.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthListener } from './auth.listener';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { DeviceCredentialEntity } from './device-credential.entity';
import { DeviceCredentialsController } from './device-credentials.controller';
import { DeviceCredentialsRepository } from './device-credentials.repository';
import { DeviceCredentialsService } from './device-credentials.service';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';

@Module({
  imports: [
    TypeOrmModule.forFeature([SessionEntity, DeviceCredentialEntity]),
    UsersModule,
    AuditModule,
    RegionsModule,
    TerminalsModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => [{ name: 'login', ttl: config.loginRateLimit.windowSeconds * 1000, limit: config.loginRateLimit.limit }],
    }),
  ],
  controllers: [AuthController, DeviceCredentialsController],
  providers: [SessionsRepository, AuthService, DeviceCredentialsRepository, DeviceCredentialsService, AuthListener, LoginThrottlerGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, DeviceCredentialsService],
})
export class AuthModule {}
