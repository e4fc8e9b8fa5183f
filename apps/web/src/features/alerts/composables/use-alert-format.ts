/** Alert values as text in the user's language: how long ago, how long, when, a rule's condition and timings, an alert's variant. */
import { useI18n } from 'vue-i18n';
import type { AlertResponse, AlertRuleKind, AlertRuleParams, AlertRuleResponse } from '@fleet/shared';
import { useIncidentFormat } from '../../incidents/composables/use-incident-format';
import { ago, alertVariant, durationParts, paramEntries } from '../alert-format';

export function useAlertFormat() {
  const { t, n, locale } = useI18n();
  const { dateTime, day } = useIncidentFormat();

  /** "5 minutes ago", "昨天", as the user's language says it. */
  const since = (iso: string, now: number) => {
    const { value, unit } = ago(iso, now);
    return new Intl.RelativeTimeFormat(locale.value, { numeric: 'auto' }).format(value, unit);
  };
  /** "1 day 4 hr", "4小时", with the units the user's language abbreviates. */
  const duration = (minutes: number) =>
    durationParts(minutes)
      .map(({ value, unit }) => new Intl.NumberFormat(locale.value, { style: 'unit', unit, unitDisplay: 'short' }).format(value))
      .join(' ');
  const integers = (value: number | number[]) => (Array.isArray(value) ? value : [value]).map((item) => n(item, 'integer')).join(', ');

  /** The condition of a rule in words: "for 30 min", "30, 60, 90 days ahead". */
  const condition = (kind: AlertRuleKind, params: AlertRuleParams) =>
    paramEntries(kind, params)
      .map(({ key, value }) => t(`alerts.paramWords.${key}`, { n: key === 'minutes' && typeof value === 'number' ? duration(value) : integers(value) }))
      .join(' · ') || t('alerts.rules.noParams');

  const repeat = (rule: Pick<AlertRuleResponse, 'repeatMinutes'>) => (rule.repeatMinutes === null ? t('alerts.rules.once') : t('alerts.rules.every', { duration: duration(rule.repeatMinutes) }));
  const escalation = (rule: Pick<AlertRuleResponse, 'escalateAfterMinutes' | 'escalateToRole'>) => {
    if (rule.escalateAfterMinutes === null) return t('alerts.rules.never');
    const after = duration(rule.escalateAfterMinutes);
    return rule.escalateToRole ? t('alerts.rules.afterTo', { duration: after, role: t(`role.${rule.escalateToRole}`) }) : t('alerts.rules.after', { duration: after });
  };

  /** What tells an alert from the rule's others on the same subject: "ends 2027-01-31", "Restore service"; '' when nothing. */
  const variant = (alert: Pick<AlertResponse, 'rule' | 'variant'>) => {
    const value = alertVariant(alert.rule.kind, alert.variant);
    if (!value) return '';
    if (value.type === 'date') return t('alerts.ends', { date: day(value.iso) });
    return value.type === 'measure' ? t(`incidents.measure.${value.measure}`) : value.text;
  };

  return { since, dateTime, condition, repeat, escalation, variant };
}
