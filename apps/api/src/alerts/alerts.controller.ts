import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AlertResponse, AlertRuleResponse, AlertSubscriptionsResponse, AlertSummaryResponse, ExpiryReportResponse, MaintenanceWindowResponse, Page } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import {
  AcknowledgeAlertDto,
  AlertSummaryQueryDto,
  AssignAlertDto,
  CreateAlertRuleDto,
  CreateMaintenanceWindowDto,
  ExpiryReportQueryDto,
  ListAlertsQueryDto,
  PutAlertSubscriptionsDto,
  UpdateAlertRuleDto,
} from './alerts.dto';
import { AlertsService } from './alerts.service';

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Alerts, newest first (default: open and acknowledged), within the user’s region scope' })
  list(@Query() query: ListAlertsQueryDto): Promise<Page<AlertResponse>> {
    return this.alerts.list(query);
  }

  @Get('summary')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Open alerts by severity, acknowledged ones, and both by rule kind' })
  summary(@Query() query: AlertSummaryQueryDto): Promise<AlertSummaryResponse> {
    return this.alerts.summary(query);
  }

  @Get('expiry-report')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Warranties of deployed terminals and insurance policies ending within N days (default 180), with whether their reminder was acknowledged' })
  expiryReport(@Query() query: ExpiryReportQueryDto): Promise<ExpiryReportResponse> {
    return this.alerts.expiryReport(query.withinDays);
  }

  @Get('subscriptions/me')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Which alerts reach me, by which channel (email, dashboard) and for which regions' })
  mySubscriptions(@CurrentActor() actor: Actor): Promise<AlertSubscriptionsResponse> {
    return this.alerts.subscriptions(actor);
  }

  @Put('subscriptions/me')
  @RequirePermission('fleet:read')
  putMySubscriptions(@CurrentActor() actor: Actor, @Body() body: PutAlertSubscriptionsDto): Promise<AlertSubscriptionsResponse> {
    return this.alerts.putSubscriptions(actor, body);
  }

  @Get('rules')
  @RequirePermission('fleet:read')
  listRules(): Promise<AlertRuleResponse[]> {
    return this.alerts.listRules();
  }

  @Post('rules')
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'A rule: kind, severity, parameters of the kind, repeat and escalation' })
  createRule(@CurrentActor() actor: Actor, @Body() body: CreateAlertRuleDto): Promise<AlertRuleResponse> {
    return this.alerts.createRule(actor, body);
  }

  @Patch('rules/:id')
  @RequirePermission('alerts:configure')
  updateRule(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateAlertRuleDto, @Headers('if-match') ifMatch?: string): Promise<AlertRuleResponse> {
    return this.alerts.updateRule(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Delete('rules/:id')
  @HttpCode(204)
  @RequirePermission('alerts:configure')
  removeRule(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.alerts.removeRule(actor, id);
  }

  @Get('maintenance-windows')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Current and coming maintenance windows (terminal alerts are not raised inside them)' })
  listWindows(): Promise<MaintenanceWindowResponse[]> {
    return this.alerts.listWindows();
  }

  @Post('maintenance-windows')
  @RequirePermission('maintenance:plan')
  createWindow(@CurrentActor() actor: Actor, @Body() body: CreateMaintenanceWindowDto): Promise<MaintenanceWindowResponse> {
    return this.alerts.createWindow(actor, body);
  }

  @Delete('maintenance-windows/:id')
  @HttpCode(204)
  @RequirePermission('maintenance:plan')
  removeWindow(@Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.alerts.removeWindow(id);
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  get(@Param('id', ParseIdPipe) id: number): Promise<AlertResponse> {
    return this.alerts.describe(id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @RequirePermission('alerts:respond')
  @ApiOperation({ summary: 'Acknowledge: no more repeats or escalation; it still resolves by itself when the cause clears' })
  acknowledge(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: AcknowledgeAlertDto, @Headers('if-match') ifMatch?: string): Promise<AlertResponse> {
    return this.alerts.acknowledge(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @RequirePermission('alerts:respond')
  assign(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: AssignAlertDto, @Headers('if-match') ifMatch?: string): Promise<AlertResponse> {
    return this.alerts.assign(actor, id, body, expectedVersion(body.version, ifMatch));
  }
}
