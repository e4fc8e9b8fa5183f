/**
 * The socket.io contract between the API's realtime gateway and the
 * dashboard: rooms a client may join, and the typed events of each. Changes
 * are coalesced per room (a few messages a second at most, whatever the
 * fleet does), and every subscription starts with a snapshot, so a client
 * that reconnects is whole again at once.
 */
import type { AlertResponse, AlertSummaryResponse } from '../alerts/alerts.contracts';
import type { DegradedReason, HealthCounts, HealthState, TerminalHealthResponse } from '../heartbeats/heartbeats.contracts';

/** `fleet`: counts; `feed`: newest status changes; `region:<id>`; `terminal:<id>`. */
/** `feed:<regionId>` is the feed of one region and its sub-regions (what a user limited to a region follows). */
/** `alerts`: every open alert; `alerts:<regionId>`: those of a region and its sub-regions. */
export type RealtimeRoom = 'fleet' | 'feed' | 'alerts' | `feed:${number}` | `alerts:${number}` | `region:${number}` | `terminal:${number}`;

export const REALTIME_ROOM_PATTERN = /^(fleet|feed|alerts|(?:feed|alerts|region|terminal):[1-9]\d{0,9})$/;

/** How often a room's pending changes go out, at most (a change after a quiet spell goes out at once). */
export const REALTIME_FLUSH_MS = 300;

export interface RegionCounts {
  regionId: number;
  /** Deployed terminals of the region and its sub-regions. */
  counts: HealthCounts;
}

export interface FleetCountsMessage {
  at: string;
  counts: HealthCounts;
  /** Degraded terminals by reason, fleet-wide; null in a region's room. */
  reasons: Record<DegradedReason, number> | null;
  /** In a snapshot every region; in a diff only the regions whose counts moved. */
  regions: RegionCounts[];
  snapshot: boolean;
}

export interface FeedChange {
  terminalId: number;
  /** Null for a terminal deleted since. */
  assetNumber: string | null;
  regionId: number;
  from: HealthState;
  to: HealthState;
  reasons: DegradedReason[];
  at: string;
}

export interface FeedMessage {
  /** Newest first, at most FEED_SIZE. */
  changes: FeedChange[];
  /** Changes since the last message that are not listed (a storm). */
  omitted: number;
  snapshot: boolean;
}

export const FEED_SIZE = 50;

export interface TerminalHealthMessage {
  terminalId: number;
  health: TerminalHealthResponse;
}

export interface AlertsMessage {
  summary: AlertSummaryResponse;
  /** In a snapshot the newest open alerts; in a diff those raised, changed or resolved since, newest first, at most ALERTS_LIST_SIZE. */
  alerts: AlertResponse[];
  omitted: number;
  snapshot: boolean;
}

export const ALERTS_LIST_SIZE = 50;

export interface RealtimeError {
  room: string;
  code: 'INVALID_ROOM' | 'FORBIDDEN' | 'NOT_FOUND';
  message: string;
}

export interface ServerToClientEvents {
  'fleet:counts': (message: FleetCountsMessage) => void;
  'feed:changes': (message: FeedMessage) => void;
  'terminal:health': (message: TerminalHealthMessage) => void;
  'alerts:changed': (message: AlertsMessage) => void;
  'realtime:error': (error: RealtimeError) => void;
}

export interface ClientToServerEvents {
  /** Joins a room; the answer (acknowledgement) is true, and its snapshot follows as a normal event. */
  subscribe: (room: RealtimeRoom, ack: (ok: boolean) => void) => void;
  unsubscribe: (room: RealtimeRoom, ack: (ok: boolean) => void) => void;
}
