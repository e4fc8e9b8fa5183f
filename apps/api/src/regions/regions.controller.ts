import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RegionResponse } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { CreateRegionDto, UpdateRegionDto } from './regions.dto';
import { RegionsService } from './regions.service';

@ApiTags('regions')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'The region tree as a flat list in tree order, with terminal counts including sub-regions' })
  list(): Promise<RegionResponse[]> {
    return this.regions.listRegions();
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  get(@Param('id', ParseIdPipe) id: number): Promise<RegionResponse> {
    return this.regions.describeRegion(id);
  }

  @Post()
  @RequirePermission('regions:write')
  create(@CurrentActor() actor: Actor, @Body() body: CreateRegionDto): Promise<RegionResponse> {
    return this.regions.createRegion(actor, body);
  }

  @Patch(':id')
  @RequirePermission('regions:write')
  @ApiOperation({ summary: 'Rename or move a region (its code is part of asset numbers and never changes)' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateRegionDto, @Headers('if-match') ifMatch?: string): Promise<RegionResponse> {
    return this.regions.updateRegion(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('regions:write')
  @ApiOperation({ summary: 'Delete an empty region with no sub-regions' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.regions.deleteRegion(actor, id);
  }
}
