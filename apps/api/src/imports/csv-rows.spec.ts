import { DomainException } from '../common/domain.exception';
import { decodeCsv, parseTerminalCsv } from './csv-rows';

describe(parseTerminalCsv.name, () => {
  it('should read rows by header name and leave empty cells out', () => {
    expect(parseTerminalCsv('serialNumber,model,custodian\nSN001,PAX A920,\n')).toEqual([{ serialNumber: 'SN001', model: 'PAX A920' }]);
  });

  it.each([
    ['', 'empty'],
    ['serialNumber,colour\nSN1,red\n', 'unknownColumn'],
    ['model,supplier\nA,B\n', 'missingColumn'],
    ['serialNumber\n', 'empty'],
    ['serialNumber,serialNumber\nA,B\n', 'duplicateColumn'],
    ['serialNumber,model\nA,"unterminated\n', 'malformedCsv'],
  ])('should refuse %p as %s, naming the file field', (text, code) => {
    try {
      parseTerminalCsv(text);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainException);
      expect((error as DomainException).details?.fields?.[0]).toMatchObject({ field: 'file', code });
    }
  });
});

describe(decodeCsv.name, () => {
  it('should read UTF-8 with a byte-order mark and GB18030 from Chinese spreadsheets', () => {
    expect(decodeCsv(Buffer.from('\uFEFFmerchant\n北京', 'utf-8'))).toContain('北京');
    const gb = Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]); // 北京 in GB18030
    expect(decodeCsv(gb)).toBe('北京');
  });
});
