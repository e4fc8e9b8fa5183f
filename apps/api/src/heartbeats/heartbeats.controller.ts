import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HeartbeatAck } from '@fleet/shared';
import type { DevicePrincipal } from '../auth/device-credentials.service';
import { CurrentDevice, RequireDevice } from '../common/authorization';
import { Clock } from '../common/clock';
import { HEARTBEAT_BATCH_SCHEMA, HEARTBEAT_SCHEMA, parseHeartbeat, parseHeartbeatBatch } from './heartbeat.schema';
import { LiveHealthService } from './live-health.service';

@ApiTags('heartbeats')
@Controller('heartbeats')
export class HeartbeatsController {
  constructor(
    private readonly live: LiveHealthService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(200)
  @RequireDevice()
  @ApiBody({ schema: HEARTBEAT_SCHEMA as object })
  @ApiOperation({ summary: 'One heartbeat from a terminal; answered once durable. 503 + Retry-After when the queue is full.' })
  one(@CurrentDevice() device: DevicePrincipal, @Body() body: unknown): Promise<HeartbeatAck> {
    return this.live.submit(device, [parseHeartbeat(body, this.clock.now().getTime())], () => '');
  }

  @Post('batch')
  @HttpCode(200)
  @RequireDevice()
  @ApiBody({ schema: HEARTBEAT_BATCH_SCHEMA as object })
  @ApiOperation({ summary: 'Up to 1,000 heartbeats (a gateway for its region, or a terminal catching up); all or nothing' })
  batch(@CurrentDevice() device: DevicePrincipal, @Body() body: unknown): Promise<HeartbeatAck> {
    return this.live.submit(device, parseHeartbeatBatch(body, this.clock.now().getTime()), (index) => `heartbeats.${index}.`);
  }
}
