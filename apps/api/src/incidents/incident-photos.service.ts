/**
 * Photos as evidence on fault tickets (拍照留证): who may see the ticket sees
 * its photos; photos are added to open tickets only, up to
 * MAX_PHOTOS_PER_INCIDENT, and each one shows on the ticket's timeline. A
 * photo is the file on disk, its row and its timeline event: when a later
 * step fails the earlier ones are undone, so a refused upload leaves nothing.
 */
import { Injectable, Logger } from '@nestjs/common';
import { formatIncidentNumber, MAX_PHOTOS_PER_INCIDENT, type IncidentPhotoResponse } from '@fleet/shared';
import type { ReadStream } from 'node:fs';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { TransactionRunner } from '../database/transaction';
import { PHOTO_CONTENT_TYPES, PHOTO_EXTENSIONS, processPhoto, THUMBNAIL_FORMAT, type PhotoFormat } from './incident-photo-image';
import { IncidentPhotoStorage, type PhotoVariant } from './incident-photo-storage';
import type { IncidentPhotoEntity } from './incident-photo.entity';
import { IncidentPhotosRepository } from './incident-photos.repository';
import { IncidentsService } from './incidents.service';

export interface PhotoUpload {
  originalName: string;
  data: Buffer;
}

export interface PhotoFile {
  stream: ReadStream;
  size: number;
  contentType: string;
  /** A name for Content-Disposition: the ticket number, the photo id and the real extension, nothing the uploader chose. */
  fileName: string;
}

export function toIncidentPhotoResponse(photo: IncidentPhotoEntity): IncidentPhotoResponse {
  const url = `/incidents/${photo.incidentId}/photos/${photo.id}`;
  return {
    id: photo.id,
    originalName: photo.originalName,
    contentType: photo.contentType,
    size: photo.size,
    width: photo.width,
    height: photo.height,
    uploadedAt: photo.uploadedAt.toISOString(),
    uploadedBy: photo.uploadedByName,
    url,
    thumbnailUrl: `${url}/thumbnail`,
  };
}

/** The uploaded name as shown back: no folders, no control or bidirectional-override characters, at most 255 characters. */
export function cleanOriginalName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = Array.from(base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()).slice(0, 255).join('');
  return clean || 'photo';
}

function formatOf(contentType: string): PhotoFormat {
  const entry = Object.entries(PHOTO_CONTENT_TYPES).find(([, type]) => type === contentType);
  if (!entry) throw new Error(`Stored photo of unknown type ${contentType}`);
  return entry[0] as PhotoFormat;
}

function photoNotFound(incidentId: number, photoId: number): DomainException {
  return new DomainException('INCIDENT_PHOTO_NOT_FOUND', `${formatIncidentNumber(incidentId)} has no photo ${photoId}`);
}

function assertRoomFor(count: number): void {
  if (count >= MAX_PHOTOS_PER_INCIDENT) {
    throw new DomainException('INCIDENT_PHOTO_LIMIT', `A ticket holds at most ${MAX_PHOTOS_PER_INCIDENT} photos`, { limit: MAX_PHOTOS_PER_INCIDENT });
  }
}

@Injectable()
export class IncidentPhotosService {
  private readonly logger = new Logger(IncidentPhotosService.name);

  constructor(
    private readonly incidents: IncidentsService,
    private readonly repository: IncidentPhotosRepository,
    private readonly storage: IncidentPhotoStorage,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async list(incidentId: number): Promise<IncidentPhotoResponse[]> {
    const incident = await this.incidents.getIncident(incidentId);
    return (await this.repository.listByIncident(incident.id)).map(toIncidentPhotoResponse);
  }

  async add(actor: Actor, incidentId: number, upload: PhotoUpload): Promise<IncidentPhotoResponse> {
    const incident = await this.incidents.getIncident(incidentId);
    this.incidents.assertOpen(incident);
    // Checked before the decoding work, and again with the insert, where it holds against a concurrent upload.
    assertRoomFor(await this.repository.countByIncident(incident.id));
    const photo = await processPhoto(upload.data);
    const originalName = cleanOriginalName(upload.originalName);
    const storedName = await this.storage.save(incident.id, photo);
    let saved: IncidentPhotoEntity | null = null;
    try {
      saved = await this.transactions.run(async (tx) => {
        await this.repository.lockIncident(tx, incident.id);
        assertRoomFor(await this.repository.countByIncident(incident.id, tx));
        return this.repository.insert(tx, {
          incidentId: incident.id,
          storedName,
          originalName,
          contentType: PHOTO_CONTENT_TYPES[photo.image.format],
          size: photo.image.data.length,
          width: photo.image.width,
          height: photo.image.height,
          uploadedById: actor.id,
          uploadedByName: actor.username,
          uploadedAt: this.clock.now(),
        });
      });
      await this.incidents.addEvent(actor, incident.id, 'photo_added', { photoId: saved.id, originalName });
    } catch (error) {
      await this.discard(incident.id, storedName, saved);
      throw error;
    }
    this.logger.debug(`Photo ${saved.id} added to ${formatIncidentNumber(incident.id)}`);
    return toIncidentPhotoResponse(saved);
  }

  /** The image or its thumbnail, once the ticket is found within the user's scope. */
  async open(incidentId: number, photoId: number, variant: PhotoVariant): Promise<PhotoFile> {
    const incident = await this.incidents.getIncident(incidentId);
    const photo = await this.repository.findInIncident(incident.id, photoId);
    if (!photo) throw photoNotFound(incident.id, photoId);
    const file = await this.storage.open(incident.id, photo.storedName, variant);
    if (!file) {
      this.logger.error(`The ${variant} file of photo ${photo.id} of ${formatIncidentNumber(incident.id)} is missing from the data directory`);
      throw photoNotFound(incident.id, photoId);
    }
    const format = variant === 'thumbnail' ? THUMBNAIL_FORMAT : formatOf(photo.contentType);
    const suffix = variant === 'thumbnail' ? '-thumbnail' : '';
    return {
      ...file,
      contentType: PHOTO_CONTENT_TYPES[format],
      fileName: `${formatIncidentNumber(incident.id)}-photo-${photo.id}${suffix}.${PHOTO_EXTENSIONS[format]}`,
    };
  }

  /** Undoes a failed upload; a failure here is logged and the upload's own error is the answer. */
  private async discard(incidentId: number, storedName: string, saved: IncidentPhotoEntity | null): Promise<void> {
    try {
      if (saved) await this.transactions.run((tx) => this.repository.delete(tx, saved.id));
      await this.storage.remove(incidentId, storedName);
    } catch (error) {
      this.logger.error(`Could not undo a failed photo upload to ${formatIncidentNumber(incidentId)} (${storedName}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
