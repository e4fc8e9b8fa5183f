/**
 * The unified numbering scheme (统一编号): PREFIX-REGION-SEQUENCE, e.g.
 * POS-BJ-000123. The sequence is per region, zero-padded to a minimum width
 * and allowed to grow past it rather than wrap or be truncated.
 */
export const ASSET_PREFIX_PATTERN = /^[A-Z][A-Z0-9]{0,7}$/;
export const REGION_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,7}$/;
export const ASSET_NUMBER_PATTERN = /^([A-Z][A-Z0-9]{0,7})-([A-Z][A-Z0-9]{1,7})-(\d{1,12})$/;
export const DEFAULT_SEQUENCE_WIDTH = 6;

export interface AssetNumberParts {
  prefix: string;
  regionCode: string;
  sequence: number;
}

export function formatAssetNumber(parts: AssetNumberParts, width = DEFAULT_SEQUENCE_WIDTH): string {
  if (!ASSET_PREFIX_PATTERN.test(parts.prefix)) throw new RangeError(`invalid asset prefix: ${parts.prefix}`);
  if (!REGION_CODE_PATTERN.test(parts.regionCode)) throw new RangeError(`invalid region code: ${parts.regionCode}`);
  if (!Number.isSafeInteger(parts.sequence) || parts.sequence < 1) {
    throw new RangeError(`invalid sequence: ${parts.sequence}`);
  }
  return `${parts.prefix}-${parts.regionCode}-${String(parts.sequence).padStart(width, '0')}`;
}

export function parseAssetNumber(value: string): AssetNumberParts | null {
  const match = ASSET_NUMBER_PATTERN.exec(value);
  if (!match) return null;
  const [, prefix, regionCode, digits] = match;
  if (prefix === undefined || regionCode === undefined || digits === undefined) return null;
  const sequence = Number(digits);
  return sequence >= 1 ? { prefix, regionCode, sequence } : null;
}
