import type { IsoDateTime } from '../terminals/terminals.contracts';

export const AUDIT_ENTITY_TYPES = ['terminal', 'model', 'supplier', 'region', 'merchant', 'insurance_policy', 'user', 'device_credential', 'health_policy', 'maintenance_plan', 'maintenance_task', 'alert_rule', 'webhook_endpoint'] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'transition', 'import', 'revoke'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Before and after of one changed field. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

export interface AuditEntryResponse {
  id: number;
  at: IsoDateTime;
  actor: { id: number | null; username: string };
  entityType: AuditEntityType;
  entityId: number;
  entityLabel: string;
  action: AuditAction;
  changes: Record<string, FieldChange>;
  reason: string | null;
}

export interface ListAuditQuery {
  entityType?: AuditEntityType;
  entityId?: number;
  actorId?: number;
  action?: AuditAction;
  from?: IsoDateTime;
  to?: IsoDateTime;
  page?: number;
  pageSize?: number;
}
