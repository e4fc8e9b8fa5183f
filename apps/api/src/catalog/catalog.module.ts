import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { ModelEntity } from './model.entity';
import { ModelsController } from './models.controller';
import { SupplierEntity } from './supplier.entity';
import { SuppliersController } from './suppliers.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ModelEntity, SupplierEntity]), AuditModule],
  controllers: [ModelsController, SuppliersController],
  providers: [CatalogRepository, CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
