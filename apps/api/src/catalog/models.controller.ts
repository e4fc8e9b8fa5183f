import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ModelResponse } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { CreateModelDto, UpdateModelDto } from './catalog.dto';
import { CatalogService } from './catalog.service';

@ApiTags('catalog')
@Controller('models')
export class ModelsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'All terminal models with their terminal counts' })
  list(): Promise<ModelResponse[]> {
    return this.catalog.listModels();
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  get(@Param('id', ParseIdPipe) id: number): Promise<ModelResponse> {
    return this.catalog.describeModel(id);
  }

  @Post()
  @RequirePermission('catalog:write')
  create(@CurrentActor() actor: Actor, @Body() body: CreateModelDto): Promise<ModelResponse> {
    return this.catalog.createModel(actor, body);
  }

  @Patch(':id')
  @RequirePermission('catalog:write')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateModelDto, @Headers('if-match') ifMatch?: string): Promise<ModelResponse> {
    return this.catalog.updateModel(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('catalog:write')
  @ApiOperation({ summary: 'Delete a model no terminal uses (409 RECORD_IN_USE otherwise)' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.catalog.deleteModel(actor, id);
  }
}
