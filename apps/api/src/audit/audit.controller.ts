import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditEntryResponse, Page } from '@fleet/shared';
import { FleetWide, RequirePermission } from '../common/authorization';
import { ListAuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@FleetWide()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({ summary: 'The audit log, newest first, filtered by record, actor, action and time' })
  list(@Query() query: ListAuditQueryDto): Promise<Page<AuditEntryResponse>> {
    return this.audit.list(query);
  }
}
