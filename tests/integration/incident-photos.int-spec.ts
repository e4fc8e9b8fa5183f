/**
 * Photos as evidence on fault tickets (拍照留证) through the built API:
 * checked by their content, stored re-encoded in the data directory, read
 * back only by users who may see the ticket, at most MAX_PHOTOS_PER_INCIDENT
 * per ticket even when uploads race.
 */
import { can, MAX_PHOTO_BYTES, MAX_PHOTOS_PER_INCIDENT, ROLES } from '@fleet/shared';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { startApi, type RunningApi } from '../support/server';
import { type Catalog, Client, createUser, login, newCatalog, newTerminal } from './support/client';

/** A phone photo: a gradient JPEG with the camera and the GPS position in its EXIF. */
function newPhoneJpeg(width = 640, height = 480): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels[i] = ((i / 3) % width) % 256;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneMaker' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 27/1', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 5/1' } })
    .toBuffer();
}

const newPng = () => sharp({ create: { width: 32, height: 24, channels: 3, background: '#3060c0' } }).png().toBuffer();

function upload(client: Client, incidentId: number, data: Buffer, name: string, type = 'image/jpeg', field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(data)], { type }), name);
  return client.post(`/api/v1/incidents/${incidentId}/photos`, form);
}

/** The bytes of a photo path as the response gives them (relative to /api/v1, as in IncidentPhotoResponse). */
async function download(client: Client, path: string) {
  const response = await fetch(`${client.api.baseUrl}/api/v1${path}`, { headers: client.token ? { authorization: `Bearer ${client.token}` } : {} });
  return { status: response.status, headers: response.headers, data: Buffer.from(await response.arrayBuffer()) };
}

describe('fault ticket photos', () => {
  let api: RunningApi;
  let admin: Client;
  let technician: Client;
  let catalog: Catalog;
  let ticketId: number;

  /** The files of a ticket's photos in the data directory (none before the first photo). */
  async function storedFiles(incidentId: number): Promise<string[]> {
    const names = await readdir(join(api.dataDir, 'incident-photos', String(incidentId))).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return names.sort();
  }

  async function newTicket(inCatalog = catalog): Promise<number> {
    const terminal = await newTerminal(admin, inCatalog, { status: 'deployed' });
    const reply = await technician.post('/api/v1/incidents', { terminalId: terminal.id, symptom: 'physical_damage', description: 'Dropped at the counter; the screen is cracked', circumstances: 'dropped' });
    if (reply.status !== 201) throw new Error(`report: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.id;
  }

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    technician = await createUser(admin, 'technician');
    catalog = await newCatalog(admin);
    ticketId = await newTicket();
  });

  afterAll(() => api.stop());

  it('should store a phone photo without its GPS position, list it, and serve it and its thumbnail with their types', async () => {
    const added = await upload(technician, ticketId, await newPhoneJpeg(), '裂屏.jpg');
    expect(added.status).toBe(201);
    const photo = added.body;
    expect(photo).toMatchObject({
      originalName: '裂屏.jpg',
      contentType: 'image/jpeg',
      width: 640,
      height: 480,
      url: `/incidents/${ticketId}/photos/${photo.id}`,
      thumbnailUrl: `/incidents/${ticketId}/photos/${photo.id}/thumbnail`,
    });
    expect((await technician.get(`/api/v1/incidents/${ticketId}/photos`)).body).toEqual([photo]);

    const image = await download(technician, photo.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    expect(image.headers.get('content-disposition')).toBe(`inline; filename="INC-${String(ticketId).padStart(6, '0')}-photo-${photo.id}.jpg"`);
    expect(image.data.length).toBe(photo.size);
    const stored = await sharp(image.data).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    expect(stored.exif).toBeUndefined();
    expect(image.data.includes('PhoneMaker')).toBe(false);

    const thumbnail = await download(technician, photo.thumbnailUrl);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await sharp(thumbnail.data).metadata()).toMatchObject({ format: 'webp', width: 320, height: 240 });

    const timeline = (await technician.get(`/api/v1/incidents/${ticketId}/events`)).body as { kind: string; details: Record<string, unknown> }[];
    expect(timeline.filter((event) => event.kind === 'photo_added').map((event) => event.details)).toEqual([{ photoId: photo.id, originalName: '裂屏.jpg' }]);
    expect(await storedFiles(ticketId)).toHaveLength(2);
  });

  it.each([
    ['a text file renamed .jpg', Buffer.from('Not a photo at all, just words.\n'), 'evidence.jpg', 'image/jpeg'],
    ['an HTML page renamed .jpg', Buffer.from('<html><script>alert(document.cookie)</script></html>'), 'evidence.jpg', 'image/jpeg'],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), 'evidence.svg', 'image/svg+xml'],
  ])('should refuse %s with 415 naming the file, storing nothing', async (_name, data, name, type) => {
    const [photos, files] = [(await technician.get(`/api/v1/incidents/${ticketId}/photos`)).body, await storedFiles(ticketId)];
    const reply = await upload(technician, ticketId, data, name, type);
    expect(reply.status).toBe(415);
    expect(reply.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { fields: [{ field: 'file' }] } });
    expect((await technician.get(`/api/v1/incidents/${ticketId}/photos`)).body).toEqual(photos);
    expect(await storedFiles(ticketId)).toEqual(files);
  });

  it('should refuse a file over the size limit with 413 naming the file, storing nothing', async () => {
    const files = await storedFiles(ticketId);
    const tooLarge = Buffer.concat([await newPhoneJpeg(), Buffer.alloc(MAX_PHOTO_BYTES)]);
    const reply = await upload(technician, ticketId, tooLarge, 'huge.jpg');
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { fields: [{ field: 'file', code: 'maxSize' }] } });
    expect(await storedFiles(ticketId)).toEqual(files);
  });

  it('should ask for the file when the upload has none, naming the field', async () => {
    const empty = await technician.post(`/api/v1/incidents/${ticketId}/photos`, new FormData());
    expect(empty.status).toBe(400);
    expect(empty.body.details.fields).toEqual([expect.objectContaining({ field: 'file', code: 'required' })]);
    const misnamed = await upload(technician, ticketId, await newPng(), 'a.png', 'image/png', 'photo');
    expect(misnamed.status).toBe(400);
    expect(misnamed.body.details.fields[0].field).toBe('file');
  });

  it('should name the photo id when it is not a number', async () => {
    const reply = await technician.get(`/api/v1/incidents/${ticketId}/photos/first/thumbnail`);
    expect([reply.status, reply.body.details.fields[0].field]).toEqual([400, 'photoId']);
  });

  it('should let each role add photos only with incidents:report, and see them only with fleet:read', async () => {
    const png = await newPng();
    for (const role of ROLES) {
      const client = await createUser(admin, role);
      const [added, listed] = [await upload(client, ticketId, png, `${role}.png`, 'image/png'), await client.get(`/api/v1/incidents/${ticketId}/photos`)];
      expect({ role, upload: added.status, list: listed.status }).toEqual({ role, upload: can(role, 'incidents:report') ? 201 : 403, list: can(role, 'fleet:read') ? 200 : 403 });
    }
    const anonymous = new Client(api);
    const photo = (await admin.get(`/api/v1/incidents/${ticketId}/photos`)).body[0];
    for (const path of [`/incidents/${ticketId}/photos`, photo.url, photo.thumbnailUrl]) expect((await download(anonymous, path)).status).toBe(401);
    expect((await upload(anonymous, ticketId, png, 'a.png', 'image/png')).status).toBe(401);
  });

  it("should hide the photos of a ticket outside a region-scoped user's region, as if it did not exist", async () => {
    const photo = (await admin.get(`/api/v1/incidents/${ticketId}/photos`)).body[0];
    const elsewhere = await createUser(admin, 'technician', (await newCatalog(admin)).regionId);
    const files = await storedFiles(ticketId);
    for (const path of [`/incidents/${ticketId}/photos`, photo.url, photo.thumbnailUrl]) {
      const reply = await download(elsewhere, path);
      expect({ path, status: reply.status, code: JSON.parse(reply.data.toString()).code }).toEqual({ path, status: 404, code: 'INCIDENT_NOT_FOUND' });
    }
    const refused = await upload(elsewhere, ticketId, await newPng(), 'a.png', 'image/png');
    expect(refused.body.code).toBe('INCIDENT_NOT_FOUND');
    expect(await storedFiles(ticketId)).toEqual(files);
    const local = await createUser(admin, 'technician', catalog.regionId);
    expect((await download(local, photo.url)).status).toBe(200);
  });

  it('should not serve a photo through another ticket, nor let the refusal be cached', async () => {
    const photo = (await admin.get(`/api/v1/incidents/${ticketId}/photos`)).body[0];
    const other = await newTicket();
    for (const path of [`/incidents/${other}/photos/${photo.id}`, `/incidents/${other}/photos/${photo.id}/thumbnail`]) {
      const reply = await download(technician, path);
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.data.toString()).code).toBe('INCIDENT_PHOTO_NOT_FOUND');
      // A browser must not keep the refusal: the photo may be added, or the user's scope widened.
      expect(reply.headers.get('cache-control')).toBeNull();
    }
  });

  it(`should hold at most ${MAX_PHOTOS_PER_INCIDENT} photos per ticket, even when uploads race`, async () => {
    const id = await newTicket();
    const png = await newPng();
    for (let i = 0; i < MAX_PHOTOS_PER_INCIDENT - 2; i++) expect((await upload(technician, id, png, `${i}.png`, 'image/png')).status).toBe(201);
    const racing = await Promise.all(Array.from({ length: 4 }, (_, i) => upload(technician, id, png, `race-${i}.png`, 'image/png')));
    expect(racing.map((reply) => reply.status).sort()).toEqual([201, 201, 409, 409]);
    expect(racing.filter((reply) => reply.status === 409).map((reply) => reply.body.code)).toEqual(['INCIDENT_PHOTO_LIMIT', 'INCIDENT_PHOTO_LIMIT']);
    expect((await technician.get(`/api/v1/incidents/${id}/photos`)).body).toHaveLength(MAX_PHOTOS_PER_INCIDENT);
    expect(await storedFiles(id)).toHaveLength(2 * MAX_PHOTOS_PER_INCIDENT);
  });

  it('should refuse a photo on a closed ticket, and still show the ones it has', async () => {
    const id = await newTicket();
    expect((await upload(technician, id, await newPng(), 'before.png', 'image/png')).status).toBe(201);
    const ticket = (await technician.get(`/api/v1/incidents/${id}`)).body;
    const closed = await technician.post(`/api/v1/incidents/${id}/close`, { version: ticket.version, resolution: 'cancelled', note: 'Reported twice' });
    expect(closed.status).toBe(200);
    const refused = await upload(technician, id, await newPng(), 'after.png', 'image/png');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('INCIDENT_CLOSED');
    expect((await technician.get(`/api/v1/incidents/${id}/photos`)).body.map((p: { originalName: string }) => p.originalName)).toEqual(['before.png']);
    expect(await storedFiles(id)).toHaveLength(2);
  });
});
