/** Fault-ticket values as text in the user's language: durations, ages, money, days, vocabulary terms, field names and event details. */
import { useI18n } from 'vue-i18n';
import { durationMessage, humanizeField, minutesSince, type DetailValue, type TermSection } from '../incident-format';

export function useIncidentFormat() {
  const { t, te, d, n } = useI18n();

  const duration = (minutes: number) => {
    const { key, params } = durationMessage(minutes);
    return t(`incidents.duration.${key}`, { d: params.days, h: params.hours, m: params.minutes });
  };
  const age = (iso: string, now: number) => duration(minutesSince(iso, now));
  const dateTime = (iso: string | null) => (iso ? d(new Date(iso), 'long') : t('common.none'));
  /** A calendar day (YYYY-MM-DD) read as that day where the user is, not as UTC midnight. */
  const day = (iso: string | null) => (iso ? d(new Date(`${iso.slice(0, 10)}T00:00:00`), 'short') : t('common.none'));
  const money = (value: number | null, currency = 'CNY') => (value === null ? t('common.none') : n(value, { key: 'money', currency }));
  const share = (value: number | null) => (value === null ? t('common.none') : n(value, 'percent'));
  const hours = (value: number | null) => (value === null ? t('common.none') : t('incidents.hoursValue', { n: n(value, { maximumFractionDigits: 1 }) }));
  const term = (section: TermSection, value: string) => t(`incidents.${section}.${value}`);
  const fieldLabel = (key: string) => (te(`incidents.field.${key}`) ? t(`incidents.field.${key}`) : humanizeField(key));
  const show = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? t('common.none') : String(value));

  /** A detail value on one line (nested rows are laid out by the timeline itself). */
  function detail(value: DetailValue | null): string {
    if (value === null) return t('common.none');
    switch (value.type) {
      case 'text':
        return value.text;
      case 'term':
        return term(value.section, value.value);
      case 'dateTime':
        return dateTime(value.iso);
      case 'date':
        return day(value.iso);
      case 'number':
        return n(value.value, { maximumFractionDigits: 2 });
      case 'money':
        return money(value.value, value.currency);
      case 'boolean':
        return value.value ? t('common.yes') : t('common.no');
      case 'list':
        return value.items.map(detail).join(', ');
      case 'change':
        return `${detail(value.from)} → ${detail(value.to)}`;
      case 'rows':
        return value.rows.map((row) => `${row.section ? term(row.section, row.key) : fieldLabel(row.key)}: ${detail(row.value)}`).join('; ');
    }
  }

  return { duration, age, dateTime, day, money, share, hours, term, fieldLabel, show, detail };
}
