#!/usr/bin/env node
// The seeded demo fleet (libs/shared generateDemoFleet) as JSON, or a summary.
//   npx nx run shared:build && node tools/demo/generate-fleet.mjs --terminals 100000 --seed 7 [--today 2026-11-22] [--out fleet.json]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import shared from '@fleet/shared';

const { values } = parseArgs({
  options: {
    terminals: { type: 'string', default: '6000' },
    seed: { type: 'string', default: '20261122' },
    today: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    out: { type: 'string' },
  },
});
const started = performance.now();
const fleet = shared.generateDemoFleet({ terminals: Number(values.terminals), seed: Number(values.seed), today: values.today });
const elapsed = performance.now() - started;
if (values.out) writeFileSync(values.out, JSON.stringify(fleet));
const byStatus = {};
for (const terminal of fleet.terminals) byStatus[terminal.status] = (byStatus[terminal.status] ?? 0) + 1;
console.log(
  JSON.stringify(
    { terminals: fleet.terminals.length, regions: fleet.regions.length, merchants: fleet.merchants.length, models: fleet.models.length, suppliers: fleet.suppliers.length, policies: fleet.policies.length, byStatus, generatedInMs: Math.round(elapsed), out: values.out ?? null },
    null,
    2,
  ),
);
