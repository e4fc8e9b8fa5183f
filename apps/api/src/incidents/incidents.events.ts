/** Published after the commit of any change to a fault ticket (alerts, realtime and analytics listen). */
import type { IncidentStage } from '@fleet/shared';

export const INCIDENT_CHANGED = 'incident.changed';

export interface IncidentChangedEvent {
  incidentId: number;
  terminalId: number;
  regionId: number;
  stage: IncidentStage;
  /** null when the ticket was just opened; equal to stage for a step that does not move it. */
  from: IncidentStage | null;
}
