import sharp from 'sharp';
import { MAX_PHOTO_PIXELS, processPhoto, THUMBNAIL_SIZE } from './incident-photo-image';

/** A real photo-like image: a gradient, so that encoders have something to keep. */
function newImage(width = 400, height = 300): sharp.Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) {
    const x = (i / 3) % width;
    pixels[i] = (x * 255) / width;
    pixels[i + 1] = 80;
    pixels[i + 2] = 160;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** A JPEG as a phone writes it: EXIF with the camera and the GPS position, turned by its orientation tag. */
function newPhoneJpeg(orientation = 1): Promise<Buffer> {
  return newImage()
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'P1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 27/1', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 5/1' } })
    .withMetadata({ orientation })
    .toBuffer();
}

async function expectRefused(data: Buffer, status: 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE', fieldCode: string): Promise<void> {
  await expect(processPhoto(data)).rejects.toMatchObject({ code: status, details: { fields: [{ field: 'file', code: fieldCode }] } });
}

describe(processPhoto.name, () => {
  it('should keep a PNG lossless with its size, and make a WebP thumbnail within the square', async () => {
    const png = await newImage(800, 200).png().toBuffer();
    const { image, thumbnail } = await processPhoto(png);
    expect(image).toMatchObject({ format: 'png', width: 800, height: 200 });
    const [original, stored] = await Promise.all([sharp(png).raw().toBuffer(), sharp(image.data).raw().toBuffer()]);
    expect(stored.equals(original)).toBe(true);
    expect(thumbnail).toMatchObject({ format: 'webp', width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE / 4 });
    expect((await sharp(thumbnail.data).metadata()).format).toBe('webp');
  });

  it('should store a JPEG without its EXIF data (GPS position, camera), still a JPEG', async () => {
    const jpeg = await newPhoneJpeg();
    expect((await sharp(jpeg).metadata()).exif?.toString('latin1')).toContain('PhoneMaker');
    const { image } = await processPhoto(jpeg);
    const stored = await sharp(image.data).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 400, height: 300 });
    expect(stored.exif).toBeUndefined();
    expect(stored.xmp).toBeUndefined();
    expect(image.data.includes('PhoneMaker')).toBe(false);
  });

  it('should apply the orientation the camera recorded, so the stored photo stands upright', async () => {
    const { image, thumbnail } = await processPhoto(await newPhoneJpeg(6));
    expect(image).toMatchObject({ width: 300, height: 400 });
    expect((await sharp(image.data).metadata()).orientation).toBeUndefined();
    expect(thumbnail.height).toBe(THUMBNAIL_SIZE);
  });

  it('should take a WebP photo', async () => {
    const { image } = await processPhoto(await newImage().webp().toBuffer());
    expect(image).toMatchObject({ format: 'webp', width: 400, height: 300 });
  });

  it('should not enlarge a photo smaller than the thumbnail', async () => {
    const { thumbnail } = await processPhoto(await newImage(100, 50).png().toBuffer());
    expect(thumbnail).toMatchObject({ width: 100, height: 50 });
  });

  it.each([
    ['a text file named .jpg', Buffer.from('these are not the pixels you are looking for\n')],
    ['an HTML page', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')],
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')],
    ['an empty file', Buffer.alloc(0)],
  ])('should refuse %s as an unsupported type naming the file', async (_name, data) => {
    await expectRefused(data, 'UNSUPPORTED_MEDIA_TYPE', 'imageType');
  });

  it.each([
    ['a GIF', () => newImage().gif().toBuffer()],
    ['a TIFF', () => newImage().tiff().toBuffer()],
  ])('should refuse %s, an image of another type', async (_name, make) => {
    await expectRefused(await make(), 'UNSUPPORTED_MEDIA_TYPE', 'imageType');
  });

  it('should refuse a JPEG header followed by something else', async () => {
    const jpeg = await newPhoneJpeg();
    await expectRefused(Buffer.concat([jpeg.subarray(0, 3), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')]), 'UNSUPPORTED_MEDIA_TYPE', 'imageDecode');
  });

  it.each([
    ['JPEG', () => newPhoneJpeg()],
    ['PNG', () => newImage().png().toBuffer()],
    ['WebP', () => newImage().webp().toBuffer()],
  ])('should refuse a truncated %s', async (_name, make) => {
    const whole = await make();
    await expectRefused(whole.subarray(0, Math.floor(whole.length / 2)), 'UNSUPPORTED_MEDIA_TYPE', 'imageDecode');
  });

  it('should refuse an image with more pixels than allowed before decoding it (a decompression bomb)', async () => {
    const side = Math.ceil(Math.sqrt(MAX_PHOTO_PIXELS)) + 1;
    // A few hundred kilobytes of PNG that would take 150 MB once decoded.
    const bomb = await sharp({ create: { width: side, height: side, channels: 3, background: '#ffffff' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expectRefused(bomb, 'PAYLOAD_TOO_LARGE', 'maxPixels');
  });
});
