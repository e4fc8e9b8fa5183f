import { Controller, Get, Headers, Inject, Res, Version, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../common/authorization';
import { DomainException } from '../common/domain.exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { registry } from './metrics';

/** /metrics for Prometheus: open, or behind METRICS_TOKEN as a Bearer token when set. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('metrics')
  @Version(VERSION_NEUTRAL)
  @Public()
  async metrics(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) response: Response): Promise<string> {
    const token = this.config.metricsToken;
    if (token) {
      const given = Buffer.from(authorization?.replace(/^Bearer\s+/, '') ?? '');
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DomainException('AUTH_REQUIRED', 'A metrics token is required');
    }
    response.setHeader('Content-Type', registry.contentType);
    return registry.metrics();
  }
}
