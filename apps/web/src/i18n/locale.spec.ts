import { preferredLocale } from './locale';

describe(preferredLocale.name, () => {
  it.each([
    [null, ['zh-CN', 'en'], 'zh-CN'],
    [null, ['zh-TW'], 'zh-CN'],
    [null, ['en-GB', 'fr'], 'en'],
    ['en', ['zh-CN'], 'en'],
    ['zh-CN', ['en-US'], 'zh-CN'],
    ['klingon', ['en-US'], 'en'],
  ])('should choose from stored %p and browser %j: %s', (stored, browser, expected) => {
    expect(preferredLocale(stored, browser)).toBe(expected);
  });
});
