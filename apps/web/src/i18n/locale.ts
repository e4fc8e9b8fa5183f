export type Locale = 'zh-CN' | 'en';

/** The stored choice if any, else Chinese when the browser asks for any Chinese, else English. */
export function preferredLocale(stored: string | null, browser: readonly string[]): Locale {
  if (stored === 'zh-CN' || stored === 'en') return stored;
  return browser.some((language) => language.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}
