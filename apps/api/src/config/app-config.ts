/**
 * The API's configuration: read from the environment once at boot, checked,
 * and handed to the rest of the app as one typed object. A bad value stops the
 * start with the variable's name and what is allowed.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { ASSET_PREFIX_PATTERN } from '@fleet/shared';

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; schema: string };

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  redisUrl: string | null;
  /** Prefix of the Redis channels, so several deployments can share one Redis. */
  redisPrefix: string;
  mqttUrl: string | null;
  /** Seed the demo fleet into an empty database. */
  demo: boolean;
  admin: { username: string; password: string | null };
  assetPrefix: string;
  assetSequenceWidth: number;
  sessionTtlHours: number;
  cookieSecure: boolean;
  loginRateLimit: { limit: number; windowSeconds: number };
  importMaxBytes: number;
  metricsToken: string | null;
  webDir: string;
  logLevels: LogLevel[];
  heartbeats: HeartbeatConfig;
  incidents: IncidentConfig;
  alerts: { checkSeconds: number };
  maintenance: MaintenanceConfig;
  /** How often the proactive swap list is recomputed (also at start when the last run is older); 0 = only on request. */
  earlyWarning: { checkSeconds: number };
  notifications: NotificationConfig;
  analytics: AnalyticsConfig;
}

/** The reliability rollups and the assumptions of the cost figures. */
export interface AnalyticsConfig {
  /** How often the rollups take in the new lifecycle changes and tickets (also once at start); 0 = never by itself. */
  rollupSeconds: number;
  /**
   * Audit entries younger than this are left for the next run. On PostgreSQL a transaction may commit after a later
   * one, so an entry can appear behind the last one read; waiting this long makes sure none is skipped.
   */
  auditLagSeconds: number;
  /** Years over which a terminal's price is spread in the cost of ownership, and the planned life in repair-or-replace. */
  serviceLifeYears: number;
  /** What an hour without a working terminal costs the bank (lost fees, merchant goodwill), in the fleet's currency. */
  downtimeCostPerHour: number;
}

/** Delivery of email (SMTP) and webhooks from the outbox. */
export interface NotificationConfig {
  /** smtp:// or smtps:// with the credentials; null: email is off and email messages are not queued. */
  smtpUrl: string | null;
  smtpFrom: string;
  /** How often due deliveries are sent. */
  dispatchSeconds: number;
  /** Attempts before a delivery is given up. */
  maxAttempts: number;
  /** The first retry's delay; later retries wait 4, 20, 120 and 720 times as long (30 s, 2 min, 10 min, 1 h, 6 h). Small values are for tests and impatient setups. */
  backoffSeconds: number;
}

/** Maintenance task generation. */
export interface MaintenanceConfig {
  /** How often the plans are checked for tasks to generate (also once at start); 0 = never by itself. */
  checkSeconds: number;
}

/** Tickets opened by alarms (0 turns an alarm off). */
export interface IncidentConfig {
  /** A deployed terminal offline this long gets a ticket. */
  autoOfflineSeconds: number;
  /** A deployed terminal degraded by a recurring error code this long gets a ticket. */
  autoErrorSeconds: number;
  /** How often the alarms are checked. */
  autoCheckSeconds: number;
  /** Tickets opened per check at most: a mass outage is a network incident, not thousands of device faults. */
  autoMaxPerCheck: number;
}

export interface HeartbeatConfig {
  /** Heartbeats waiting to be made durable; beyond it the API answers 503 with Retry-After. */
  queueLimit: number;
  /** Largest group commit, in heartbeats. */
  flushMaxRows: number;
  sweepSeconds: number;
  /** The default offline timeout, for models without a policy. */
  offlineAfterSeconds: number;
  rawRetentionDays: number;
  hourlyRetentionDays: number;
  /** MQTT connections sharing the subscription (`$share`), each acknowledging after the commit. */
  mqttSubscribers: number;
  /** The shared-subscription group (`$share/<group>/...`) of the ingest connections. */
  mqttShareGroup: string;
  /** Heartbeats of the in-process simulator in demo mode, per second (0 = off). */
  demoRate: number;
  /**
   * Whether this instance takes heartbeats and owns the live state (sweep,
   * writes, samples). Exactly one instance of a deployment does; the others
   * mirror its changes over Redis (REDIS_URL).
   */
  ingest: boolean;
}

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export class ConfigError extends Error {
  constructor(readonly variable: string, allowed: string, value: string) {
    super(`Invalid configuration: ${variable}=${JSON.stringify(value)}; allowed: ${allowed}`);
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  }
  return value;
}

function onOff(env: Env, name: string): boolean | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const value = raw.toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(name, 'on or off', raw);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = read(env, name);
  if (raw === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(', ')})`, redact(raw));
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `a URL (${protocols.join(', ')})`, redact(raw));
  }
  return raw;
}

function pattern(env: Env, name: string, fallback: string, allowed: RegExp, description: string): string {
  const raw = read(env, name) ?? fallback;
  if (!allowed.test(raw)) throw new ConfigError(name, description, raw);
  return raw;
}

/** Never echo a password that came inside a URL. */
function redact(raw: string): string {
  return raw.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** `apiDir` is the folder of the built API (main.js); the built dashboard sits beside it. */
export function loadConfig(env: Env, cwd = process.cwd(), apiDir = resolve(__dirname, '..')): AppConfig {
  const dataDirRaw = read(env, 'DATA_DIR') ?? 'data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const schema = read(env, 'DATABASE_SCHEMA') ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError('DATABASE_SCHEMA', 'a lower-case SQL identifier', schema);
  }
  const database: DatabaseConfig = databaseUrl
    ? { kind: 'postgres', url: databaseUrl, schema }
    : { kind: 'sqlite', path: join(dataDir, 'fleet.sqlite') };

  const assetPrefix = read(env, 'ASSET_PREFIX') ?? 'POS';
  if (!ASSET_PREFIX_PATTERN.test(assetPrefix)) {
    throw new ConfigError('ASSET_PREFIX', '1-8 upper-case letters or digits, starting with a letter', assetPrefix);
  }

  const adminUsername = read(env, 'ADMIN_USERNAME') ?? 'admin';
  if (!/^[a-zA-Z0-9._-]{3,64}$/.test(adminUsername)) {
    throw new ConfigError('ADMIN_USERNAME', '3-64 letters, digits, dot, dash or underscore', adminUsername);
  }
  const adminPassword = read(env, 'ADMIN_PASSWORD') ?? null;
  if (adminPassword !== null && (adminPassword.length < 10 || adminPassword.length > 200)) {
    throw new ConfigError('ADMIN_PASSWORD', 'a password of 10 to 200 characters', '***');
  }

  const logLevel = (read(env, 'LOG_LEVEL') ?? 'log') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', LOG_LEVELS.join(', '), logLevel);

  const host = read(env, 'HOST') ?? '0.0.0.0';
  const webDirRaw = read(env, 'WEB_DIR');

  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host,
    dataDir,
    database,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: pattern(env, 'REDIS_PREFIX', 'fleet', /^[A-Za-z0-9_.-]{1,40}$/, '1-40 letters, digits, dot, dash or underscore'),
    mqttUrl: url(env, 'MQTT_URL', ['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']),
    // The demo fleet is for the embedded database; PostgreSQL gets it only when asked.
    demo: onOff(env, 'DEMO') ?? database.kind === 'sqlite',
    admin: { username: adminUsername, password: adminPassword },
    assetPrefix,
    assetSequenceWidth: integer(env, 'ASSET_SEQUENCE_WIDTH', 6, 3, 12),
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    cookieSecure: onOff(env, 'COOKIE_SECURE') ?? false,
    loginRateLimit: {
      limit: integer(env, 'LOGIN_RATE_LIMIT', 10, 1, 10_000),
      windowSeconds: integer(env, 'LOGIN_RATE_WINDOW_SECONDS', 60, 1, 86_400),
    },
    importMaxBytes: integer(env, 'IMPORT_MAX_MB', 20, 1, 500) * 1024 * 1024,
    metricsToken: read(env, 'METRICS_TOKEN') ?? null,
    webDir: webDirRaw ? resolve(cwd, webDirRaw) : resolve(apiDir, '../web'),
    logLevels: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(logLevel) + 1),
    heartbeats: {
      // About half a second of work at 16,700/s: beyond it a client waits less by retrying than by queueing (tools/bench overload).
      queueLimit: integer(env, 'HEARTBEAT_QUEUE_LIMIT', 10_000, 1_000, 1_000_000),
      flushMaxRows: integer(env, 'HEARTBEAT_FLUSH_MAX_ROWS', 5_000, 1, 50_000),
      sweepSeconds: integer(env, 'HEALTH_SWEEP_SECONDS', 5, 1, 10),
      offlineAfterSeconds: integer(env, 'HEALTH_OFFLINE_AFTER_SECONDS', 900, 30, 86_400),
      rawRetentionDays: integer(env, 'HEARTBEAT_RETENTION_DAYS', 7, 1, 366),
      hourlyRetentionDays: integer(env, 'HOURLY_ROLLUP_RETENTION_DAYS', 400, 7, 3_660),
      mqttSubscribers: integer(env, 'MQTT_SUBSCRIBERS', 4, 1, 64),
      mqttShareGroup: pattern(env, 'MQTT_SHARE_GROUP', 'fleet', /^[A-Za-z0-9_-]{1,32}$/, '1-32 letters, digits, dash or underscore'),
      demoRate: integer(env, 'DEMO_HEARTBEATS_PER_SECOND', 50, 0, 10_000),
      ingest: onOff(env, 'HEARTBEAT_INGEST') ?? true,
    },
    alerts: {
      checkSeconds: integer(env, 'ALERT_CHECK_SECONDS', 60, 1, 3_600),
    },
    incidents: {
      autoOfflineSeconds: integer(env, 'INCIDENT_AUTO_OFFLINE_SECONDS', 86_400, 0, 30 * 86_400),
      autoErrorSeconds: integer(env, 'INCIDENT_AUTO_ERROR_SECONDS', 4 * 3_600, 0, 30 * 86_400),
      autoCheckSeconds: integer(env, 'INCIDENT_AUTO_CHECK_SECONDS', 300, 1, 86_400),
      autoMaxPerCheck: integer(env, 'INCIDENT_AUTO_MAX_PER_CHECK', 200, 1, 10_000),
    },
    maintenance: {
      checkSeconds: integer(env, 'MAINTENANCE_CHECK_SECONDS', 3_600, 0, 86_400),
    },
    earlyWarning: {
      checkSeconds: integer(env, 'EARLY_WARNING_CHECK_SECONDS', 6 * 3_600, 0, 7 * 86_400),
    },
    analytics: {
      rollupSeconds: integer(env, 'ANALYTICS_ROLLUP_SECONDS', 900, 0, 86_400),
      auditLagSeconds: integer(env, 'ANALYTICS_AUDIT_LAG_SECONDS', database.kind === 'postgres' ? 60 : 0, 0, 3_600),
      serviceLifeYears: integer(env, 'ANALYTICS_SERVICE_LIFE_YEARS', 5, 1, 20),
      downtimeCostPerHour: integer(env, 'ANALYTICS_DOWNTIME_COST_PER_HOUR', 20, 0, 100_000),
    },
    notifications: {
      smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
      smtpFrom: pattern(env, 'SMTP_FROM', 'Fleet <fleet@localhost>', /^[^\r\n@]{0,200}@[^\r\n@]{1,200}$/, 'one sender address, e.g. Fleet <fleet@bank.example>'),
      dispatchSeconds: integer(env, 'NOTIFY_DISPATCH_SECONDS', 5, 1, 3_600),
      maxAttempts: integer(env, 'NOTIFY_MAX_ATTEMPTS', 8, 1, 50),
      backoffSeconds: integer(env, 'NOTIFY_BACKOFF_SECONDS', 30, 1, 3_600),
    },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
