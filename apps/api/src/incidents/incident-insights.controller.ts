import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type { CommonFaultResponse, Page, ServiceLevelRow } from '@fleet/shared';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { RequirePermission } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { COMMON_FAULT_CSV_COLUMNS, toCommonFaultCsvRecord } from './common-fault-csv';
import { IncidentInsightsService } from './incident-insights.service';
import { CommonFaultsQueryDto, ExportCommonFaultsQueryDto, ServiceLevelQueryDto } from './incidents.dto';

const COMMON_FAULTS =
  'Known faults and the fixes that worked (常见故障处理汇总表), learnt from closed tickets resolved as fixed on first response, repaired or replaced. ' +
  'A row groups tickets by symptom, model, primary error code, firmware (unless diagnosed as hardware), fault type, cause and fix (first_response, or the repair decision: supplier_rma, paid_repair, on_site_repair, replace). ' +
  'tickets: how many; firstTimeFixRate: share of them never reopened and with no failed test before the passing one; ' +
  'medianRepairHours: median hours from report to resolution (the passing test, or the first response that fixed it); lastNote and lastClosedAt: the closing note and close of the most recent one. ' +
  'Ranked by tickets, then first-time-fix rate, then the most recent close. Filters: symptom, modelId, errorCode (the primary code or any code on the ticket, case-insensitive), ' +
  'q (groups with a closing note containing it, case-insensitive; the row keeps the figures of the whole group). Within the user’s region scope.';

/**
 * The common-faults table, its CSV export, the known fixes beside a ticket,
 * and the service levels. Registered before IncidentsController so that
 * `common-faults` and `service-levels` are not taken for a ticket id.
 */
@ApiTags('incidents')
@Controller('incidents')
export class IncidentInsightsController {
  constructor(private readonly insights: IncidentInsightsService) {}

  @Get('common-faults')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: COMMON_FAULTS })
  commonFaults(@Query() query: CommonFaultsQueryDto): Promise<Page<CommonFaultResponse>> {
    return this.insights.commonFaults(query);
  }

  @Get('common-faults.csv')
  @RequirePermission('fleet:read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The whole common-faults table, filtered and ranked as on screen, as CSV (UTF-8 with a byte-order mark); formula-like cells are neutralised with a leading apostrophe' })
  async exportCommonFaults(@Query() query: ExportCommonFaultsQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const batches = this.insights.exportCommonFaults(query);
    async function* records() {
      for await (const batch of batches) for (const fault of batch) yield toCommonFaultCsvRecord(fault);
    }
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="common-faults.csv"');
    // A byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
    return new StreamableFile(Readable.from(records()).pipe(stringify({ header: true, columns: [...COMMON_FAULT_CSV_COLUMNS], bom: true })));
  }

  @Get('service-levels')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      'Service levels of the tickets reported in [from, to) (default: the last 90 days), by technician (the assignee; unassigned tickets form the row "unassigned"), repair vendor (tickets without one are left out) or region (the ticket’s region). ' +
      'tickets: reported in the window; closed: of them, closed now. For respond, restore and repair: metRate is the share met within the target of the ticket’s priority, among the tickets where the measure is met or its clock is past the target (null when none); ' +
      'medianHours is the median hours from report to the measure, among the tickets that met it (late or not). ' +
      'firstTimeFixRate: among closed tickets resolved as fixed on first response, repaired or replaced, the share never reopened and with no failed test before the passing one; ' +
      'reopenRate: share of closed tickets reopened at least once; averageRating: mean merchant rating (1–5) of the rated tickets. Within the user’s region scope.',
  })
  serviceLevels(@Query() query: ServiceLevelQueryDto): Promise<ServiceLevelRow[]> {
    return this.insights.serviceLevels(query);
  }

  @Get(':id/suggestions')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      'Up to 5 known fixes for the ticket, as rows of the common-faults table: its symptom on its model with its primary error code; when none is known, its symptom on its model; then its symptom on any model',
  })
  suggestions(@Param('id', ParseIdPipe) id: number): Promise<CommonFaultResponse[]> {
    return this.insights.suggestions(id);
  }
}
