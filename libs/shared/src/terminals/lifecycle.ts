/**
 * The lifecycle of a terminal and the moves allowed between its states.
 * Disposed is final: a disposed unit has left the bank for good.
 */
export const TERMINAL_STATUSES = ['in_stock', 'deployed', 'in_repair', 'spare', 'retired', 'disposed'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export const TERMINAL_CATEGORIES = ['desktop', 'mobile', 'smart', 'mpos'] as const;
export type TerminalCategory = (typeof TERMINAL_CATEGORIES)[number];

const TRANSITIONS: Readonly<Record<TerminalStatus, readonly TerminalStatus[]>> = {
  in_stock: ['deployed', 'spare', 'in_repair', 'retired'],
  deployed: ['in_stock', 'in_repair', 'spare', 'retired'],
  in_repair: ['in_stock', 'deployed', 'spare', 'retired'],
  spare: ['in_stock', 'deployed', 'in_repair', 'retired'],
  retired: ['in_stock', 'disposed'],
  disposed: [],
};

export function allowedTransitions(from: TerminalStatus): readonly TerminalStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: TerminalStatus, to: TerminalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminalStatus(value: unknown): value is TerminalStatus {
  return typeof value === 'string' && (TERMINAL_STATUSES as readonly string[]).includes(value);
}
