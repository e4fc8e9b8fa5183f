import { CATALOG_FIELDS, toRequestBody } from './catalog-fields';

describe(toRequestBody.name, () => {
  const fields = CATALOG_FIELDS.regions.fields;

  it('should leave empty values out when creating and send numbers as numbers', () => {
    expect(toRequestBody(fields, { code: 'BJ', name: ' 北京 ', parentId: '' }, true)).toEqual({ code: 'BJ', name: '北京' });
    expect(toRequestBody(fields, { code: 'BJHD', name: '海淀', parentId: '3' }, true)).toEqual({ code: 'BJHD', name: '海淀', parentId: 3 });
  });

  it('should clear empty values and never send a create-only field when editing', () => {
    expect(toRequestBody(fields, { code: 'BJ', name: '北京', parentId: '' }, false)).toEqual({ name: '北京', parentId: null });
  });
});
