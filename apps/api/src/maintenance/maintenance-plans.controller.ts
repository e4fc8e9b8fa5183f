import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { GenerateMaintenanceTasksResponse, MaintenancePlanResponse, Page } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { MaintenancePlansService } from './maintenance-plans.service';
import { CreateMaintenancePlanDto, ListMaintenancePlansQueryDto, UpdateMaintenancePlanDto } from './maintenance.dto';

/** Maintenance plans (维护计划) over HTTP: read with fleet:read, written with maintenance:plan. */
@ApiTags('maintenance')
@Controller('maintenance/plans')
export class MaintenancePlansController {
  constructor(private readonly plans: MaintenancePlansService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Maintenance plans by name (filters active, kind); a user limited to a region sees those that reach it' })
  list(@Query() query: ListMaintenancePlansQueryDto): Promise<Page<MaintenancePlanResponse>> {
    return this.plans.list(query);
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'A maintenance plan' })
  get(@Param('id', ParseIdPipe) id: number): Promise<MaintenancePlanResponse> {
    return this.plans.describe(id);
  }

  @Post()
  @RequirePermission('maintenance:plan')
  @ApiOperation({
    summary:
      'Create a plan: kind, checklist, scope (a model, a region with its sub-regions, a category or up to 1,000 terminals) and trigger (every N days or months on a fixed calendar or from the last completion, every N transactions or prints, or whichever comes first); an impossible trigger is a 400 naming the field',
  })
  create(@CurrentActor() actor: Actor, @Body() body: CreateMaintenancePlanDto): Promise<MaintenancePlanResponse> {
    return this.plans.create(actor, body);
  }

  @Patch(':id')
  @RequirePermission('maintenance:plan')
  @ApiOperation({ summary: 'Change a plan (version or If-Match); deactivating cancels its open tasks, narrowing its scope cancels those of the terminals left out' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateMaintenancePlanDto, @Headers('if-match') ifMatch?: string): Promise<MaintenancePlanResponse> {
    return this.plans.update(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('maintenance:plan')
  @ApiOperation({ summary: 'Delete a plan with its open tasks; one with tasks done or skipped is kept (409 RECORD_IN_USE: deactivate it instead)' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.plans.remove(actor, id);
  }

  @Post(':id/generate')
  @HttpCode(200)
  @RequirePermission('maintenance:plan')
  @ApiOperation({ summary: 'Generate the plan’s tasks due within its lead days now, as the hourly check would (idempotent)' })
  generate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<GenerateMaintenanceTasksResponse> {
    return this.plans.generateNow(actor, id);
  }
}
