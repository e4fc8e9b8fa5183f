/** vue-i18n with zh-CN and en; Chinese when the browser asks for it, the choice kept in localStorage. */
import { createI18n } from 'vue-i18n';
import { en } from './en';
import { zhCN } from './zh-CN';

import { preferredLocale, type Locale } from './locale';

export type { Locale };
const STORAGE_KEY = 'fleet.locale';

export const i18n = createI18n({
  legacy: false,
  locale: preferredLocale(globalThis.localStorage?.getItem(STORAGE_KEY) ?? null, globalThis.navigator?.languages ?? []),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  datetimeFormats: {
    en: { short: { year: 'numeric', month: '2-digit', day: '2-digit' }, long: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }, time: { hour: '2-digit', minute: '2-digit', second: '2-digit' } },
    'zh-CN': { short: { year: 'numeric', month: '2-digit', day: '2-digit' }, long: { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }, time: { hour: '2-digit', minute: '2-digit', second: '2-digit' } },
  },
  numberFormats: {
    en: { money: { style: 'currency', currency: 'CNY' }, integer: { maximumFractionDigits: 0 }, percent: { style: 'percent', maximumFractionDigits: 1 } },
    'zh-CN': { money: { style: 'currency', currency: 'CNY' }, integer: { maximumFractionDigits: 0 }, percent: { style: 'percent', maximumFractionDigits: 1 } },
  },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
