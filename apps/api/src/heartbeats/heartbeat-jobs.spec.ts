/**
 * The history jobs against a real database: SQLite in memory always, and
 * PostgreSQL too when TEST_DATABASE_URL is set (npm test sets it when the
 * local server answers). Heartbeats are appended as the ingest path does,
 * the jobs run at chosen instants, and the rollups and retention are read back.
 */
import { Logger } from '@nestjs/common';
import { FixedClock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { TEST_ENGINES } from '../database/test-databases.testing';
import { TransactionRunner } from '../database/transaction';
import type { HeartbeatRow } from './heartbeat-rows';
import { HeartbeatJobs } from './heartbeat-jobs';
import { HeartbeatsRepository } from './heartbeats.repository';
import type { LiveHealthService } from './live-health.service';
import type { HealthCounts } from '@fleet/shared';

Logger.overrideLogger(false);

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 10, 1);

function row(terminalId: number, sequence: number, receivedAt: number, fields: Partial<HeartbeatRow> = {}): HeartbeatRow {
  return {
    terminalId,
    sequence,
    sentAt: receivedAt,
    receivedAt,
    batteryPct: 50,
    charging: false,
    signalDbm: -80,
    network: '4g',
    printer: 'ok',
    temperatureC: 30,
    firmwareVersion: '1.0',
    appVersion: '1.0',
    lastTransactionAt: null,
    transactionCount: 0,
    printCount: 0,
    errorCodes: null,
    lat: null,
    lon: null,
    upMs: 60_000,
    errorCount: 0,
    transactions: 2,
    prints: 1,
    ...fields,
  };
}

describe.each(TEST_ENGINES)('heartbeat history on %s', (_engine, open) => {
  let db: Awaited<ReturnType<typeof open>>;
  let repository: HeartbeatsRepository;
  let transactions: TransactionRunner;
  let clock: FixedClock;
  let jobs: HeartbeatJobs;
  const live = { isReady: true, counts: { unknown: 1, online: 6, degraded: 2, offline: 1 } as HealthCounts };

  beforeAll(async () => {
    db = await open();
    repository = new HeartbeatsRepository(db.dataSource);
    transactions = new TransactionRunner(db.dataSource);
    clock = new FixedClock(new Date(DAY0));
    jobs = new HeartbeatJobs(repository, { get isReady() { return live.isReady; }, state: { counts: () => ({ ...live.counts }) } } as unknown as LiveHealthService, transactions, clock, { heartbeats: { rawRetentionDays: 7, hourlyRetentionDays: 30 } } as AppConfig);
    // Two terminals over 26 hours: terminal 1 every minute, terminal 2 every minute of the first hour only.
    const rows: HeartbeatRow[] = [];
    for (let minute = 0; minute < 26 * 60; minute++) rows.push(row(1, minute + 1, DAY0 + minute * 60_000, { batteryPct: 100 - (minute % 60), errorCount: minute % 10 === 0 ? 1 : 0 }));
    for (let minute = 0; minute < 60; minute++) rows.push(row(2, minute + 1, DAY0 + minute * 60_000, { signalDbm: -100, network: 'wifi', upMs: 30_000 }));
    await transactions.run(async (tx) => {
      const inserted = await repository.appendHeartbeats(tx, rows);
      expect(inserted.every(Boolean)).toBe(true);
      expect((await repository.appendHeartbeats(tx, rows.slice(0, 3))).some(Boolean)).toBe(false);
    });
  });

  afterAll(() => db?.drop());

  it('rolls completed hours only, per terminal, and resumes where it stopped', async () => {
    clock.set(new Date(DAY0 + 2 * HOUR + 5 * 60_000));
    expect(await jobs.rollUpHours()).toBe(2);
    expect(await jobs.rollUpHours()).toBe(0);
    const [first, second] = await repository.rollupSeries(1, 'hour', DAY0, DAY0 + 30 * HOUR);
    expect(first).toMatchObject({ bucketStart: DAY0, samples: 60, upMs: 3_600_000, batteryMin: 41, batteryAvg: 70.5, errorCount: 6, transactions: 120, prints: 60 });
    expect(second?.bucketStart).toBe(DAY0 + HOUR);
    const other = await repository.rollupSeries(2, 'hour', DAY0, DAY0 + 30 * HOUR);
    expect(other).toEqual([expect.objectContaining({ samples: 60, upMs: 1_800_000, signalMin: -100, signalAvg: -100 })]);
  });

  it('rolls a day once all its hours are rolled, weighting averages by samples', async () => {
    expect(await jobs.rollUpDays()).toBe(0);
    clock.set(new Date(DAY0 + 26 * HOUR + 60_000));
    expect(await jobs.rollUpHours()).toBe(24);
    expect(await jobs.rollUpDays()).toBe(1);
    const [day] = await repository.rollupSeries(1, 'day', DAY0, DAY0 + 2 * 24 * HOUR);
    expect(day).toMatchObject({ bucketStart: DAY0, samples: 1440, upMs: 24 * 3_600_000, batteryMin: 41, errorCount: 144, transactions: 2880 });
    expect(day!.batteryAvg).toBeCloseTo(70.5, 5);
  });

  it('replaces a period rolled again instead of doubling it', async () => {
    await transactions.run((tx) => repository.rollUpHour(tx, DAY0, DAY0 + HOUR));
    const [first] = await repository.rollupSeries(1, 'hour', DAY0, DAY0 + HOUR);
    expect(first!.samples).toBe(60);
  });

  it('deletes raw heartbeats past the window once rolled up, and old hourly rollups', async () => {
    clock.set(new Date(DAY0 + 8 * 24 * HOUR + 30 * 60_000));
    expect(await jobs.rollUpHours()).toBe(24);
    const deleted = await jobs.expire();
    expect(deleted).toBeGreaterThan(0);
    const oldest = await repository.oldestHeartbeat();
    expect(oldest === null || oldest >= DAY0 + 24 * HOUR).toBe(true);
    expect((await repository.rollupSeries(1, 'hour', DAY0, DAY0 + HOUR))).toHaveLength(1);
    clock.set(new Date(DAY0 + 40 * 24 * HOUR));
    await jobs.expire();
    expect(await repository.rollupSeries(1, 'hour', DAY0, DAY0 + 30 * HOUR)).toEqual([]);
    expect(await repository.rollupSeries(1, 'day', DAY0, DAY0 + 2 * 24 * HOUR)).toHaveLength(1);
  });

  it('samples the fleet once per five-minute slot, averages samples per bucket and keeps 35 days', async () => {
    const at = DAY0 + 50 * 24 * HOUR;
    clock.set(new Date(at + 60_000));
    live.isReady = false;
    expect(await jobs.sampleFleet()).toBe(false);
    live.isReady = true;
    expect(await jobs.sampleFleet()).toBe(true);
    live.counts = { unknown: 1, online: 4, degraded: 2, offline: 3 };
    clock.set(new Date(at + 4 * 60_000));
    expect(await jobs.sampleFleet()).toBe(false);
    clock.set(new Date(at + 6 * 60_000));
    expect(await jobs.sampleFleet()).toBe(true);
    // Another instance sampling the same slot changes nothing.
    await transactions.run((tx) => repository.insertFleetSample(tx, at + 5 * 60_000, { unknown: 0, online: 0, degraded: 0, offline: 0 }));
    const samples = await repository.fleetSamples(at, at + HOUR, 5 * 60_000);
    expect(samples).toEqual([
      { at, counts: { unknown: 1, online: 6, degraded: 2, offline: 1 } },
      { at: at + 5 * 60_000, counts: { unknown: 1, online: 4, degraded: 2, offline: 3 } },
    ]);
    expect(await repository.fleetSamples(at, at + HOUR, HOUR)).toEqual([{ at, counts: { unknown: 1, online: 5, degraded: 2, offline: 2 } }]);
    expect(await repository.fleetAvailability(at, at + HOUR)).toEqual({ reporting: 14, monitored: 20, first: at });
    clock.set(new Date(at + 36 * 24 * HOUR));
    expect(await jobs.sampleFleet()).toBe(true);
    expect(await repository.fleetSamples(at, at + HOUR, 5 * 60_000)).toEqual([]);
  });
});
