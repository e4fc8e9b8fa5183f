import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MaintenanceCalendarResponse, MaintenanceTaskResponse, Page } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { MaintenanceService } from './maintenance.service';
import {
  AssignMaintenanceTaskDto,
  CompleteMaintenanceTaskDto,
  ListMaintenanceTasksQueryDto,
  MaintenanceCalendarQueryDto,
  PostponeMaintenanceTaskDto,
  SkipMaintenanceTaskDto,
} from './maintenance.dto';

/**
 * Maintenance tasks (巡检任务) over HTTP. Each step of an open task is its own
 * POST carrying the task's version (body or If-Match); a task no longer open
 * answers 409 MAINTENANCE_TASK_INVALID_TRANSITION.
 */
@ApiTags('maintenance')
@Controller('maintenance/tasks')
export class MaintenanceTasksController {
  constructor(private readonly tasks: MaintenanceService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Tasks by effective due date (filters status, overdue, dueFrom/dueTo, region with sub-regions, assignee, plan, terminal)' })
  list(@Query() query: ListMaintenanceTasksQueryDto): Promise<Page<MaintenanceTaskResponse>> {
    return this.tasks.list(query);
  }

  @Get('calendar')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Tasks per day and status between from and to (at most 62 days), for a month view' })
  calendar(@Query() query: MaintenanceCalendarQueryDto): Promise<MaintenanceCalendarResponse> {
    return this.tasks.calendar(query);
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'A task with its checklist (or answers) and the steps allowed now' })
  get(@Param('id', ParseIdPipe) id: number): Promise<MaintenanceTaskResponse> {
    return this.tasks.describe(id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @RequirePermission('maintenance:work')
  @ApiOperation({ summary: 'Assign to a user who works on maintenance and sees the terminal (null unassigns)' })
  assign(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: AssignMaintenanceTaskDto, @Headers('if-match') ifMatch?: string): Promise<MaintenanceTaskResponse> {
    return this.tasks.assign(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @RequirePermission('maintenance:work')
  @ApiOperation({ summary: 'Complete with an answer (ok, issue, not_applicable, optional note) for every checklist item' })
  complete(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: CompleteMaintenanceTaskDto, @Headers('if-match') ifMatch?: string): Promise<MaintenanceTaskResponse> {
    return this.tasks.complete(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/postpone')
  @HttpCode(200)
  @RequirePermission('maintenance:work')
  @ApiOperation({ summary: 'Move the effective due date later, with a reason; the calendar point (dueDate) stays' })
  postpone(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: PostponeMaintenanceTaskDto, @Headers('if-match') ifMatch?: string): Promise<MaintenanceTaskResponse> {
    return this.tasks.postpone(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/skip')
  @HttpCode(200)
  @RequirePermission('maintenance:work')
  @ApiOperation({ summary: 'Skip this time, with a reason; like a completion, the next task counts from it' })
  skip(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: SkipMaintenanceTaskDto, @Headers('if-match') ifMatch?: string): Promise<MaintenanceTaskResponse> {
    return this.tasks.skip(actor, id, body, expectedVersion(body.version, ifMatch));
  }
}
