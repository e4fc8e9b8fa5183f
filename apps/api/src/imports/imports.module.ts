import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { memoryStorage } from 'multer';
import { CatalogModule } from '../catalog/catalog.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RegionsModule } from '../regions/regions.module';
import { TerminalsModule } from '../terminals/terminals.module';
import { WarrantiesModule } from '../warranties/warranties.module';
import { ImportJobEntity } from './import-job.entity';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ImportJobEntity]),
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ storage: memoryStorage(), limits: { fileSize: config.importMaxBytes, files: 1, fields: 5 } }),
    }),
    TerminalsModule,
    CatalogModule,
    RegionsModule,
    WarrantiesModule,
  ],
  controllers: [ImportsController],
  providers: [ImportsRepository, ImportsService],
})
export class ImportsModule {}
