import { neutralizeCsvCell } from './imports.contracts';

describe('neutralizeCsvCell', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+8613800000000', "'+8613800000000"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['POS-BJ-000001', 'POS-BJ-000001'],
    ['', ''],
  ])('should turn %p into %p', (input, expected) => {
    expect(neutralizeCsvCell(input)).toBe(expected);
  });
});
