import { Body, Controller, Get, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { ApplyImportRequest, ImportJobResponse } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { DomainException } from '../common/domain.exception';
import { ParseIdPipe } from '../common/id.pipe';
import { ImportsService } from './imports.service';

export class ApplyImportDto implements ApplyImportRequest {
  @ApiPropertyOptional({ description: 'Write the valid rows and skip the others' })
  @IsOptional()
  @IsBoolean()
  onlyValidRows?: boolean;
}

class UploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'CSV with the columns of the terminal export' })
  file: unknown;
}

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('terminals')
  @HttpCode(202)
  @RequirePermission('imports:run')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiOperation({ summary: 'Upload a terminal CSV; starts the dry run (poll the job for progress and row errors)' })
  upload(@CurrentActor() actor: Actor, @UploadedFile() file: Express.Multer.File | undefined): Promise<ImportJobResponse> {
    if (!file) throw DomainException.invalidField('file', 'required', 'file is required (multipart field "file")');
    return this.imports.start(actor, file.originalname || 'upload.csv', file.buffer);
  }

  @Get(':id')
  @RequirePermission('imports:run')
  @ApiOperation({ summary: 'An import job: status, progress, counts and row errors' })
  get(@Param('id', ParseIdPipe) id: number): Promise<ImportJobResponse> {
    return this.imports.describe(id);
  }

  @Post(':id/apply')
  @HttpCode(202)
  @RequirePermission('imports:run')
  @ApiOperation({ summary: 'Write a checked import; 422 IMPORT_HAS_ERRORS if it has errors and onlyValidRows is not set' })
  apply(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: ApplyImportDto): Promise<ImportJobResponse> {
    return this.imports.apply(actor, id, body.onlyValidRows ?? false);
  }
}
