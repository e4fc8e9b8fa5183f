import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import type { AppConfig } from '../config/app-config';
import type { ProcessedPhoto } from './incident-photo-image';
import { IncidentPhotoStorage } from './incident-photo-storage';

jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return { ...actual, rename: jest.fn(actual.rename) };
});

function newPhoto(): ProcessedPhoto {
  return {
    image: { data: Buffer.from('full image bytes'), format: 'jpeg', width: 4, height: 3 },
    thumbnail: { data: Buffer.from('thumbnail bytes'), format: 'webp', width: 4, height: 3 },
  };
}

describe(IncidentPhotoStorage.name, () => {
  let dataDir: string;
  let storage: IncidentPhotoStorage;
  const files = () => readdir(join(dataDir, 'incident-photos', '7')).then((names) => names.sort());

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fleet-photos-'));
    storage = new IncidentPhotoStorage({ dataDir } as AppConfig);
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("should store the image and its thumbnail under a random name in the ticket's folder, and read them back", async () => {
    const storedName = await storage.save(7, newPhoto());
    expect(storedName).toMatch(/^[0-9a-f]{32}\.jpg$/);
    expect(await files()).toEqual([storedName, storedName.replace('.jpg', '.thumb.webp')].sort());
    const image = await storage.open(7, storedName, 'image');
    expect(image?.size).toBe(16);
    expect(await text(image!.stream)).toBe('full image bytes');
    expect(await text((await storage.open(7, storedName, 'thumbnail'))!.stream)).toBe('thumbnail bytes');
    expect(await storage.save(7, newPhoto())).not.toBe(storedName);
  });

  it('should leave neither file nor a temporary one when a write fails', async () => {
    const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
    // The image is in place, then writing the thumbnail fails.
    jest.mocked(rename).mockImplementationOnce(actual.rename).mockRejectedValueOnce(new Error('disk full'));
    await expect(storage.save(7, newPhoto())).rejects.toThrow('disk full');
    expect(await files()).toEqual([]);
  });

  it('should answer null for a file that is not on disk, and remove both files', async () => {
    const storedName = await storage.save(7, newPhoto());
    await storage.remove(7, storedName);
    expect(await files()).toEqual([]);
    expect(await storage.open(7, storedName, 'image')).toBeNull();
  });

  it.each(['../../fleet.sqlite', 'a.jpg', `${'0'.repeat(32)}.svg`])('should refuse to read a name it could not have made: %p', async (name) => {
    await expect(storage.open(7, name, 'image')).rejects.toThrow('Not a stored photo name');
  });
});
