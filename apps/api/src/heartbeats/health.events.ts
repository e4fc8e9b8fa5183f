/**
 * Domain events of live health, published after the commit that made them
 * durable. Alerts, audit and the realtime gateway listen; the ingest service
 * never calls them.
 */
import type { DegradedReason, HealthState } from '@fleet/shared';

/** A batch of status changes (one sweep can take 100,000 terminals offline: one event, not 100,000). */
export const HEALTH_CHANGED = 'health.changed';

export interface HealthChange {
  terminalId: number;
  regionId: number;
  modelId: number;
  supplierId: number;
  from: HealthState;
  to: HealthState;
  reasons: DegradedReason[];
  /** Epoch ms. */
  at: number;
  /** False for terminals not deployed: no alarm. */
  monitored: boolean;
}

export interface HealthChangedEvent {
  changes: HealthChange[];
}

/** Heartbeats made durable (for push latency and live charts). */
export const HEARTBEATS_STORED = 'heartbeats.stored';

export interface HeartbeatsStoredEvent {
  count: number;
  terminalIds: number[];
  /** Epoch ms at which the oldest of them was received. */
  oldestReceivedAt: number;
}

export const HEALTH_POLICY_CHANGED = 'health-policy.changed';

export interface HealthPolicyChangedEvent {
  modelId: number | null;
  terminalId: number | null;
}
