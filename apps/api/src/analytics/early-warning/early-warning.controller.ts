import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EarlyWarningReport } from '@fleet/shared';
import { RequirePermission } from '../../common/authorization';
import { EarlyWarningQueryDto } from './early-warning.dto';
import { EarlyWarningService } from './early-warning.service';

const EARLY_WARNING =
  'The proactive swap list (预防性更换): deployed terminals whose heartbeat trends resemble those of units that failed, highest score first, with the evidence. ' +
  'Per terminal and signal (battery_fade: daily battery low, %; error_rise: error codes a day; reboot_rise: drop-outs a day, going offline and back, as heartbeats carry no boot counter; ' +
  'signal_weakening: daily mean dBm; temperature_rise: daily highest °C), from the daily heartbeat rollups: the mean over the last 14 days (recent) against the 28 days before (baseline), ' +
  'change = recent − baseline signed so that larger is worse. Learnt from the failures of the last year (tickets not closed as no fault found, duplicate or cancelled), ' +
  'their windows ending the day of the failure, against the deployed units without a failure. likelihoodRatio: how much more common a change like this one was among units that failed ' +
  'than among the others (in the narrowest interval around it holding the nearest √n units of each group, 10 to 100), shrunk towards 1 as if 20 more failed units had looked like the others, ' +
  'null when the signal is unknown or no failed unit showed it; failedMedianChange: the median change before a failure. ' +
  'score = sum of ln likelihoodRatio over the known signals (naive Bayes: ln of how many times the unit’s odds of failing exceed the fleet’s); listed from ln 5, at most 10,000. ' +
  'Recomputed every EARLY_WARNING_CHECK_SECONDS (asOf: when; basis: what it learnt from). Filters: regionId (with sub-regions), modelId. Within the user’s region scope.';

@ApiTags('analytics')
@Controller('analytics')
export class EarlyWarningController {
  constructor(private readonly earlyWarning: EarlyWarningService) {}

  @Get('early-warning')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: EARLY_WARNING })
  report(@Query() query: EarlyWarningQueryDto): Promise<EarlyWarningReport> {
    return this.earlyWarning.report(query);
  }
}
