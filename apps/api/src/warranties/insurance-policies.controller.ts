import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { InsurancePolicyResponse } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { CreateInsurancePolicyDto, UpdateInsurancePolicyDto } from './insurance-policies.dto';
import { InsurancePoliciesService } from './insurance-policies.service';

@ApiTags('insurance')
@Controller('insurance-policies')
export class InsurancePoliciesController {
  constructor(private readonly policies: InsurancePoliciesService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Insurance policies, soonest to end first, with the terminals each covers' })
  list(): Promise<InsurancePolicyResponse[]> {
    return this.policies.list();
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  get(@Param('id', ParseIdPipe) id: number): Promise<InsurancePolicyResponse> {
    return this.policies.describe(id);
  }

  @Post()
  @RequirePermission('policies:write')
  create(@CurrentActor() actor: Actor, @Body() body: CreateInsurancePolicyDto): Promise<InsurancePolicyResponse> {
    return this.policies.create(actor, body);
  }

  @Patch(':id')
  @RequirePermission('policies:write')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateInsurancePolicyDto, @Headers('if-match') ifMatch?: string): Promise<InsurancePolicyResponse> {
    return this.policies.update(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('policies:write')
  @ApiOperation({ summary: 'Delete a policy that covers no terminal (409 RECORD_IN_USE otherwise)' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.policies.remove(actor, id);
  }
}
