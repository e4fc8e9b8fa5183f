/** Published after a commit that added, changed or removed terminals (ids only; listeners read what they need). */
export const TERMINALS_CHANGED = 'terminals.changed';

export interface TerminalsChangedEvent {
  ids: number[];
}
