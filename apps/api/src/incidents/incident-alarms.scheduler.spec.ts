import type { IncidentAlarm, IncidentSymptom } from '@fleet/shared';
import { FixedClock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import type { JobLocks } from '../database/job-locks';
import type { HealthReadService } from '../heartbeats/health-read.service';
import type { LiveHealthService } from '../heartbeats/live-health.service';
import type { TerminalEntity } from '../terminals/terminal.entity';
import type { TerminalsService } from '../terminals/terminals.service';
import { IncidentAlarmsScheduler } from './incident-alarms.scheduler';
import type { IncidentsService } from './incidents.service';

const NOW = new Date('2026-11-22T08:00:00Z');
const HOUR = 3_600_000;

/** Terminals 1..n, offline for `hoursOffline[id]` hours; the longStanding answer is computed from that, oldest first. */
function setup(hoursOffline: Record<number, number>, options: { open?: number[]; notDeployed?: number[]; max?: number } = {}) {
  const opened: { terminalId: number; alarm: IncidentAlarm; symptom: IncidentSymptom }[] = [];
  const live = {
    isReady: true,
    ingests: true,
    longStanding: (state: string, beforeMs: number) =>
      state !== 'offline'
        ? []
        : Object.entries(hoursOffline)
            .filter(([, hours]) => NOW.getTime() - hours * HOUR < beforeMs)
            .sort(([, a], [, b]) => b - a)
            .map(([id]) => Number(id)),
  } as unknown as LiveHealthService;
  const terminals = {
    getTerminal: async (id: number) => ({ id, status: options.notDeployed?.includes(id) ? 'spare' : 'deployed' }) as TerminalEntity,
  } as unknown as TerminalsService;
  const incidents = {
    terminalsWithOpenTickets: async (ids: number[]) => new Set(ids.filter((id) => options.open?.includes(id))),
    openFromAlarm: async (_actor: unknown, terminal: TerminalEntity, alarm: IncidentAlarm, symptom: IncidentSymptom) => {
      opened.push({ terminalId: terminal.id, alarm, symptom });
      return {};
    },
  } as unknown as IncidentsService;
  const config = { incidents: { autoOfflineSeconds: 24 * 3600, autoErrorSeconds: 0, autoCheckSeconds: 300, autoMaxPerCheck: options.max ?? 200 } } as AppConfig;
  const locks = { runExclusive: async (_name: string, _ttl: number, work: () => Promise<void>) => (await work(), true) } as unknown as JobLocks;
  const scheduler = new IncidentAlarmsScheduler(live, {} as HealthReadService, terminals, incidents, new FixedClock(NOW), locks, config);
  return { scheduler, opened };
}

describe(IncidentAlarmsScheduler.name, () => {
  it('should open a ticket for each deployed terminal offline longer than the threshold', async () => {
    const { scheduler, opened } = setup({ 1: 30, 2: 23, 3: 25, 4: 48 }, { notDeployed: [4] });
    expect(await scheduler.check()).toBe(2);
    expect(opened).toEqual([
      { terminalId: 1, alarm: 'offline', symptom: 'network' },
      { terminalId: 3, alarm: 'offline', symptom: 'network' },
    ]);
  });

  it('should skip terminals that already have an open ticket', async () => {
    const { scheduler, opened } = setup({ 1: 30, 2: 30 }, { open: [1] });
    expect(await scheduler.check()).toBe(1);
    expect(opened.map((o) => o.terminalId)).toEqual([2]);
  });

  it('should open at most the cap per check, oldest outage first, leaving the rest for the next check', async () => {
    const { scheduler, opened } = setup({ 1: 30, 2: 90, 3: 60, 4: 40 }, { max: 2 });
    expect(await scheduler.check()).toBe(2);
    expect(opened.map((o) => o.terminalId)).toEqual([2, 3]);
  });
});
