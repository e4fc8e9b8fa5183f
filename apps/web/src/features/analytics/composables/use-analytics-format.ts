/**
 * Analytics figures as text in the user's language: a number with the
 * decimals it deserves, an estimate with its 95% interval, a share with its
 * sample, durations, money, months, age bands, the period and filters of an
 * answer, and the hazard trend as a sentence.
 */
import { useI18n } from 'vue-i18n';
import type { AnalyticsScope, DurationFigure, Estimate, HazardTrend, ProportionFigure, RateFigure, YearMonth } from '@fleet/shared';
import { decimalsFor, pValueParts, rateState } from '../analytics-format';

export function useAnalyticsFormat() {
  const { t, n, d } = useI18n();
  const none = () => t('common.none');

  /** A figure with no false precision (decimals by its size). */
  const figure = (value: number | null | undefined) => (value === null || value === undefined ? none() : n(value, { maximumFractionDigits: decimalsFor(value), minimumFractionDigits: 0 }));
  const integer = (value: number | null | undefined) => (value === null || value === undefined ? none() : n(value, 'integer'));
  const share = (value: number | null | undefined) => (value === null || value === undefined ? none() : n(value, 'percent'));
  const money = (value: number | null | undefined, currency = 'CNY') => (value === null || value === undefined ? none() : n(value, { key: 'money', currency }));
  /** "6.2–21" */
  const interval = (lower: number | null, upper: number | null, format = figure) => (lower === null || upper === null ? none() : t('analytics.interval', { lower: format(lower), upper: format(upper) }));
  /** "12 (6.2–21)", or the value alone when there is no interval. */
  const estimate = (value: Estimate, format = figure) => (value.value === null ? none() : value.lower === null || value.upper === null ? format(value.value) : t('analytics.withInterval', { value: format(value.value), interval: interval(value.lower, value.upper, format) }));

  /** A rate per 100 terminal-years with its interval; with too little data, only what the upper limit still says. */
  function rate(value: RateFigure): string {
    switch (rateState(value)) {
      case 'none':
        return t('analytics.noExposure');
      case 'insufficient':
        return t('analytics.atMost', { upper: figure(value.upper) });
      case 'shown':
        return estimate({ value: value.ratePer100Years, lower: value.lower, upper: value.upper });
    }
  }
  /** What a rate is made of: "12 failures / 100 terminal-years". */
  const rateBasis = (value: RateFigure) => t('analytics.rateBasis', { failures: integer(value.failures), years: figure(value.exposureYears) });

  /** "87% (80–92%) of 140". */
  const proportion = (value: ProportionFigure) =>
    value.rate === null ? t('analytics.ofNone') : t('analytics.ofTotal', { value: estimate({ value: value.rate, lower: value.lower, upper: value.upper }, share), total: integer(value.total) });

  const hours = (value: number | null) => (value === null ? none() : t('analytics.hours', { n: figure(value) }));
  const days = (value: number | null) => (value === null ? none() : t('analytics.days', { n: figure(value) }));
  const years = (value: number | null) => (value === null ? none() : t('analytics.years', { n: figure(value) }));
  /** "median 5.2 h · p90 18 h · 40 tickets" */
  const duration = (value: DurationFigure, unit: 'hours' | 'days' = 'hours') => {
    const format = unit === 'hours' ? hours : (value: number | null) => days(value === null ? null : value / 24);
    return value.count === 0 ? t('analytics.noneMeasured') : t('analytics.duration', { median: format(value.medianHours), p90: format(value.p90Hours), n: integer(value.count) });
  };

  const monthName = (month: YearMonth) => d(new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1), { year: 'numeric', month: 'short' });
  const dateTime = (iso: string | null) => (iso ? d(new Date(iso), 'long') : none());

  /** What an answer covers: "Jan 2025 – Dec 2025 · Region: Beijing · whole fleet otherwise". */
  function scopeParts(scope: AnalyticsScope): string[] {
    const parts = [t('analytics.scope.period', { from: monthName(scope.from), to: monthName(scope.to) })];
    if (scope.region) parts.push(t('analytics.scope.region', { name: scope.region.name }));
    if (scope.model) parts.push(t('analytics.scope.model', { name: scope.model.name }));
    if (scope.supplier) parts.push(t('analytics.scope.supplier', { name: scope.supplier.name }));
    if (scope.category) parts.push(t('analytics.scope.category', { name: t(`category.${scope.category}`) }));
    if (!scope.region && !scope.model && !scope.supplier && !scope.category) parts.push(t('analytics.scope.wholeFleet'));
    return parts;
  }

  /** "0–90 days", "over 5 years". */
  const ageBand = (fromDays: number, toDays: number | null) =>
    toDays === null ? t('analytics.ageBandOpen', { from: integer(fromDays) }) : t('analytics.ageBand', { from: integer(fromDays), to: integer(toDays) });

  /** "gets worse with age (p = 0.01)". */
  const trend = (value: HazardTrend) => {
    const { op, value: p } = pValueParts(value.pValue);
    return t(`analytics.trend.${value.direction}`, { p: `${op} ${n(p, { maximumFractionDigits: 3 })}` });
  };

  return { figure, integer, share, money, interval, estimate, rate, rateBasis, proportion, hours, days, years, duration, monthName, dateTime, scopeParts, ageBand, trend };
}
