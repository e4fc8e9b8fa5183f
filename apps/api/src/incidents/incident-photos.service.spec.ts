import { Logger } from '@nestjs/common';
import { MAX_PHOTOS_PER_INCIDENT } from '@fleet/shared';
import sharp from 'sharp';
import { Readable } from 'node:stream';
import { FixedClock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import type { Tx } from '../database/transaction';
import { IncidentPhotoEntity } from './incident-photo.entity';
import type { IncidentEntity } from './incident.entity';
import { cleanOriginalName, IncidentPhotosService } from './incident-photos.service';

Logger.overrideLogger(false);

const clock = new FixedClock(new Date('2026-11-22T08:00:00Z'));
const tx = {} as Tx;
const actor = { id: 3, username: 'li', role: 'technician' as const, sessionId: 9 };
const STORED = `${'ab'.repeat(16)}.png`;

function newIncident(overrides: Partial<IncidentEntity> = {}): IncidentEntity {
  return { id: 12, stage: 'diagnosis', ...overrides } as IncidentEntity;
}

function newPhotoRow(overrides: Partial<IncidentPhotoEntity> = {}): IncidentPhotoEntity {
  return Object.assign(new IncidentPhotoEntity(), {
    id: 40,
    incidentId: 12,
    storedName: STORED,
    originalName: 'cracked.png',
    contentType: 'image/png',
    size: 100,
    width: 64,
    height: 48,
    uploadedById: actor.id,
    uploadedByName: actor.username,
    uploadedAt: clock.now(),
    ...overrides,
  });
}

function setup(incident = newIncident()) {
  const incidents = {
    getIncident: jest.fn().mockResolvedValue(incident),
    assertOpen: jest.fn((ticket: IncidentEntity) => {
      if (ticket.stage === 'closed') throw new DomainException('INCIDENT_CLOSED', 'closed');
    }),
    addEvent: jest.fn().mockResolvedValue(undefined),
  };
  const repository = {
    listByIncident: jest.fn().mockResolvedValue([]),
    findInIncident: jest.fn().mockResolvedValue(newPhotoRow()),
    countByIncident: jest.fn().mockResolvedValue(0),
    lockIncident: jest.fn().mockResolvedValue(undefined),
    insert: jest.fn(async (_tx: Tx, row: Omit<IncidentPhotoEntity, 'id'>) => newPhotoRow({ ...row, id: 41 })),
    delete: jest.fn().mockResolvedValue(undefined),
  };
  const storage = {
    save: jest.fn().mockResolvedValue(STORED),
    open: jest.fn().mockResolvedValue({ stream: Readable.from(['bytes']), size: 5 }),
    remove: jest.fn().mockResolvedValue(undefined),
  };
  const transactions = { run: jest.fn((work: (t: Tx) => Promise<unknown>) => work(tx)) };
  const service = new IncidentPhotosService(incidents as never, repository as never, storage as never, transactions as never, clock);
  return { service, incidents, repository, storage };
}

const png = () => sharp({ create: { width: 64, height: 48, channels: 3, background: '#c03030' } }).png().toBuffer();

describe(IncidentPhotosService.name, () => {
  it('should store a photo checked by its content, note it on the timeline and answer its paths', async () => {
    const { service, incidents, repository, storage } = setup();
    const answer = await service.add(actor, 12, { originalName: 'C:\\fakepath\\裂屏.jpg', data: await png() });
    expect(storage.save).toHaveBeenCalledWith(12, expect.objectContaining({ image: expect.objectContaining({ format: 'png', width: 64, height: 48 }) }));
    expect(repository.lockIncident).toHaveBeenCalledWith(tx, 12);
    expect(repository.insert).toHaveBeenCalledWith(tx, expect.objectContaining({ incidentId: 12, storedName: STORED, originalName: '裂屏.jpg', contentType: 'image/png', uploadedById: 3, uploadedByName: 'li', uploadedAt: clock.now() }));
    expect(incidents.addEvent).toHaveBeenCalledWith(actor, 12, 'photo_added', { photoId: 41, originalName: '裂屏.jpg' });
    expect(answer).toMatchObject({ id: 41, originalName: '裂屏.jpg', contentType: 'image/png', uploadedBy: 'li', uploadedAt: '2026-11-22T08:00:00.000Z', url: '/incidents/12/photos/41', thumbnailUrl: '/incidents/12/photos/41/thumbnail' });
  });

  it('should refuse a photo on a closed ticket before reading it', async () => {
    const { service, storage } = setup(newIncident({ stage: 'closed' }));
    await expect(service.add(actor, 12, { originalName: 'a.png', data: await png() })).rejects.toMatchObject({ code: 'INCIDENT_CLOSED' });
    expect(storage.save).not.toHaveBeenCalled();
  });

  it(`should refuse a photo beyond the ${MAX_PHOTOS_PER_INCIDENT}th, storing nothing`, async () => {
    const { service, storage, repository } = setup();
    repository.countByIncident.mockResolvedValue(MAX_PHOTOS_PER_INCIDENT);
    await expect(service.add(actor, 12, { originalName: 'a.png', data: await png() })).rejects.toMatchObject({ code: 'INCIDENT_PHOTO_LIMIT' });
    expect(storage.save).not.toHaveBeenCalled();
  });

  it('should refuse a file that is not a photo, storing nothing', async () => {
    const { service, storage, repository } = setup();
    await expect(service.add(actor, 12, { originalName: 'photo.jpg', data: Buffer.from('not a photo') })).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(storage.save).not.toHaveBeenCalled();
    expect(repository.insert).not.toHaveBeenCalled();
  });

  it('should remove the stored files when the limit is reached by another upload meanwhile', async () => {
    const { service, repository, storage, incidents } = setup();
    repository.countByIncident.mockResolvedValueOnce(MAX_PHOTOS_PER_INCIDENT - 1).mockResolvedValueOnce(MAX_PHOTOS_PER_INCIDENT);
    await expect(service.add(actor, 12, { originalName: 'a.png', data: await png() })).rejects.toMatchObject({ code: 'INCIDENT_PHOTO_LIMIT' });
    expect(repository.countByIncident).toHaveBeenLastCalledWith(12, tx);
    expect(storage.remove).toHaveBeenCalledWith(12, STORED);
    expect(incidents.addEvent).not.toHaveBeenCalled();
  });

  it('should remove the stored files when the insert fails', async () => {
    const { service, repository, storage } = setup();
    repository.insert.mockRejectedValue(new Error('database gone'));
    await expect(service.add(actor, 12, { originalName: 'a.png', data: await png() })).rejects.toThrow('database gone');
    expect(storage.remove).toHaveBeenCalledWith(12, STORED);
    expect(repository.delete).not.toHaveBeenCalled();
  });

  it('should remove the row and the files when the timeline event cannot be written', async () => {
    const { service, repository, storage, incidents } = setup();
    incidents.addEvent.mockRejectedValue(new Error('database gone'));
    await expect(service.add(actor, 12, { originalName: 'a.png', data: await png() })).rejects.toThrow('database gone');
    expect(repository.delete).toHaveBeenCalledWith(tx, 41);
    expect(storage.remove).toHaveBeenCalledWith(12, STORED);
  });

  it('should answer the thumbnail as WebP with a name made of the ticket number, never the uploaded name', async () => {
    const { service, storage } = setup();
    const file = await service.open(12, 40, 'thumbnail');
    expect(storage.open).toHaveBeenCalledWith(12, STORED, 'thumbnail');
    expect(file).toMatchObject({ contentType: 'image/webp', size: 5, fileName: 'INC-000012-photo-40-thumbnail.webp' });
    expect(await service.open(12, 40, 'image')).toMatchObject({ contentType: 'image/png', fileName: 'INC-000012-photo-40.png' });
  });

  it('should not find a photo of another ticket, nor one whose file is gone', async () => {
    const { service, repository, storage } = setup();
    repository.findInIncident.mockResolvedValueOnce(null);
    await expect(service.open(12, 40, 'image')).rejects.toMatchObject({ code: 'INCIDENT_PHOTO_NOT_FOUND' });
    expect(repository.findInIncident).toHaveBeenCalledWith(12, 40);
    storage.open.mockResolvedValueOnce(null);
    await expect(service.open(12, 40, 'image')).rejects.toMatchObject({ code: 'INCIDENT_PHOTO_NOT_FOUND' });
  });

  it('should not list nor read the photos of a ticket the user may not see', async () => {
    const { service, incidents, repository } = setup();
    incidents.getIncident.mockRejectedValue(new DomainException('INCIDENT_NOT_FOUND', 'No fault ticket 12'));
    await expect(service.list(12)).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
    await expect(service.open(12, 40, 'image')).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
    expect(repository.listByIncident).not.toHaveBeenCalled();
    expect(repository.findInIncident).not.toHaveBeenCalled();
  });
});

describe(cleanOriginalName.name, () => {
  it.each([
    ['keep a Chinese name', '裂屏.jpg', '裂屏.jpg'],
    ['drop the folders a browser sent', 'C:\\fakepath\\IMG_0001.JPG', 'IMG_0001.JPG'],
    ['drop relative folders', '../../etc/passwd', 'passwd'],
    ['drop a right-to-left override that disguises the extension', 'photo\u202Egpj.exe', 'photogpj.exe'],
    ['drop line breaks', 'line\r\nbreak.png', 'linebreak.png'],
    ['name a blank name', '   ', 'photo'],
    ['name an empty name', '', 'photo'],
    ['cut a long name at 255 characters', `${'长'.repeat(300)}.jpg`, '长'.repeat(255)],
  ])('should %s', (_case, name, shown) => {
    expect(cleanOriginalName(name)).toBe(shown);
  });
});
