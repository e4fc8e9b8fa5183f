import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AssetSequenceEntity } from './asset-sequence.entity';
import { MerchantEntity } from './merchant.entity';
import { MerchantsController } from './merchants.controller';
import { RegionEntity } from './region.entity';
import { RegionsController } from './regions.controller';
import { RegionsRepository } from './regions.repository';
import { RegionsService } from './regions.service';

@Module({
  imports: [TypeOrmModule.forFeature([RegionEntity, MerchantEntity, AssetSequenceEntity]), AuditModule],
  controllers: [RegionsController, MerchantsController],
  providers: [RegionsRepository, RegionsService],
  exports: [RegionsService],
})
export class RegionsModule {}
