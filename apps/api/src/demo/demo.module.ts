import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { RegionsModule } from '../regions/regions.module';
import { TerminalsModule } from '../terminals/terminals.module';
import { UsersModule } from '../users/users.module';
import { WarrantiesModule } from '../warranties/warranties.module';
import { DemoService } from './demo.service';

@Module({
  imports: [UsersModule, CatalogModule, RegionsModule, WarrantiesModule, TerminalsModule],
  providers: [DemoService],
})
export class DemoModule {}
