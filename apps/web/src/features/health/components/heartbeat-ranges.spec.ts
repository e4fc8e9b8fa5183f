import { HEARTBEAT_RANGES, pointFormat, seriesQuery, type HeartbeatRange } from './heartbeat-ranges';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const HOUR = 3_600_000;

describe('heartbeat chart periods', () => {
  it.each<[HeartbeatRange, string, number]>([
    ['6h', 'raw', 6],
    ['24h', 'raw', 24],
    ['7d', 'hour', 7 * 24],
    ['30d', 'hour', 30 * 24],
    ['1y', 'day', 365 * 24],
  ])('should ask for %s as %s points over %i hours ending now', (range, resolution, hours) => {
    const query = seriesQuery(range, NOW);
    expect(query).toEqual({ resolution, from: new Date(NOW.getTime() - hours * HOUR).toISOString(), to: NOW.toISOString() });
  });

  it('should ask for raw heartbeats only over a day at most, the shortest time the API may keep them', () => {
    for (const range of HEARTBEAT_RANGES) {
      const query = seriesQuery(range, NOW);
      if (query.resolution === 'raw') expect(Date.parse(query.to) - Date.parse(query.from)).toBeLessThanOrEqual(24 * HOUR);
    }
  });

  it.each([
    ['raw', 6, { hour: '2-digit', minute: '2-digit' }],
    ['raw', 24, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }],
    ['hour', 7 * 24, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }],
    ['day', 365 * 24, { year: 'numeric', month: '2-digit', day: '2-digit' }],
  ] as const)('should label %s points over %i hours with %j', (resolution, hours, format) => {
    expect(pointFormat({ resolution, from: new Date(NOW.getTime() - hours * HOUR).toISOString(), to: NOW.toISOString() })).toEqual(format);
  });
});
