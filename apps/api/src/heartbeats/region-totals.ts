import { HEALTH_STATES, type HealthCounts } from '@fleet/shared';

/** Counts per region including every sub-region, from per-region counters and the regions' materialised paths. */
export function subtreeTotals(regions: readonly { id: number; path: string }[], own: ReadonlyMap<number, HealthCounts>): Map<number, HealthCounts> {
  const totals = new Map(regions.map((region) => [region.id, { unknown: 0, online: 0, degraded: 0, offline: 0 } as HealthCounts]));
  const byId = new Map(regions.map((region) => [region.id, region]));
  for (const [regionId, counts] of own) {
    const region = byId.get(regionId);
    if (!region) continue;
    for (const ancestor of region.path.split('/').filter(Boolean)) {
      const total = totals.get(Number(ancestor));
      if (total) for (const state of HEALTH_STATES) total[state] += counts[state];
    }
  }
  return totals;
}
