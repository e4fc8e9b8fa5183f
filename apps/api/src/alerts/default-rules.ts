/**
 * The rules a new installation starts with; managers change or remove them
 * (they are ordinary rules once created).
 */
import { DEFAULT_EXPIRY_WINDOWS, type CreateAlertRuleRequest } from '@fleet/shared';

export const DEFAULT_ALERT_RULES: CreateAlertRuleRequest[] = [
  { kind: 'terminal_offline', name: 'Terminal offline for 1 hour', severity: 'warning', params: { minutes: 60 }, repeatMinutes: 240, escalateAfterMinutes: 240, escalateToRole: 'fleet_manager' },
  { kind: 'terminal_offline', name: 'Terminal offline for 24 hours', severity: 'critical', params: { minutes: 1440 }, repeatMinutes: 1440, escalateAfterMinutes: 480, escalateToRole: 'fleet_manager' },
  { kind: 'terminal_degraded', name: 'Terminal degraded for 4 hours', severity: 'info', params: { minutes: 240 }, repeatMinutes: null, escalateAfterMinutes: null },
  { kind: 'battery_low', name: 'Battery low for 30 minutes', severity: 'warning', params: { minutes: 30 }, repeatMinutes: 720, escalateAfterMinutes: null },
  { kind: 'paper_out', name: 'Paper out for 30 minutes', severity: 'warning', params: { minutes: 30 }, repeatMinutes: 240, escalateAfterMinutes: null },
  { kind: 'recurring_error', name: 'Recurring error code for 1 hour', severity: 'warning', params: { minutes: 60 }, repeatMinutes: 720, escalateAfterMinutes: null },
  { kind: 'ticket_sla_breach', name: 'Fault ticket past its service level', severity: 'critical', params: {}, repeatMinutes: 240, escalateAfterMinutes: 120, escalateToRole: 'fleet_manager' },
  { kind: 'maintenance_overdue', name: 'Maintenance task overdue', severity: 'warning', params: {}, repeatMinutes: 1440, escalateAfterMinutes: 4320, escalateToRole: 'fleet_manager' },
  { kind: 'warranty_expiring', name: 'Warranty ending', severity: 'info', params: { windows: [...DEFAULT_EXPIRY_WINDOWS] }, repeatMinutes: null, escalateAfterMinutes: null },
  { kind: 'policy_expiring', name: 'Insurance policy ending', severity: 'warning', params: { windows: [...DEFAULT_EXPIRY_WINDOWS] }, repeatMinutes: null, escalateAfterMinutes: null },
  { kind: 'spare_pool_low', name: 'Spare pool below minimum', severity: 'warning', params: { minimum: 1, minDeployed: 20 }, repeatMinutes: 10080, escalateAfterMinutes: null },
];
