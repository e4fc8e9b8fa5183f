import { ERROR_CODES, PERMISSIONS, ROLES, TERMINAL_CATEGORIES, TERMINAL_STATUSES } from '@fleet/shared';
import { en } from './en';
import { zhCN } from './zh-CN';

function keys(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) => (typeof inner === 'object' && inner !== null ? keys(inner, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

describe('dashboard texts', () => {
  it.each([['en', en], ['zh-CN', zhCN]] as const)('should translate every server error code in %s', (_locale, messages) => {
    for (const code of ERROR_CODES) expect(messages.errors[code]).toEqual(expect.any(String));
  });

  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name every status, category and role in %s', (_locale, messages) => {
    for (const status of TERMINAL_STATUSES) expect(messages.status[status]).toBeTruthy();
    for (const category of TERMINAL_CATEGORIES) expect(messages.category[category]).toBeTruthy();
    for (const role of ROLES) expect(messages.role[role]).toBeTruthy();
  });

  it('should have the same keys in both languages, none empty', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    for (const key of keys(zhCN)) expect(key).not.toBe('');
    expect(PERMISSIONS.length).toBeGreaterThan(0);
  });
});

describe('audit texts', () => {
  it.each([['en', en], ['zh-CN', zhCN]] as const)('should name every audited record type in %s', async (_locale, messages) => {
    const { AUDIT_ENTITY_TYPES } = await import('@fleet/shared');
    for (const type of AUDIT_ENTITY_TYPES) expect(messages.audit.entity[type]).toBeTruthy();
  });
});
