import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FleetHealthHistoryResponse, FleetHealthResponse, HealthPolicyListResponse, HealthPolicyView, HeartbeatSeriesResponse, Page, StatusChangeResponse, TerminalHealthResponse } from '@fleet/shared';
import { CurrentActor, FleetWide, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { HealthPolicyDto } from './health-policies.dto';
import { HealthPoliciesService } from './health-policies.service';
import { HealthReadService } from './health-read.service';
import { FleetHealthQueryDto, FleetHistoryQueryDto, SeriesQueryDto, TimeRangeQueryDto } from './health.dto';

/** The body's version or If-Match; absent is allowed (the first policy of a scope). */
function versionOf(body: HealthPolicyDto, ifMatch: string | undefined): number | undefined {
  return body.version === undefined && ifMatch === undefined ? undefined : expectedVersion(body.version, ifMatch);
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly reads: HealthReadService,
    private readonly policies: HealthPoliciesService,
  ) {}

  @Get('fleet/health')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Deployed terminals by health (and by region, model or supplier), from live counters' })
  fleet(@Query() query: FleetHealthQueryDto): Promise<FleetHealthResponse> {
    return this.reads.fleet(query);
  }

  @Get('fleet/health/history')
  @FleetWide()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Counts by health every five minutes (hourly beyond two days) and the share reporting over the window' })
  history(@Query() query: FleetHistoryQueryDto): Promise<FleetHealthHistoryResponse> {
    return this.reads.fleetHistory(query);
  }

  @Get('terminals/:id/health')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Current health with reasons, when it goes offline, the policy in force and the newest values' })
  health(@Param('id', ParseIdPipe) id: number): Promise<TerminalHealthResponse> {
    return this.reads.terminalHealth(id);
  }

  @Get('terminals/:id/health/timeline')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Status changes, newest first' })
  timeline(@Param('id', ParseIdPipe) id: number, @Query() query: TimeRangeQueryDto): Promise<Page<StatusChangeResponse>> {
    return this.reads.timeline(id, query);
  }

  @Get('terminals/:id/heartbeats')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Chart series: raw heartbeats, hourly or daily rollups (auto by range)' })
  series(@Param('id', ParseIdPipe) id: number, @Query() query: SeriesQueryDto): Promise<HeartbeatSeriesResponse> {
    return this.reads.series(id, query);
  }

  @Get('health-policies')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Every model policy and terminal override, with the defaults they fall back to' })
  policiesList(): Promise<HealthPolicyListResponse> {
    return this.policies.list();
  }

  @Get('models/:id/health-policy')
  @RequirePermission('fleet:read')
  modelPolicy(@Param('id', ParseIdPipe) id: number): Promise<HealthPolicyView> {
    return this.policies.viewForModel(id);
  }

  @Put('models/:id/health-policy')
  @FleetWide()
  @RequirePermission('health:configure')
  @ApiOperation({ summary: "Sets a model's health thresholds (null inherits the default); send the version once it exists" })
  putModelPolicy(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: HealthPolicyDto, @Headers('if-match') ifMatch?: string): Promise<HealthPolicyView> {
    return this.policies.putForModel(actor, id, body, versionOf(body, ifMatch));
  }

  @Get('terminals/:id/health-policy')
  @RequirePermission('fleet:read')
  terminalPolicy(@Param('id', ParseIdPipe) id: number): Promise<HealthPolicyView> {
    return this.policies.viewForTerminal(id);
  }

  @Put('terminals/:id/health-policy')
  @RequirePermission('health:configure')
  @ApiOperation({ summary: "Overrides some of the model's thresholds for one terminal" })
  putTerminalPolicy(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: HealthPolicyDto, @Headers('if-match') ifMatch?: string): Promise<HealthPolicyView> {
    return this.policies.putForTerminal(actor, id, body, versionOf(body, ifMatch));
  }

  @Delete('terminals/:id/health-policy')
  @HttpCode(204)
  @RequirePermission('health:configure')
  removeTerminalPolicy(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.policies.removeForTerminal(actor, id);
  }
}
