import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SupplierResponse } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { CreateSupplierDto, UpdateSupplierDto } from './catalog.dto';
import { CatalogService } from './catalog.service';

@ApiTags('catalog')
@Controller('suppliers')
export class SuppliersController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'All suppliers with their terminal counts' })
  list(): Promise<SupplierResponse[]> {
    return this.catalog.listSuppliers();
  }

  @Get(':id')
  @RequirePermission('fleet:read')
  get(@Param('id', ParseIdPipe) id: number): Promise<SupplierResponse> {
    return this.catalog.describeSupplier(id);
  }

  @Post()
  @RequirePermission('catalog:write')
  create(@CurrentActor() actor: Actor, @Body() body: CreateSupplierDto): Promise<SupplierResponse> {
    return this.catalog.createSupplier(actor, body);
  }

  @Patch(':id')
  @RequirePermission('catalog:write')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateSupplierDto, @Headers('if-match') ifMatch?: string): Promise<SupplierResponse> {
    return this.catalog.updateSupplier(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('catalog:write')
  @ApiOperation({ summary: 'Delete a supplier no terminal uses (409 RECORD_IN_USE otherwise)' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.catalog.deleteSupplier(actor, id);
  }
}
