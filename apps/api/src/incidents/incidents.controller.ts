import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncidentBoardCounts, IncidentCostResponse, IncidentEventResponse, IncidentResponse, IncidentSummaryResponse, Page, Ref } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { parseId, ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import {
  AddMerchantContactDto,
  AssignIncidentDto,
  BackUpIncidentDto,
  BoardQueryDto,
  CloseIncidentDto,
  CreateIncidentCostDto,
  CreateIncidentDto,
  DecideRepairDto,
  DiagnoseIncidentDto,
  IncidentStepDto,
  LendSpareDto,
  ListIncidentsQueryDto,
  RateIncidentDto,
  ReceiveIncidentDto,
  ReopenIncidentDto,
  ReplaceIncidentDto,
  RespondIncidentDto,
  ShipIncidentDto,
  TestIncidentDto,
  UpdateIncidentCostDto,
} from './incidents.dto';
import { IncidentsService } from './incidents.service';

/**
 * The fault workflow over HTTP. Each step is its own POST named after the
 * domain (respond, diagnose, spare, backup, ship, receive, test, close...),
 * carries the ticket's version (body or If-Match) and answers the whole ticket;
 * a step the state machine refuses is 409 with a code and the steps allowed.
 */
@ApiTags('incidents')
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Fault tickets, newest first, filtered (stage, priority, region, model, terminal, assignee, symptom, overdue, number or asset number)' })
  list(@Query() query: ListIncidentsQueryDto): Promise<Page<IncidentSummaryResponse>> {
    return this.incidents.list(query);
  }

  @Get('board')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Open tickets by stage, and how many are past a service-level target' })
  board(@Query() query: BoardQueryDto): Promise<IncidentBoardCounts> {
    return this.incidents.board(query);
  }

  @Get('assignees')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Who tickets can be assigned to: active users who work fault tickets' })
  assignees(): Promise<Ref[]> {
    return this.incidents.assignees();
  }

  @Post()
  @RequirePermission('incidents:report')
  @ApiOperation({ summary: 'Report a fault (故障报告); one open ticket per terminal (409 INCIDENT_ALREADY_OPEN names the open one)' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateIncidentDto): Promise<IncidentResponse> {
    return this.incidents.create(actor, body);
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'A ticket with its steps, service-level clocks, repair-or-replace advice, costs and the steps allowed now' })
  get(@Param('id', ParseIdPipe) id: number): Promise<IncidentResponse> {
    return this.incidents.describe(id);
  }

  @Get(':id/events')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'The ticket’s timeline, oldest first' })
  events(@Param('id', ParseIdPipe) id: number): Promise<IncidentEventResponse[]> {
    return this.incidents.timeline(id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  assign(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: AssignIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.assign(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/respond')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'First response (初步处理): the checklist; fixed=true closes the ticket as fixed on first response' })
  respond(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: RespondIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.respond(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/diagnose')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Diagnosis (故障诊断): hardware or software, cause, remote or on site, and who is responsible' })
  diagnose(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: DiagnoseIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.diagnose(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/decide')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Repair or replace: supplier RMA, paid repair, on-site repair or replacement (the advice is recorded beside the choice)' })
  decide(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: DecideRepairDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.decide(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/spare')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Lend a spare (备机) from the region’s pool: it is deployed at the merchant until it returns or stays' })
  lendSpare(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: LendSpareDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.lendSpare(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/backup')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Confirm the transaction records and settings were backed up (needed before the unit leaves)' })
  backUp(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: BackUpIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.backUp(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/ship')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Ship to the repair centre (寄修) with carrier and tracking number; the unit goes in_repair' })
  ship(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: ShipIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.ship(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/receive')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'The unit is back from repair (with its new serial if the vendor swapped it)' })
  receive(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: ReceiveIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.receive(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/repair-on-site')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  repairOnSite(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: IncidentStepDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.repairOnSite(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/replace')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Replace the unit with one from stock or the spare pool; the faulty unit is retired' })
  replace(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: ReplaceIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.replace(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/test')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Test after repair (维修后测试): only a pass (no failed check, test transaction passed) returns the unit to service; a fail sends it back to repair' })
  test(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: TestIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.test(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Confirm the backed-up data was restored on the repaired or new unit' })
  restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: IncidentStepDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.restoreData(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/close')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Close and archive (记录存档) with a resolution and a note; the ticket becomes read-only' })
  close(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: CloseIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.close(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Reopen a closed ticket, with the reason (counted in the reopen rate)' })
  reopen(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: ReopenIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.reopen(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/rate')
  @HttpCode(200)
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'The merchant’s rating (1–5) and comment on the service, once resolved' })
  rate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: RateIncidentDto, @Headers('if-match') ifMatch?: string): Promise<IncidentResponse> {
    return this.incidents.rate(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Post(':id/contacts')
  @RequirePermission('incidents:work')
  @ApiOperation({ summary: 'Log a conversation with the merchant (客户沟通)' })
  addContact(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: AddMerchantContactDto): Promise<IncidentEventResponse> {
    return this.incidents.addContact(actor, id, body);
  }

  @Get(':id/costs')
  @RequirePermission('fleet:read')
  costs(@Param('id', ParseIdPipe) id: number): Promise<IncidentCostResponse[]> {
    return this.incidents.costs(id);
  }

  @Post(':id/costs')
  @RequirePermission('incidents:settle')
  @ApiOperation({ summary: 'Add a cost line with its payer (费用结算); supplier and insurer lines may carry a claim' })
  addCost(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: CreateIncidentCostDto): Promise<IncidentCostResponse> {
    return this.incidents.addCost(actor, id, body);
  }

  @Patch(':id/costs/:costId')
  @RequirePermission('incidents:settle')
  @ApiOperation({ summary: 'Follow a claim: submitted, approved, rejected, paid, with the amounts' })
  updateCost(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Param('costId', parseId('costId')) costId: number,
    @Body() body: UpdateIncidentCostDto,
    @Headers('if-match') ifMatch?: string,
  ): Promise<IncidentCostResponse> {
    return this.incidents.updateCost(actor, id, costId, body, expectedVersion(body.version, ifMatch));
  }
}
