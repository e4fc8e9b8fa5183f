/**
 * A seeded fleet with planted failure rates, for checking that the
 * reliability figures recover what was put in (issue 7). Each model has a
 * failure rate per terminal-year that depends on the unit's age (flat, early
 * life, wear-out); units are bought over the period, wait in stock, are
 * deployed, moved, repaired, retired, or kept as spares lent for short
 * spells, and fail as a non-homogeneous Poisson process during deployed time
 * only, so the only exposure that produces failures is the one exposure.ts
 * counts. Deterministic for a seed; the CLI is tools/fleet-generator.
 */
import { seededRandom, type Random } from '../demo/random';
import type { IsoDate, IsoDateTime } from '../terminals/terminals.contracts';
import { DAY_MS, YEAR_MS, type Failure, type StatusChange } from './exposure';

/** From `fromDays` of age on (until the next step), failures per terminal-year. */
export interface HazardStep {
  fromDays: number;
  ratePerYear: number;
}

export interface PlantedModel {
  key: string;
  units: number;
  /** Ascending by fromDays, the first at 0. */
  hazard: readonly HazardStep[];
}

export interface PlantedFleetOptions {
  seed: number;
  models: readonly PlantedModel[];
  /** Purchases are spread over [from, to); observation ends at `to`. */
  from: IsoDate;
  to: IsoDate;
  /** Share of units bought as spares (lent while another unit is repaired). */
  spareShare?: number;
}

export interface PlantedUnit {
  id: number;
  model: string;
  purchaseDate: IsoDate;
  statusHistory: StatusChange[];
  failures: Failure[];
}

/**
 * Eight models of 20,000 units with flat rates from 2 to 24 per 100
 * terminal-years, one with early-life failures (ten times its later rate in
 * the first 90 days) and one wearing out after 3 years, plus a pilot batch
 * of 40 units that never fail: too few to call the best.
 */
export const PLANTED_MODELS: readonly PlantedModel[] = [
  { key: 'A910', units: 3000, hazard: [{ fromDays: 0, ratePerYear: 0.04 }] },
  { key: 'B200', units: 2500, hazard: [{ fromDays: 0, ratePerYear: 0.08 }] },
  { key: 'C300', units: 2500, hazard: [{ fromDays: 0, ratePerYear: 0.16 }] },
  { key: 'D420', units: 2000, hazard: [{ fromDays: 0, ratePerYear: 0.24 }] },
  {
    key: 'E5-early-life',
    units: 3000,
    hazard: [
      { fromDays: 0, ratePerYear: 0.6 },
      { fromDays: 90, ratePerYear: 0.06 },
    ],
  },
  {
    key: 'F6-wear-out',
    units: 2500,
    hazard: [
      { fromDays: 0, ratePerYear: 0.05 },
      { fromDays: 1095, ratePerYear: 0.25 },
    ],
  },
  { key: 'G700', units: 2500, hazard: [{ fromDays: 0, ratePerYear: 0.1 }] },
  { key: 'H8', units: 2000, hazard: [{ fromDays: 0, ratePerYear: 0.02 }] },
  { key: 'P-pilot', units: 40, hazard: [{ fromDays: 0, ratePerYear: 0 }] },
];

const DEFAULT_SPARE_SHARE = 0.08;
/** A deployed unit is taken back to stock (merchant closed, relocation) about once in 4 years. */
const RELOCATIONS_PER_YEAR = 0.25;
/** About one unit in 20 a year is retired whatever its state, so some leave within the period. */
const RETIREMENTS_PER_YEAR = 0.05;

/** The planted rate per terminal-year at an age in days. */
export function plantedRate(model: PlantedModel, ageDays: number): number {
  let rate = 0;
  for (const step of model.hazard) if (step.fromDays <= ageDays) rate = step.ratePerYear;
  return rate;
}

/** The band limits (days) at which a model's planted rate changes: give them to exposureByAge to get its expected failures. */
export function hazardBands(model: PlantedModel): number[] {
  return model.hazard.map((step) => step.fromDays);
}

const exponential = (random: Random, perMs: number): number => -Math.log(1 - random.next()) / perMs;
const uniform = (random: Random, fromDays: number, toDays: number): number => (fromDays + random.next() * (toDays - fromDays)) * DAY_MS;
const iso = (ms: number): IsoDateTime => new Date(ms).toISOString();

/**
 * The first failure in [start, end) for a unit bought at `purchase`, or null:
 * the hazard is constant between age steps, so draw an exponential time in
 * each piece and, by memorylessness, draw afresh at the piece's end.
 */
function nextFailure(random: Random, model: PlantedModel, purchase: number, start: number, end: number): number | null {
  let t = start;
  while (t < end) {
    const ageDays = (t - purchase) / DAY_MS;
    const nextStep = model.hazard.find((step) => step.fromDays > ageDays);
    const pieceEnd = Math.min(end, nextStep ? purchase + nextStep.fromDays * DAY_MS : Infinity);
    const rate = plantedRate(model, ageDays) / YEAR_MS;
    const at = rate > 0 ? t + exponential(random, rate) : Infinity;
    if (at < pieceEnd) return at;
    t = pieceEnd;
  }
  return null;
}

class UnitHistory {
  readonly statusHistory: StatusChange[] = [];
  readonly failures: Failure[] = [];

  constructor(
    private readonly random: Random,
    private readonly model: PlantedModel,
    private readonly purchase: number,
    private readonly end: number,
    private readonly retireAt: number,
  ) {}

  set(at: number, status: StatusChange['status']): void {
    this.statusHistory.push({ at: iso(at), status });
  }

  /**
   * Deployed from `start` for at most `duration`; returns when and how the
   * spell ended: 'failed' (status already in_repair), 'ended' (the caller
   * sets the next status), or 'over' (retired or observation ended).
   */
  deploy(start: number, duration: number): { at: number; outcome: 'failed' | 'ended' | 'over' } {
    this.set(start, 'deployed');
    const stop = Math.min(start + duration, this.retireAt, this.end);
    const failedAt = nextFailure(this.random, this.model, this.purchase, start, stop);
    if (failedAt !== null) {
      this.failures.push({ at: iso(failedAt) });
      this.set(failedAt, 'in_repair');
      return { at: failedAt, outcome: 'failed' };
    }
    if (stop === this.retireAt) this.set(stop, 'retired');
    return { at: stop, outcome: stop < Math.min(this.retireAt, this.end) ? 'ended' : 'over' };
  }

  /** Off service until `at`; false once the unit is retired or observation ends on the way. */
  waitUntil(at: number): boolean {
    if (at < Math.min(this.retireAt, this.end)) return true;
    if (this.retireAt < this.end) this.set(this.retireAt, 'retired');
    return false;
  }
}

function simulateRegular(history: UnitHistory, random: Random, start: number): void {
  let t = start;
  for (;;) {
    const spell = history.deploy(t, exponential(random, RELOCATIONS_PER_YEAR / YEAR_MS));
    if (spell.outcome === 'over') return;
    if (spell.outcome === 'ended') history.set(spell.at, 'in_stock');
    t = spell.at + (spell.outcome === 'failed' ? uniform(random, 3, 30) : uniform(random, 1, 60));
    if (!history.waitUntil(t)) return;
    // After a repair most units go straight back out; some wait in stock first.
    if (spell.outcome === 'failed' && random.next() < 0.2) {
      history.set(t, 'in_stock');
      t += uniform(random, 1, 30);
      if (!history.waitUntil(t)) return;
    }
  }
}

function simulateSpare(history: UnitHistory, random: Random, start: number): void {
  history.set(start, 'spare');
  let t = start;
  for (;;) {
    t += uniform(random, 10, 120);
    if (!history.waitUntil(t)) return;
    const loan = history.deploy(t, uniform(random, 3, 30));
    if (loan.outcome === 'over') return;
    t = loan.at;
    if (loan.outcome === 'failed') {
      t += uniform(random, 3, 30);
      if (!history.waitUntil(t)) return;
    }
    history.set(t, 'spare');
  }
}

/** The fleet, units numbered from 1 in model order; the same seed and options give the same fleet. */
export function generatePlantedFleet(options: PlantedFleetOptions): PlantedUnit[] {
  const random = seededRandom(options.seed);
  const from = Date.parse(`${options.from}T00:00:00Z`);
  const end = Date.parse(`${options.to}T00:00:00Z`);
  if (!(end > from)) throw new RangeError(`the period must end after it starts: ${options.from} to ${options.to}`);
  const spareShare = options.spareShare ?? DEFAULT_SPARE_SHARE;
  const units: PlantedUnit[] = [];
  for (const model of options.models) {
    for (let i = 0; i < model.units; i++) {
      const purchase = from + Math.floor((random.next() * (end - from)) / DAY_MS) * DAY_MS;
      const retireAt = purchase + exponential(random, RETIREMENTS_PER_YEAR / YEAR_MS);
      const history = new UnitHistory(random, model, purchase, end, retireAt);
      history.set(purchase, 'in_stock');
      const ready = purchase + uniform(random, 0, 60);
      if (history.waitUntil(ready)) {
        if (random.next() < spareShare) simulateSpare(history, random, ready);
        else simulateRegular(history, random, ready);
      }
      units.push({
        id: units.length + 1,
        model: model.key,
        purchaseDate: iso(purchase).slice(0, 10),
        statusHistory: history.statusHistory,
        failures: history.failures,
      });
    }
  }
  return units;
}
