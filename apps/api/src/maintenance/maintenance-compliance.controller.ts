import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BehindTerminalResponse, MaintenanceComplianceResponse, Page } from '@fleet/shared';
import { PageQueryDto } from '../common/api-dtos';
import { RequirePermission } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { MaintenanceComplianceService } from './maintenance-compliance.service';

/** Firmware and app compliance of the deployed fleet against each model's target versions. */
@ApiTags('maintenance')
@Controller('maintenance/compliance')
export class MaintenanceComplianceController {
  constructor(private readonly compliance: MaintenanceComplianceService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Per model: target firmware and app versions (its health policy), deployed terminals, on target, behind, unknown, share (versions of the terminal records)' })
  overview(): Promise<MaintenanceComplianceResponse> {
    return this.compliance.overview();
  }

  @Get(':modelId/behind')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'The model’s deployed terminals not on target, with their versions, by asset number' })
  behind(@Param('modelId', ParseIdPipe) modelId: number, @Query() query: PageQueryDto): Promise<Page<BehindTerminalResponse>> {
    return this.compliance.behind(modelId, query);
  }
}
