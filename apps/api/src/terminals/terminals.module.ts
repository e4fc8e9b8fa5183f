import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { RegionsModule } from '../regions/regions.module';
import { WarrantiesModule } from '../warranties/warranties.module';
import { TerminalEntity } from './terminal.entity';
import { TerminalsController } from './terminals.controller';
import { TerminalsRepository } from './terminals.repository';
import { TerminalsService } from './terminals.service';

@Module({
  imports: [TypeOrmModule.forFeature([TerminalEntity]), AuditModule, CatalogModule, RegionsModule, WarrantiesModule],
  controllers: [TerminalsController],
  providers: [TerminalsRepository, TerminalsService],
  exports: [TerminalsService],
})
export class TerminalsModule {}
