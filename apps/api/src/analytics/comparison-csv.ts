/** The model comparison as CSV records: one per model, the scope repeated in its first columns so a pasted row keeps its context. */
import { neutralizeCsvCell, type ModelComparison, type ModelComparisonColumn } from '@fleet/shared';

export const COMPARISON_CSV_COLUMNS = [
  'from',
  'to',
  'asOf',
  'region',
  'rank',
  'standing',
  'model',
  'manufacturer',
  'category',
  'units',
  'exposureYears',
  'failures',
  'ratePer100Years',
  'rateLower95',
  'rateUpper95',
  'rateVerdict',
  'earlyLifeFailures',
  'earlyLifeRatePer100Years',
  'earlyLifeLower95',
  'earlyLifeUpper95',
  'mtbfYears',
  'mtbfLower95',
  'mtbfUpper95',
  'hazardTrend',
  'hazardTrendPValue',
  'restoreMedianHours',
  'restoreP90Hours',
  'repairMedianHours',
  'repairP90Hours',
  'firstTimeFixRate',
  'reopenRate',
  'repairCostPerTerminalYear',
  'bankCostPerTerminalYear',
  'warrantyClaimAcceptance',
  'warrantyRecovered',
  'tcoPurchase',
  'tcoRepairsBank',
  'tcoRepairsOthers',
  'tcoPremiums',
  'tcoDowntime',
  'tcoSpares',
  'tcoTotalPerTerminalYear',
  'currency',
] as const;
type Column = (typeof COMPARISON_CSV_COLUMNS)[number];

function record(comparison: ModelComparison, column: ModelComparisonColumn): Record<Column, string | number | null> {
  const { scope } = comparison;
  const tco = column.tco.perTerminalYear;
  return {
    from: scope.from,
    to: scope.to,
    asOf: scope.asOf,
    region: scope.region?.name ?? null,
    rank: column.rank,
    standing: column.standing,
    model: column.model.name,
    manufacturer: column.model.manufacturer,
    category: column.model.category,
    units: column.units,
    exposureYears: column.failureRate.exposureYears,
    failures: column.failureRate.failures,
    ratePer100Years: column.failureRate.ratePer100Years,
    rateLower95: column.failureRate.lower,
    rateUpper95: column.failureRate.upper,
    rateVerdict: column.failureRate.verdict,
    earlyLifeFailures: column.earlyLife.failures,
    earlyLifeRatePer100Years: column.earlyLife.ratePer100Years,
    earlyLifeLower95: column.earlyLife.lower,
    earlyLifeUpper95: column.earlyLife.upper,
    mtbfYears: column.mtbf.years,
    mtbfLower95: column.mtbf.lower,
    mtbfUpper95: column.mtbf.upper,
    hazardTrend: column.survival.trend.direction,
    hazardTrendPValue: Math.round(column.survival.trend.pValue * 10_000) / 10_000,
    restoreMedianHours: column.repairs.restore.medianHours,
    restoreP90Hours: column.repairs.restore.p90Hours,
    repairMedianHours: column.repairs.repair.medianHours,
    repairP90Hours: column.repairs.repair.p90Hours,
    firstTimeFixRate: column.repairs.firstTimeFix.rate,
    reopenRate: column.repairs.reopen.rate,
    repairCostPerTerminalYear: column.costs.perTerminalYear,
    bankCostPerTerminalYear: column.costs.bankPerTerminalYear,
    warrantyClaimAcceptance: column.costs.warrantyClaims.acceptance.rate,
    warrantyRecovered: column.costs.warrantyClaims.recovered,
    tcoPurchase: tco.purchase,
    tcoRepairsBank: tco.repairsBank,
    tcoRepairsOthers: tco.repairsOthers,
    tcoPremiums: tco.premiums,
    tcoDowntime: tco.downtime,
    tcoSpares: tco.spares,
    tcoTotalPerTerminalYear: tco.total,
    currency: column.tco.currency,
  };
}

export function* comparisonCsvRecords(comparison: ModelComparison): Generator<string[]> {
  for (const column of comparison.models) {
    const values = record(comparison, column);
    yield COMPARISON_CSV_COLUMNS.map((name) => {
      const value = values[name];
      return value === null ? '' : neutralizeCsvCell(String(value));
    });
  }
}
