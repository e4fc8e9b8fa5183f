#!/usr/bin/env node
// A fleet with planted failure rates (libs/shared analytics/planted-fleet) as JSON, and what the
// reliability figures recover from it per model: exposure, failures, rate per 100 terminal-years.
//   npx nx run shared:build && node tools/fleet-generator/generate-planted-fleet.mjs --seed 20260107 [--from 2022-01-01 --to 2026-01-01] [--scale 1] [--out shared.json]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import shared from '@fleet/shared';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20260107' },
    from: { type: 'string', default: '2022-01-01' },
    to: { type: 'string', default: '2026-01-01' },
    scale: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
const scale = Number(values.scale);
const models = shared.PLANTED_MODELS.map((model) => ({ ...model, units: Math.max(1, Math.round(model.units * scale)) }));
const fleet = shared.generatePlantedFleet({ seed: Number(values.seed), models, from: values.from, to: values.to });
if (values.out) writeFileSync(values.out, JSON.stringify({ options: { seed: Number(values.seed), from: values.from, to: values.to }, models, units: fleet }));

const window = { from: `${values.from}T00:00:00.000Z`, to: `${values.to}T00:00:00.000Z` };
const rows = models.map((model) => {
  let exposure = 0;
  let expected = 0;
  let failures = 0;
  for (const unit of fleet.filter((candidate) => candidate.model === model.key)) {
    const intervals = shared.serviceIntervals(unit.statusHistory, window.to);
    for (const band of shared.exposureByAge(intervals, unit.purchaseDate, shared.hazardBands(model), window)) {
      exposure += band.exposure;
      expected += band.exposure * shared.plantedRate(model, band.fromDays);
    }
    failures += unit.failures.filter((failure) => shared.isInService(failure, intervals)).length;
  }
  const rate = shared.failureRatePer100Years(failures, exposure);
  const round = (value) => Math.round(value * 100) / 100;
  return { model: model.key, units: model.units, terminalYears: Math.round(exposure), failures, planted: round((100 * expected) / exposure), rate: round(rate.rate), lower: round(rate.lower), upper: round(rate.upper), verdict: rate.verdict };
});
console.table(rows);
if (values.out) console.log(`wrote ${fleet.length} units to ${values.out}`);
