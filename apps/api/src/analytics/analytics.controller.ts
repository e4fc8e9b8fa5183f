import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type {
  AnalyticsStatus,
  CostReport,
  FailureRateReport,
  ModelComparison,
  RepairOrReplaceAnswer,
  RepairTimeReport,
  SpareSizingReport,
  SupplierScorecard,
  SurvivalReport,
  TcoReport,
} from '@fleet/shared';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { RequirePermission } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { comparisonCsvRecords, COMPARISON_CSV_COLUMNS } from './comparison-csv';
import { AnalyticsQueryDto, CostQueryDto, FailureRateQueryDto, ModelComparisonQueryDto, ModelsQueryDto, RepairOrReplaceQueryDto, RepairTimeQueryDto, SpareSizingQueryDto } from './analytics.dto';
import { AnalyticsService } from './analytics.service';

const PERIOD =
  'The period is whole calendar months (UTC) from `from` to `to`, both included (default: the last 12 months, the current one counted up to the rollups’ asOf). ' +
  'Filters: regionId (with its sub-regions), modelId, supplierId, category; a user limited to a region is always limited to it. Every answer echoes its scope.';
const RATE =
  'Failure rate: failures per 100 terminal-years of exposure. Exposure counts only time deployed (in service): not in stock, on the shelf as a spare, in repair or retired; a spare counts while it is lent. ' +
  'A failure is a ticket reported while the unit was in service and not closed as no fault found, duplicate or cancelled. ' +
  '95% interval: exact Poisson (Garwood). verdict "insufficient" (not enough data) when the exposure is under 10 terminal-years or the interval is wider than 3 times the rate (so at least 3 failures are needed). ' +
  'Early life: failures and exposure in the first 90 days after purchase. standing: best, indistinguishable (interval overlaps the best’s), worse (interval entirely above the best’s) or insufficient (not ranked).';

@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('status')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'How current the reliability rollups are: asOf (the instant the figures run to), the months they cover, and whether changes are waiting for the next run (every ANALYTICS_ROLLUP_SECONDS)' })
  status(): Promise<AnalyticsStatus> {
    return this.analytics.status();
  }

  @Get('failure-rates')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      `Failure rates by model, supplier, batch, region (the children of the chosen region), category, age band (days since purchase: 0, 90, 365, 730, 1095, 1460, 1825+), firmware version (the version the unit ran at the time) or cause (the diagnosed cause of the period's failures; "" not diagnosed, over the whole exposure). ` +
      `${RATE} units: units ever in service behind the figure. ${PERIOD}`,
  })
  failureRates(@Query() query: FailureRateQueryDto): Promise<FailureRateReport> {
    return this.analytics.failureRates(query);
  }

  @Get('survival')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      'Survival by time in service per model (all models, or modelIds): Kaplan–Meier share of units still without a failure after each month of service (cumulative deployed time since first deployment), censoring units that have not failed (still working, retired or back in stock), with Greenwood log-log 95% band; ' +
      'rates by age band in the period and a hazard trend (score test for a linear trend in the age-band rates: rising, flat or falling at the 5% level). The survival curve covers the units’ whole history; the age bands the period.',
  })
  survival(@Query() query: ModelsQueryDto): Promise<SurvivalReport> {
    return this.analytics.survival(query);
  }

  @Get('repair-times')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      'Repair times of the failures reported in the period, by model, supplier, repair vendor, region or technician (the assignee). restore: hours from report to service restored (a spare lent, a fix on first response, or the unit back); repair: hours from report to the unit repaired or replaced; median and p90 (R-7 quantiles) over the tickets that reached them. ' +
      `firstTimeFix: share of closed tickets never reopened and with no failed test before the passing one; reopen: share reopened at least once; Wilson 95% intervals. ${PERIOD}`,
  })
  repairTimes(@Query() query: RepairTimeQueryDto): Promise<RepairTimeReport> {
    return this.analytics.repairTimes(query);
  }

  @Get('costs')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      'Repair cost of the tickets reported in the period, by model or supplier: by payer (supplier, insurer, bank, merchant, person), total and per terminal-year of exposure, the bank’s share per terminal-year; ' +
      `warranty claims (against the supplier) and insurance claims: acceptance among decided claims (approved or paid over approved, paid or rejected, Wilson 95% interval), amounts claimed, recovered (paid, else approved) and pending. ${PERIOD}`,
  })
  costs(@Query() query: CostQueryDto): Promise<CostReport> {
    return this.analytics.costs(query);
  }

  @Get('tco')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      'Total cost of ownership per terminal-year of each model (all, or modelIds): purchase (average price paid, else list price, over ANALYTICS_SERVICE_LIFE_YEARS), repairs paid by the bank and by others, insurance premiums (each active policy’s yearly premium shared among the terminals it covers), ' +
      `downtime (hours from report to service restored × ANALYTICS_DOWNTIME_COST_PER_HOUR), spares (the model’s spares on the shelf, their price spread the same way), over the model’s exposure in the period. ${PERIOD}`,
  })
  tco(@Query() query: ModelsQueryDto): Promise<TcoReport> {
    return this.analytics.tco(query);
  }

  @Get('supplier-scorecard')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      `Per supplier: failure rate and early-life rate with their intervals, units, RMA turnaround (hours from shipping to the supplier to the unit back; median and p90), warranty claim acceptance (Wilson interval) and amounts recovered, repair cost per terminal-year, and the standing among suppliers. ${RATE} ${PERIOD}`,
  })
  supplierScorecard(@Query() query: AnalyticsQueryDto): Promise<SupplierScorecard> {
    return this.analytics.supplierScorecard(query);
  }

  @Get('model-comparison')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary: `Two to five models side by side (modelIds): failure and early-life rates, MTBF in years (exposure / failures, interval from the Poisson limits; no point value without a failure), survival and hazard trend, repair times, costs, cost of ownership, and the ranking (small samples flagged, not ranked). ${RATE} ${PERIOD}`,
  })
  compareModels(@Query() query: ModelComparisonQueryDto): Promise<ModelComparison> {
    return this.analytics.compareModels(query);
  }

  @Get('model-comparison.csv')
  @RequirePermission('fleet:read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The model comparison as CSV (UTF-8 with a byte-order mark): one row per model, the scope in the first columns; formula-like cells neutralised' })
  async exportComparison(@Query() query: ModelComparisonQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const comparison = await this.analytics.compareModels(query);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="model-comparison.csv"');
    return new StreamableFile(Readable.from(comparisonCsvRecords(comparison)).pipe(stringify({ header: true, columns: [...COMPARISON_CSV_COLUMNS], bom: true })));
  }

  @Get('spares')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      'Spare pool sizing per region (the children of the chosen region, or the top-level regions): installed base (units in service on average over the period), yearly failure rate (the region’s, or the fleet’s when the region has too little data), turnaround in days (the median report → repaired time of the region’s tickets that needed a repair decision, the fleet’s when it has none, or turnaroundDays), ' +
      `expected demand during one turnaround (base × rate × turnaround / 365), the spares that cover a Poisson demand with probability serviceLevel (default 0.95), and the spares on hand (status spare) with the gap. ${PERIOD}`,
  })
  spares(@Query() query: SpareSizingQueryDto): Promise<SpareSizingReport> {
    return this.analytics.spares(query);
  }

  @Get('terminals/:id/repair-or-replace')
  @RequirePermission('fleet:read')
  @ApiOperation({
    summary:
      'Repair or replace one terminal, by the expected cost over the rest of its planned service life (ANALYTICS_SERVICE_LIFE_YEARS): repair = the quote (nothing in warranty) + the failures its model is expected to have at its age (rates by age band over the last 12 months, the fleet’s where the model has too little data) outside the warranty left × the model’s average repair cost to the bank; ' +
      'replace = the new unit’s price for the part of its life used + a new unit’s expected failures outside its warranty × the same cost. The cheaper is recommended; every term is listed in reasons. A terminal outside the user’s region is not found.',
  })
  repairOrReplace(@Param('id', ParseIdPipe) id: number, @Query() query: RepairOrReplaceQueryDto): Promise<RepairOrReplaceAnswer> {
    return this.analytics.repairOrReplace(id, query);
  }
}
