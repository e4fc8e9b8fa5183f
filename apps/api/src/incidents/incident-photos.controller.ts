import {
  BadRequestException,
  Controller,
  Get,
  Injectable,
  Param,
  PayloadTooLargeException,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_INCIDENT, PHOTO_TYPES, type IncidentPhotoResponse } from '@fleet/shared';
import type { Response } from 'express';
import { memoryStorage } from 'multer';
import type { Observable } from 'rxjs';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { DomainException } from '../common/domain.exception';
import { parseId, ParseIdPipe } from '../common/id.pipe';
import { PHOTO_CONTENT_TYPES, THUMBNAIL_FORMAT, THUMBNAIL_SIZE } from './incident-photo-image';
import type { PhotoVariant } from './incident-photo-storage';
import { IncidentPhotosService } from './incident-photos.service';

class UploadPhotoDto {
  @ApiProperty({ type: 'string', format: 'binary', description: `A JPEG, PNG or WebP photo of at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB` })
  file: unknown;
}

/** multer's refusals, answered like the API's own: with the field they concern. */
function uploadRefusal(error: unknown): unknown {
  if (error instanceof PayloadTooLargeException) {
    const message = `larger than ${MAX_PHOTO_BYTES} bytes`;
    return new DomainException('PAYLOAD_TOO_LARGE', `Invalid input: file: ${message}`, { fields: [{ field: 'file', code: 'maxSize', message }], maxBytes: MAX_PHOTO_BYTES });
  }
  if (error instanceof BadRequestException) return DomainException.invalidField('file', 'multipart', error.message);
  return error;
}

/**
 * One photo in memory (it is decoded and re-encoded before anything is
 * written). Browsers send file names as raw UTF-8, so that is how they are
 * read: a photo named 屏幕碎裂.jpg keeps its name.
 */
@Injectable()
class PhotoUploadInterceptor extends FileInterceptor('file', {
  storage: memoryStorage(),
  limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 5 },
  defParamCharset: 'utf8',
}) {
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (error) {
      throw uploadRefusal(error);
    }
  }
}

/** Photos as evidence on fault tickets (拍照留证). */
@ApiTags('incidents')
@Controller('incidents')
export class IncidentPhotosController {
  constructor(private readonly photos: IncidentPhotosService) {}

  @Get(':id/photos')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'The photos of a ticket, oldest first, with the paths of each image and thumbnail' })
  list(@Param('id', ParseIdPipe) id: number): Promise<IncidentPhotoResponse[]> {
    return this.photos.list(id);
  }

  @Post(':id/photos')
  @RequirePermission('incidents:report')
  @UseInterceptors(PhotoUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadPhotoDto })
  @ApiOperation({
    summary:
      `Add a photo to an open ticket (拍照留证): checked by its content (${PHOTO_TYPES.join(', ')}; otherwise 415), ` +
      `at most ${MAX_PHOTO_BYTES} bytes (413), ${MAX_PHOTOS_PER_INCIDENT} per ticket (409 INCIDENT_PHOTO_LIMIT); ` +
      'stored re-encoded without its EXIF data (GPS position), with a thumbnail',
  })
  add(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @UploadedFile() file: Express.Multer.File | undefined): Promise<IncidentPhotoResponse> {
    if (!file) throw DomainException.invalidField('file', 'required', 'file is required (multipart field "file")');
    return this.photos.add(actor, id, { originalName: file.originalname, data: file.buffer });
  }

  @Get(':id/photos/:photoId')
  @RequirePermission('fleet:read')
  @ApiProduces(...PHOTO_TYPES)
  @ApiOperation({ summary: 'The photo as stored (re-encoded, without EXIF data)' })
  image(@Param('id', ParseIdPipe) id: number, @Param('photoId', parseId('photoId')) photoId: number, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send(response, id, photoId, 'image');
  }

  @Get(':id/photos/:photoId/thumbnail')
  @RequirePermission('fleet:read')
  @ApiProduces(PHOTO_CONTENT_TYPES[THUMBNAIL_FORMAT])
  @ApiOperation({ summary: `A thumbnail of the photo (${PHOTO_CONTENT_TYPES[THUMBNAIL_FORMAT]}, within ${THUMBNAIL_SIZE}×${THUMBNAIL_SIZE} pixels)` })
  thumbnail(@Param('id', ParseIdPipe) id: number, @Param('photoId', parseId('photoId')) photoId: number, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send(response, id, photoId, 'thumbnail');
  }

  private async send(response: Response, id: number, photoId: number, variant: PhotoVariant): Promise<StreamableFile> {
    const file = await this.photos.open(id, photoId, variant);
    // Set only once the photo is found, so that no browser keeps an error answer. A stored photo never
    // changes; private keeps it out of shared caches, nosniff keeps the browser from reading it as anything else.
    response.setHeader('Cache-Control', 'private, max-age=86400');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(file.stream, { type: file.contentType, length: file.size, disposition: `inline; filename="${file.fileName}"` });
  }
}
