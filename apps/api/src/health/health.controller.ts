import { Controller, Get, Inject, Res, Version, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { AppInfoResponse } from '@fleet/shared';
import type { Response } from 'express';
import { Public } from '../common/authorization';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DEMO_PASSWORD, DEMO_USERS } from '../users/users.service';

const VERSION = '0.1.0';

/** Liveness with the database checked, and what the login page needs to know. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('health')
  @Version(VERSION_NEUTRAL)
  @Public()
  @ApiOperation({ summary: 'Liveness and database reachability (503 when the database does not answer)' })
  async health(@Res({ passthrough: true }) response: Response): Promise<{ status: 'ok' | 'error'; database: 'ok' | 'error'; version: string }> {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', database: 'ok', version: VERSION };
    } catch {
      response.status(503);
      return { status: 'error', database: 'error', version: VERSION };
    }
  }

  @Get('info')
  @Public()
  @ApiOperation({ summary: 'Product name, version and, in demo mode, the demo users' })
  info(): AppInfoResponse {
    return {
      name: 'Fleet',
      version: VERSION,
      demo: this.config.demo,
      demoUsers: this.config.demo ? DEMO_USERS.map((user) => ({ username: user.username, password: DEMO_PASSWORD, role: user.role })) : [],
    };
  }
}
