import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthListener } from './auth.listener';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';

@Module({
  imports: [
    TypeOrmModule.forFeature([SessionEntity]),
    UsersModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => [{ name: 'login', ttl: config.loginRateLimit.windowSeconds * 1000, limit: config.loginRateLimit.limit }],
    }),
  ],
  controllers: [AuthController],
  providers: [SessionsRepository, AuthService, AuthListener, LoginThrottlerGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
