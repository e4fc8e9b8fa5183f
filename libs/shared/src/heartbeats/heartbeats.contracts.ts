/**
 * What a terminal reports every 30-300 s, and the health the system derives
 * from it. The limits here are the API's limits: a device is untrusted, so
 * every text field has a closed alphabet and every number a range.
 */
export const NETWORK_TYPES = ['wifi', 'ethernet', '2g', '3g', '4g', '5g', 'none'] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

/** ok, paper running low, paper out, printer fault, no printer (mPOS). */
export const PRINTER_STATES = ['ok', 'paper_low', 'paper_out', 'fault', 'absent'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

export const HEARTBEAT_LIMITS = {
  batchMax: 1000,
  sequenceMax: Number.MAX_SAFE_INTEGER,
  counterMax: 4_294_967_295,
  signalDbm: { min: -140, max: 0 },
  temperatureC: { min: -40, max: 125 },
  // Inventory versions read like "PayDroid 8.5.1": letters, digits, spaces and . _ + -.
  versionPattern: '^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,31}$',
  errorCodePattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,23}$',
  errorCodesMax: 16,
  /** How far in the past a device clock may say it sent (buffered uploads), and ahead of ours. */
  sentAtPastDays: 30,
  sentAtFutureMinutes: 10,
} as const;

/** One heartbeat as a device sends it (`POST /api/v1/heartbeats`). */
export interface HeartbeatRequest {
  terminalId: number;
  /** Monotonic per terminal; the same terminal and sequence is stored once. */
  sequence: number;
  /** The device's clock, ISO 8601 with a zone. */
  sentAt: string;
  batteryPct?: number | null;
  charging?: boolean | null;
  signalDbm?: number | null;
  network?: NetworkType | null;
  printer?: PrinterState | null;
  temperatureC?: number | null;
  firmwareVersion?: string | null;
  appVersion?: string | null;
  lastTransactionAt?: string | null;
  /** Lifetime counters; a smaller value than last time means the device reset them. */
  transactionCount?: number | null;
  printCount?: number | null;
  errorCodes?: string[];
  location?: { lat: number; lon: number } | null;
}

export interface HeartbeatBatchRequest {
  heartbeats: HeartbeatRequest[];
}

/** Acknowledged only once every accepted heartbeat is durable. */
export interface HeartbeatAck {
  accepted: number;
  /** Already stored before (same terminal and sequence): counted once. */
  duplicates: number;
}

export const HEALTH_STATES = ['unknown', 'online', 'degraded', 'offline'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export const DEGRADED_REASONS = [
  'low_battery',
  'weak_signal',
  'paper_out',
  'printer_fault',
  'overheating',
  'repeated_errors',
  'version_behind',
] as const;
export type DegradedReason = (typeof DEGRADED_REASONS)[number];

/** The thresholds a model (or one terminal) is judged by; null = not checked. */
export interface HealthPolicyValues {
  /** No heartbeat for this long → offline. */
  offlineAfterSeconds: number;
  batteryLowPct: number | null;
  signalWeakDbm: number | null;
  temperatureHighC: number | null;
  /** This many heartbeats in a row with error codes → repeated errors. */
  errorRepeatCount: number | null;
  targetFirmwareVersion: string | null;
  targetAppVersion: string | null;
}

export const HEALTH_POLICY_LIMITS = {
  offlineAfterSeconds: { min: 30, max: 86_400 },
  batteryLowPct: { min: 1, max: 99 },
  signalWeakDbm: { min: -140, max: -1 },
  temperatureHighC: { min: 20, max: 125 },
  errorRepeatCount: { min: 1, max: 100 },
} as const;

export const DEFAULT_HEALTH_POLICY: HealthPolicyValues = {
  offlineAfterSeconds: 900,
  batteryLowPct: 15,
  signalWeakDbm: -105,
  temperatureHighC: 60,
  errorRepeatCount: 3,
  targetFirmwareVersion: null,
  targetAppVersion: null,
};

/** A model's policy, or one terminal's override (only the fields set override). */
export interface HealthPolicyResponse extends Partial<HealthPolicyValues> {
  id: number;
  scope: 'model' | 'terminal';
  modelId: number | null;
  terminalId: number | null;
  version: number;
  updatedAt: string;
}

export type HealthPolicyRequest = { [K in keyof HealthPolicyValues]?: HealthPolicyValues[K] | null } & { version?: number };

/** The latest values a terminal reported. */
export interface HeartbeatValues {
  sequence: number;
  sentAt: string;
  receivedAt: string;
  batteryPct: number | null;
  charging: boolean | null;
  signalDbm: number | null;
  network: NetworkType | null;
  printer: PrinterState | null;
  temperatureC: number | null;
  firmwareVersion: string | null;
  appVersion: string | null;
  lastTransactionAt: string | null;
  transactionCount: number | null;
  printCount: number | null;
  errorCodes: string[];
  location: { lat: number; lon: number } | null;
}

export interface TerminalHealthResponse {
  terminalId: number;
  state: HealthState;
  reasons: DegradedReason[];
  since: string | null;
  lastSeenAt: string | null;
  /** False for terminals not deployed: they never raise offline or degraded alarms. */
  monitored: boolean;
  /** When it goes offline without another heartbeat (online and degraded only). */
  offlineAt: string | null;
  policy: HealthPolicyValues;
  latest: HeartbeatValues | null;
}

export interface StatusChangeResponse {
  id: number;
  terminalId: number;
  from: HealthState;
  to: HealthState;
  reasons: DegradedReason[];
  at: string;
  monitored: boolean;
}

export const SERIES_RESOLUTIONS = ['raw', 'hour', 'day'] as const;
export type SeriesResolution = (typeof SERIES_RESOLUTIONS)[number];

/** One point of a terminal's chart; raw points have samples = 1. */
export interface HeartbeatSeriesPoint {
  t: string;
  samples: number;
  uptimePct: number | null;
  batteryMin: number | null;
  batteryAvg: number | null;
  signalMin: number | null;
  signalAvg: number | null;
  temperatureMax: number | null;
  errors: number;
  transactions: number;
  prints: number;
}

export interface HeartbeatSeriesResponse {
  terminalId: number;
  resolution: SeriesResolution;
  from: string;
  to: string;
  points: HeartbeatSeriesPoint[];
}

export type HealthCounts = Record<HealthState, number>;

/** Minutes between two samples of the fleet's counts (the overview's history). */
export const FLEET_SAMPLE_MINUTES = 5;
/** The longest history the overview can ask for: 31 days. */
export const FLEET_HISTORY_HOURS_MAX = 744;

export interface FleetHealthSample {
  at: string;
  counts: HealthCounts;
}

/** The fleet's counts over a window, from samples taken every few minutes. */
export interface FleetHealthHistoryResponse {
  from: string;
  to: string;
  /** Minutes each sample stands for: as sampled up to two days, hourly averages beyond. */
  bucketMinutes: number;
  samples: FleetHealthSample[];
  /** Share (0–100) of monitored terminals that were reporting (online or degraded); null without samples. */
  onlinePct: number | null;
  /** The first sample in the window: later than `from` when the history is shorter than asked. */
  coverageFrom: string | null;
}

export const FLEET_HEALTH_GROUPS = ['region', 'model', 'supplier'] as const;
export type FleetHealthGroupBy = (typeof FLEET_HEALTH_GROUPS)[number];

export interface FleetHealthGroup {
  id: number;
  label: string;
  counts: HealthCounts;
}

/** Counts of monitored (deployed) terminals by health, from in-memory counters. */
export interface FleetHealthResponse {
  asOf: string;
  counts: HealthCounts;
  reasons: Record<DegradedReason, number>;
  groupBy: FleetHealthGroupBy | null;
  groups: FleetHealthGroup[];
}

export const CREDENTIAL_KINDS = ['terminal', 'gateway'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export interface DeviceCredentialResponse {
  id: number;
  kind: CredentialKind;
  terminalId: number | null;
  regionId: number | null;
  name: string | null;
  /** The last characters of the token, to tell credentials apart. */
  hint: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

/** Returned once, when a credential is issued or rotated: the token is never shown again. */
export interface IssuedCredentialResponse extends DeviceCredentialResponse {
  token: string;
}

export interface CreateGatewayRequest {
  name: string;
  regionId: number;
}

/** A model's or terminal's own policy (if any) and the values in force. */
export interface HealthPolicyView {
  policy: HealthPolicyResponse | null;
  effective: HealthPolicyValues;
}

/** Every stored policy (models and terminal overrides) and the defaults they fall back to. */
export interface HealthPolicyListResponse {
  defaults: HealthPolicyValues;
  policies: HealthPolicyResponse[];
}

/** A row of `heartbeat_rollups`: one terminal's hour or day of heartbeats. */
export interface HeartbeatRollup {
  /** Start of the hour or day, epoch ms. */
  bucketStart: number;
  samples: number;
  upMs: number;
  batteryMin: number | null;
  batteryAvg: number | null;
  signalMin: number | null;
  signalAvg: number | null;
  temperatureMax: number | null;
  errorCount: number;
  transactions: number;
  prints: number;
}
