/**
 * The photo files of fault tickets, in `<DATA_DIR>/incident-photos/<ticket id>/`:
 * outside the web root (only the photo routes, after their access checks,
 * read them), under random names (never the uploaded one). Each file is
 * written under a temporary name, flushed to disk and then renamed, so a
 * crash leaves the whole photo or none, at worst a `.tmp` file no row names.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PHOTO_EXTENSIONS, THUMBNAIL_FORMAT, type ProcessedPhoto } from './incident-photo-image';

export type PhotoVariant = 'image' | 'thumbnail';

export interface StoredFile {
  stream: ReadStream;
  size: number;
}

const STORED_NAME = /^([0-9a-f]{32})\.(jpg|png|webp)$/;

async function writeDurably(path: string, data: Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Makes the renames themselves durable. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

@Injectable()
export class IncidentPhotoStorage {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = join(config.dataDir, 'incident-photos');
  }

  /** Writes the image and its thumbnail, both or neither; returns the image's stored name. */
  async save(incidentId: number, photo: ProcessedPhoto): Promise<string> {
    const directory = this.directory(incidentId);
    await mkdir(directory, { recursive: true });
    const storedName = `${randomBytes(16).toString('hex')}.${PHOTO_EXTENSIONS[photo.image.format]}`;
    try {
      await writeDurably(this.path(incidentId, storedName, 'image'), photo.image.data);
      await writeDurably(this.path(incidentId, storedName, 'thumbnail'), photo.thumbnail.data);
      await syncDirectory(directory);
    } catch (error) {
      await this.remove(incidentId, storedName);
      throw error;
    }
    return storedName;
  }

  /** The file opened for reading, or null when it is not on disk. */
  async open(incidentId: number, storedName: string, variant: PhotoVariant): Promise<StoredFile | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.path(incidentId, storedName, variant), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      return { stream: handle.createReadStream(), size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async remove(incidentId: number, storedName: string): Promise<void> {
    await rm(this.path(incidentId, storedName, 'image'), { force: true });
    await rm(this.path(incidentId, storedName, 'thumbnail'), { force: true });
  }

  private directory(incidentId: number): string {
    if (!Number.isSafeInteger(incidentId) || incidentId < 1) throw new Error(`Not a ticket id: ${incidentId}`);
    return join(this.root, String(incidentId));
  }

  private path(incidentId: number, storedName: string, variant: PhotoVariant): string {
    // Names come from our own rows; checked all the same so that no value can reach outside the folder.
    const match = STORED_NAME.exec(storedName);
    if (!match) throw new Error('Not a stored photo name');
    const name = variant === 'image' ? storedName : `${match[1]}.thumb.${PHOTO_EXTENSIONS[THUMBNAIL_FORMAT]}`;
    return join(this.directory(incidentId), name);
  }
}
