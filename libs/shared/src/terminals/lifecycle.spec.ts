import { allowedTransitions, canTransition, TERMINAL_STATUSES, type TerminalStatus } from './lifecycle';

describe('terminal lifecycle', () => {
  it.each<[TerminalStatus, TerminalStatus, boolean]>([
    ['in_stock', 'deployed', true],
    ['deployed', 'in_repair', true],
    ['in_repair', 'deployed', true],
    ['spare', 'deployed', true],
    ['retired', 'disposed', true],
    ['in_stock', 'disposed', false],
    ['deployed', 'disposed', false],
    ['disposed', 'in_stock', false],
    ['retired', 'deployed', false],
    ['deployed', 'deployed', false],
  ])('should answer %s → %s with %s', (from, to, expected) => {
    expect(canTransition(from, to)).toBe(expected);
  });

  it('should never allow leaving disposed', () => {
    expect(allowedTransitions('disposed')).toEqual([]);
  });

  it('should let every state but disposed reach retirement, directly or not', () => {
    for (const status of TERMINAL_STATUSES.filter((s) => s !== 'disposed' && s !== 'retired')) {
      expect(canTransition(status, 'retired')).toBe(true);
    }
  });
});
