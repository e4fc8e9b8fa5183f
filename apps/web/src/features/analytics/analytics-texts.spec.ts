import { COST_GROUPS, EARLY_WARNING_SIGNALS, FAILURE_RATE_GROUPS, REPAIR_TIME_GROUPS, type RankStanding, type RepairOrReplaceReasonCode } from '@fleet/shared';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import { TCO_COMPONENTS } from './analytics-format';

// Records, so that a new standing or reason fails the type check until it is named here too.
const STANDINGS: Record<RankStanding, true> = { best: true, indistinguishable: true, worse: true, insufficient: true };
const REASONS: Record<RepairOrReplaceReasonCode, true> = {
  repairQuote: true,
  repairCovered: true,
  quoteMissing: true,
  oldUnitFailures: true,
  newUnitPrice: true,
  newUnitFailures: true,
  noLifeLeft: true,
};

describe('analytics texts', () => {
  it.each([['en', en], ['zh-CN', zhCN]] as const)('should define every figure it names, in %s', (_locale, messages) => {
    const { term, define } = messages.analytics;
    expect(Object.keys(define).sort()).toEqual(Object.keys(term).sort());
    for (const text of [...Object.values(term), ...Object.values(define)]) expect(text).toMatch(/\S/);
    expect(TCO_COMPONENTS.filter((component) => !term[component])).toEqual([]);
  });

  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name every grouping, standing, signal and repair-or-replace reason in %s', (_locale, messages) => {
    const { analytics } = messages;
    const missing = (section: Record<string, unknown>, values: readonly string[]) => values.filter((value) => typeof section[value] !== 'string' || !/\S/.test(section[value] as string));
    expect({
      group: missing(analytics.group, [...FAILURE_RATE_GROUPS, ...REPAIR_TIME_GROUPS, ...COST_GROUPS]),
      standing: missing(analytics.standing, Object.keys(STANDINGS)),
      standingHelp: missing(analytics.standingHelp, Object.keys(STANDINGS)),
      signal: missing(analytics.earlyWarning.signal, EARLY_WARNING_SIGNALS),
      unit: missing(analytics.earlyWarning.unit, EARLY_WARNING_SIGNALS),
      reason: missing(analytics.repairOrReplace.reason, Object.keys(REASONS)),
    }).toEqual({ group: [], standing: [], standingHelp: [], signal: [], unit: [], reason: [] });
  });

  it.each([['en', en], ['zh-CN', zhCN]] as const)('should keep vue-i18n syntax out of the texts in %s', (_locale, messages) => {
    // `|` splits plurals and `@` links messages: a definition must not trip on either.
    const texts = JSON.stringify(messages.analytics);
    expect(texts).not.toMatch(/[|@]/);
  });
});
