import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MerchantResponse, Page } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { CreateMerchantDto, ListMerchantsQueryDto, UpdateMerchantDto } from './regions.dto';
import { RegionsService } from './regions.service';

@ApiTags('merchants')
@Controller('merchants')
export class MerchantsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Merchants, filtered by region (with sub-regions) and name' })
  list(@Query() query: ListMerchantsQueryDto): Promise<Page<MerchantResponse>> {
    return this.regions.listMerchants(query);
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  get(@Param('id', ParseIdPipe) id: number): Promise<MerchantResponse> {
    return this.regions.describeMerchant(id);
  }

  @Post()
  @RequirePermission('merchants:write')
  create(@CurrentActor() actor: Actor, @Body() body: CreateMerchantDto): Promise<MerchantResponse> {
    return this.regions.createMerchant(actor, body);
  }

  @Patch(':id')
  @RequirePermission('merchants:write')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateMerchantDto, @Headers('if-match') ifMatch?: string): Promise<MerchantResponse> {
    return this.regions.updateMerchant(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('merchants:write')
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.regions.deleteMerchant(actor, id);
  }
}
