/** Maintenance values as text in the user's language: a plan's trigger and scope, and the first day of the week. */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { MaintenancePlanResponse } from '@fleet/shared';

export function useMaintenanceFormat() {
  const { t, n, locale } = useI18n();

  /** "every 3 months or every 5,000 transactions". */
  const trigger = (plan: Pick<MaintenancePlanResponse, 'interval' | 'intervalUnit' | 'usageCounter' | 'usageEvery'>) =>
    [
      plan.interval !== null && t('maintenance.plans.everyTime', { n: n(plan.interval, 'integer'), unit: t(`maintenance.unit.${plan.intervalUnit}`, plan.interval) }),
      plan.usageCounter && plan.usageEvery !== null && t('maintenance.plans.everyUsage', { n: n(plan.usageEvery, 'integer'), counter: t(`maintenance.counter.${plan.usageCounter}`, plan.usageEvery) }),
    ]
      .filter((part): part is string => typeof part === 'string')
      .join(` ${t('maintenance.plans.or')} `);

  /** What a plan covers, in words. */
  const scope = (plan: MaintenancePlanResponse) => {
    switch (plan.scope) {
      case 'model':
        return `${t('maintenance.field.modelId')}: ${plan.model?.name ?? t('common.none')}`;
      case 'region':
        return `${t('maintenance.field.regionId')}: ${plan.region ? `${plan.region.code} ${plan.region.name}` : t('common.none')}`;
      case 'category':
        return `${t('maintenance.field.category')}: ${plan.category ? t(`category.${plan.category}`) : t('common.none')}`;
      case 'terminals':
        return `${t('maintenance.scope.terminals')}: ${n(plan.terminalIds?.length ?? 0, 'integer')}`;
    }
  };

  /** Chinese calendars start on Monday; the English one here on Sunday. */
  const weekStartsOn = computed<0 | 1>(() => (locale.value === 'zh-CN' ? 1 : 0));

  return { trigger, scope, weekStartsOn };
}
