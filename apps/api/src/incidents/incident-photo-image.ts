/**
 * Checks an uploaded photo by its content and encodes what is stored: only
 * JPEG, PNG and WebP are taken, whatever the file's name or declared type say.
 * The stored image is decoded and encoded again, with the EXIF orientation
 * applied: that drops the EXIF block (GPS position, camera serial number) and
 * anything appended after the image data. A thumbnail is made beside it.
 */
import { Logger } from '@nestjs/common';
import { PHOTO_TYPES } from '@fleet/shared';
import sharp from 'sharp';
import { DomainException } from '../common/domain.exception';

export type PhotoFormat = 'jpeg' | 'png' | 'webp';
type PhotoType = (typeof PHOTO_TYPES)[number];

export const PHOTO_CONTENT_TYPES: Record<PhotoFormat, PhotoType> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
export const PHOTO_EXTENSIONS: Record<PhotoFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** 50 megapixels: above the largest phone cameras, far below what a decompression bomb expands to. */
export const MAX_PHOTO_PIXELS = 50_000_000;
/** The thumbnail fits in this square (a grid cell of the ticket's page, sharp on a 2x screen). */
export const THUMBNAIL_SIZE = 320;
export const THUMBNAIL_FORMAT: PhotoFormat = 'webp';

/** A photo that takes longer than this to decode is refused rather than holding a worker thread. */
const TIMEOUT_SECONDS = 30;

export interface EncodedImage {
  data: Buffer;
  format: PhotoFormat;
  width: number;
  height: number;
}

export interface ProcessedPhoto {
  image: EncodedImage;
  thumbnail: EncodedImage;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The format the first bytes announce. Checked before sharp sees the file so
 * that no other decoder of libvips (SVG, TIFF, HEIF, GIF...) ever parses an
 * upload; sharp's own reading of the header must then agree.
 */
function announcedFormat(data: Buffer): PhotoFormat | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

const logger = new Logger('IncidentPhotoImage');

const NOT_A_PHOTO = 'not a JPEG, PNG or WebP image';
const UNREADABLE = 'the image could not be decoded (corrupt or truncated)';

/** libvips says why (truncated, bad marker, timeout); kept in the debug log, the client hears that the image is unreadable. */
function undecodable(error: unknown): DomainException {
  logger.debug(`Photo refused: ${error instanceof Error ? error.message : String(error)}`);
  return unsupportedImage('imageDecode', UNREADABLE);
}

function unsupportedImage(code: 'imageType' | 'imageDecode', message: string): DomainException {
  return new DomainException('UNSUPPORTED_MEDIA_TYPE', `Invalid input: file: ${message}`, {
    fields: [{ field: 'file', code, message }],
    allowed: [...PHOTO_TYPES],
  });
}

function tooManyPixels(width: number, height: number): DomainException {
  const message = `the image is ${width}×${height} pixels; at most ${MAX_PHOTO_PIXELS} pixels are accepted`;
  return new DomainException('PAYLOAD_TOO_LARGE', `Invalid input: file: ${message}`, {
    fields: [{ field: 'file', code: 'maxPixels', message }],
    maxPixels: MAX_PHOTO_PIXELS,
  });
}

/** Lossy formats at a quality that keeps scratches and serial plates legible; PNG stays lossless (a quality would make it a palette image). */
const OUTPUT_OPTIONS: Record<PhotoFormat, sharp.OutputOptions | sharp.JpegOptions | sharp.WebpOptions> = { jpeg: { quality: 85 }, png: {}, webp: { quality: 85 } };

async function encode(pipeline: sharp.Sharp, format: PhotoFormat): Promise<EncodedImage> {
  const { data, info } = await pipeline.toFormat(format, OUTPUT_OPTIONS[format]).timeout({ seconds: TIMEOUT_SECONDS }).toBuffer({ resolveWithObject: true });
  return { data, format, width: info.width, height: info.height };
}

/**
 * The image to store and its thumbnail; a DomainException naming `file` when
 * the upload is not a JPEG, PNG or WebP image that decodes completely
 * (415), or has more pixels than MAX_PHOTO_PIXELS (413).
 */
export async function processPhoto(data: Buffer): Promise<ProcessedPhoto> {
  const format = announcedFormat(data);
  if (!format) throw unsupportedImage('imageType', NOT_A_PHOTO);
  let metadata: sharp.Metadata;
  try {
    // The header only, without sharp's pixel limit, so an image too large is told apart from a broken one.
    metadata = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw undecodable(error);
  }
  if (metadata.format !== format) throw unsupportedImage('imageType', NOT_A_PHOTO);
  if (metadata.width * metadata.height > MAX_PHOTO_PIXELS) throw tooManyPixels(metadata.width, metadata.height);

  // failOn 'error' refuses truncated and corrupt data, yet takes the harmless warnings some cameras cause.
  const oriented = sharp(data, { failOn: 'error', limitInputPixels: MAX_PHOTO_PIXELS }).autoOrient();
  try {
    const [image, thumbnail] = await Promise.all([
      encode(oriented.clone(), format),
      encode(oriented.clone().resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true }), THUMBNAIL_FORMAT),
    ]);
    return { image, thumbnail };
  } catch (error) {
    throw undecodable(error);
  }
}
