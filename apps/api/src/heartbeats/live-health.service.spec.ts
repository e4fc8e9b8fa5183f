import { Logger } from '@nestjs/common';
import { DEFAULT_HEALTH_POLICY, type HeartbeatRequest } from '@fleet/shared';
import { FixedClock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import type { Tx } from '../database/transaction';
import type { HealthRow, HeartbeatRow, StatusChangeRow } from './heartbeat-rows';
import { LiveHealthService } from './live-health.service';

Logger.overrideLogger(false);

const T0 = new Date('2026-11-22T08:00:00Z');
const tx = {} as Tx;
const everywhere = { kind: 'system' } as const;
const field = (i: number) => `heartbeats.${i}.`;

interface Written {
  heartbeats: HeartbeatRow[];
  health: HealthRow[];
  changes: StatusChangeRow[];
  offline: number[];
}

function setup(options: { queueLimit?: number; persisted?: HealthRow[] } = {}) {
  const clock = new FixedClock(T0);
  const written: Written = { heartbeats: [], health: [], changes: [], offline: [] };
  const stored = new Set<string>();
  let gate: Promise<void> = Promise.resolve();
  let failNext = false;
  const repository = {
    async appendHeartbeats(_tx: Tx, rows: HeartbeatRow[]) {
      await gate;
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      return rows.map((row) => {
        const key = `${row.terminalId}:${row.sequence}`;
        if (stored.has(key)) return false;
        stored.add(key);
        written.heartbeats.push(row);
        return true;
      });
    },
    async upsertHealth(_tx: Tx, rows: HealthRow[]) {
      written.health.push(...rows);
    },
    async updateHealthState(_tx: Tx, rows: { terminalId: number }[]) {
      written.offline.push(...rows.map((row) => row.terminalId));
    },
    async insertStatusChanges(_tx: Tx, rows: StatusChangeRow[]) {
      written.changes.push(...rows);
    },
    async *streamHealth() {
      yield options.persisted ?? [];
    },
  };
  const transactions = { run: (work: (t: Tx) => Promise<unknown>) => work(tx) };
  const policies = {
    load: jest.fn(),
    policyFor: () => ({ ...DEFAULT_HEALTH_POLICY, offlineAfterSeconds: 300 }),
    timeoutSeconds: () => 300,
  };
  const terminals = {
    async *streamAttributes() {
      yield [
        { id: 1, regionId: 10, modelId: 1, supplierId: 1, status: 'deployed' },
        { id: 2, regionId: 10, modelId: 1, supplierId: 1, status: 'deployed' },
        { id: 3, regionId: 20, modelId: 1, supplierId: 1, status: 'in_stock' },
      ];
    },
  };
  const events = { emit: jest.fn() };
  const config = { heartbeats: { queueLimit: options.queueLimit ?? 50_000, flushMaxRows: 5_000, sweepSeconds: 5, ingest: true } } as AppConfig;
  const service = new LiveHealthService(repository as never, transactions as never, policies as never, terminals as never, events as never, clock, config);
  return {
    service,
    clock,
    written,
    events,
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
    failNext: () => (failNext = true),
  };
}

const beat = (terminalId: number, sequence: number, extra: Partial<HeartbeatRequest> = {}): HeartbeatRequest => ({ terminalId, sequence, sentAt: T0.toISOString(), batteryPct: 80, ...extra });

describe(LiveHealthService.name, () => {
  it('acknowledges only after the write, with duplicates counted once', async () => {
    const { service, written } = setup();
    await service.onApplicationBootstrap();
    const ack = await service.submit(everywhere, [beat(1, 1), beat(1, 1), beat(2, 1)], field);
    expect(ack).toEqual({ accepted: 2, duplicates: 1 });
    expect(written.heartbeats).toHaveLength(2);
    expect(service.state.counts()).toEqual({ unknown: 0, online: 2, degraded: 0, offline: 0 });
    expect(written.changes.map((c) => `${c.terminalId}:${c.from}>${c.to}`)).toEqual(['1:unknown>online', '2:unknown>online']);
    await service.onApplicationShutdown();
  });

  it('refuses with 503 and Retry-After when the queue is full, and takes heartbeats again once it drains', async () => {
    const { service, hold } = setup({ queueLimit: 1_000 });
    await service.onApplicationBootstrap();
    const release = hold();
    const first = service.submit(everywhere, Array.from({ length: 1_000 }, (_, i) => beat(1, i + 1)), field);
    await expect(service.submit(everywhere, [beat(2, 1)], field)).rejects.toMatchObject({ code: 'INGEST_OVERLOADED', details: { retryAfterSeconds: expect.any(Number) } });
    release();
    await expect(first).resolves.toEqual({ accepted: 1_000, duplicates: 0 });
    await expect(service.submit(everywhere, [beat(2, 1)], field)).resolves.toEqual({ accepted: 1, duplicates: 0 });
    await service.onApplicationShutdown();
  });

  it('leaves the live state untouched and refuses the request when the write fails', async () => {
    const { service, failNext } = setup();
    await service.onApplicationBootstrap();
    failNext();
    await expect(service.submit(everywhere, [beat(1, 1)], field)).rejects.toMatchObject({ code: 'INGEST_UNAVAILABLE' });
    expect(service.state.snapshot(1).state).toBe('unknown');
    await expect(service.submit(everywhere, [beat(1, 1)], field)).resolves.toEqual({ accepted: 1, duplicates: 0 });
    await service.onApplicationShutdown();
  });

  it('refuses a terminal credential reporting for another terminal, and a gateway outside its region', async () => {
    const { service, written } = setup();
    await service.onApplicationBootstrap();
    expect(() => service.submit({ kind: 'terminal', credentialId: 1, terminalId: 1 }, [beat(1, 1), beat(2, 1)], field)).toThrow(expect.objectContaining({ code: 'DEVICE_NOT_ALLOWED' }));
    const gateway = { kind: 'gateway', credentialId: 2, regionId: 10, regionIds: new Set([10]) } as const;
    expect(() => service.submit(gateway, [beat(1, 1), beat(3, 1)], field)).toThrow(expect.objectContaining({ code: 'DEVICE_NOT_ALLOWED' }));
    expect(() => service.submit(gateway, [beat(99, 1)], field)).toThrow(expect.objectContaining({ code: 'TERMINAL_NOT_FOUND' }));
    expect(written.heartbeats).toHaveLength(0);
    await service.onApplicationShutdown();
  });

  it('sweeps a silent terminal offline at its deadline, stores the change and publishes one event', async () => {
    const { service, clock, written, events } = setup();
    await service.onApplicationBootstrap();
    await service.submit(everywhere, [beat(1, 1), beat(2, 1)], field);
    clock.set(new Date(T0.getTime() + 200_000));
    await service.submit(everywhere, [beat(2, 2)], field);
    clock.set(new Date(T0.getTime() + 300_000));
    await service.submit(everywhere, [beat(2, 3)], field);
    expect(written.offline).toEqual([1]);
    expect(written.changes.at(-1)).toMatchObject({ terminalId: 1, from: 'online', to: 'offline', at: T0.getTime() + 300_000, monitored: true });
    expect(service.state.counts()).toEqual({ unknown: 0, online: 1, degraded: 0, offline: 1 });
    expect(events.emit).toHaveBeenLastCalledWith('health.changed', { changes: [expect.objectContaining({ terminalId: 1, to: 'offline', regionId: 10, reasons: [] })] });
    await service.onApplicationShutdown();
  });

  it('rebuilds from persisted health after a restart without marking the fleet offline', async () => {
    const lastSeen = T0.getTime() - 3_600_000;
    const persisted = [1, 2].map(
      (terminalId) => ({ terminalId, state: terminalId === 1 ? 'online' : 'offline', reasons: 0, since: lastSeen, lastSeenAt: lastSeen, lastSentAt: lastSeen, lastSequence: 9, errorStreak: 0 }) as HealthRow,
    );
    const { service, clock, written } = setup({ persisted });
    await service.onApplicationBootstrap();
    expect(service.state.counts()).toEqual({ unknown: 0, online: 1, degraded: 0, offline: 1 });
    expect(service.state.offlineAt(1)).toBe(T0.getTime() + 300_000);
    clock.set(new Date(T0.getTime() + 299_000));
    await service.submit(everywhere, [beat(1, 9)], field);
    expect(written.offline).toEqual([]);
    expect(written.heartbeats[0]).toMatchObject({ sequence: 9, upMs: 0 });
    expect(service.state.snapshot(1).lastSequence).toBe(9);
    await service.onApplicationShutdown();
  });
});
