/**
 * The periods a terminal's charts offer, and how each is asked of
 * `GET /terminals/:id/heartbeats`: raw heartbeats over a day at most (the API
 * reads raw rows over 31 days at most, keeps them only a few days, and caps
 * them at 10,000 points), hourly rollups up to a month, daily rollups beyond.
 */
import type { HeartbeatSeriesResponse, SeriesResolution } from '@fleet/shared';

export const HEARTBEAT_RANGES = ['6h', '24h', '7d', '30d', '1y'] as const;
export type HeartbeatRange = (typeof HEARTBEAT_RANGES)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const RANGES: Record<HeartbeatRange, { span: number; resolution: SeriesResolution }> = {
  '6h': { span: 6 * HOUR, resolution: 'raw' },
  '24h': { span: DAY, resolution: 'raw' },
  '7d': { span: 7 * DAY, resolution: 'hour' },
  '30d': { span: 30 * DAY, resolution: 'hour' },
  '1y': { span: 365 * DAY, resolution: 'day' },
};

export interface HeartbeatSeriesQuery {
  resolution: SeriesResolution;
  from: string;
  to: string;
}

/** The query for a period ending now. */
export function seriesQuery(range: HeartbeatRange, now: Date): HeartbeatSeriesQuery {
  const { span, resolution } = RANGES[range];
  return { resolution, from: new Date(now.getTime() - span).toISOString(), to: now.toISOString() };
}

/** How a point's time reads on the axis: the clock within half a day, the day too over longer raw spans and hours, the date for days. */
export function pointFormat(series: Pick<HeartbeatSeriesResponse, 'resolution' | 'from' | 'to'>): Intl.DateTimeFormatOptions {
  if (series.resolution === 'day') return { year: 'numeric', month: '2-digit', day: '2-digit' };
  const clock: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  const span = Date.parse(series.to) - Date.parse(series.from);
  return series.resolution === 'raw' && span <= 12 * HOUR ? clock : { month: '2-digit', day: '2-digit', ...clock };
}
