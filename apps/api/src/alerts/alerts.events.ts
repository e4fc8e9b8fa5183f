/** Published after the commit of raised, changed or resolved alerts (the realtime gateway pushes them). */
export const ALERTS_CHANGED = 'alerts.changed';

export interface AlertsChangedEvent {
  ids: number[];
}
