import { FixedClock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import type { CommonFaultFilter } from './incident-insights.repository';
import { IncidentInsightsService, SUGGESTIONS } from './incident-insights.service';
import type { CommonFaultKey, CommonFaultTicket, ServiceLevelTicket } from './incident-statistics';
import type { IncidentEntity } from './incident.entity';

const clock = new FixedClock(new Date('2026-11-22T08:00:00Z'));

function newKey(overrides: Partial<CommonFaultKey> = {}): CommonFaultKey {
  return { symptom: 'card_reader', modelId: 7, errorCode: 'E203', firmwareVersion: null, faultType: null, cause: null, fix: 'first_response', ...overrides };
}

function newFaultTicket(key: CommonFaultKey, id: number): CommonFaultTicket {
  const at = new Date(clock.now().getTime() - id * 3_600_000);
  return { ...key, id, modelName: 'P2000', reportedAt: at, resolvedAt: at, closedAt: at, reopenCount: 0, testAttempts: 0, resolutionNote: `note ${id}` };
}

function newLevelTicket(overrides: Partial<ServiceLevelTicket> = {}): ServiceLevelTicket {
  return {
    priority: 'normal',
    stage: 'reported',
    resolution: null,
    reportedAt: clock.now(),
    respondedAt: null,
    restoredAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    testAttempts: 0,
    rating: null,
    assigneeId: null,
    assigneeName: null,
    repairVendor: null,
    regionId: 3,
    regionName: 'Hangzhou',
    ...overrides,
  };
}

function setup(options: { incident?: Partial<IncidentEntity>; groups?: (filter: CommonFaultFilter) => CommonFaultKey[]; levels?: ServiceLevelTicket[][] } = {}) {
  const repository = {
    commonFaultGroups: jest.fn(async (filter: CommonFaultFilter, _offset: number, _limit: number) => options.groups?.(filter) ?? []),
    countCommonFaultGroups: jest.fn().mockResolvedValue(0),
    commonFaultTickets: jest.fn(async (_filter: CommonFaultFilter, keys: CommonFaultKey[]) => keys.map((key, n) => newFaultTicket(key, n + 1))),
    serviceLevelTickets: jest.fn(async function* () {
      yield* options.levels ?? [];
    }),
  };
  const incidents = { getIncident: jest.fn().mockResolvedValue({ id: 12, symptom: 'card_reader', modelId: 7, primaryErrorCode: 'E203', ...options.incident }) };
  return { service: new IncidentInsightsService(repository as never, incidents as never, clock), repository, incidents };
}

describe(IncidentInsightsService.name, () => {
  describe('suggestions', () => {
    it('should answer with the fixes known for the symptom, model and error code when there are some', async () => {
      const { service, repository, incidents } = setup({ groups: () => [newKey(), newKey({ fix: 'on_site_repair' })] });
      const fixes = await service.suggestions(12);
      expect(incidents.getIncident).toHaveBeenCalledWith(12);
      expect(fixes.map((fix) => fix.fix)).toEqual(['first_response', 'on_site_repair']);
      expect(repository.commonFaultGroups).toHaveBeenCalledTimes(1);
      expect(repository.commonFaultGroups).toHaveBeenCalledWith({ symptom: 'card_reader', modelId: 7, errorCode: 'E203', scopePath: undefined }, 0, SUGGESTIONS);
    });

    it('should fall back to the symptom on the model, then on any model', async () => {
      const anyModel = newKey({ modelId: 9, errorCode: null });
      const { service, repository } = setup({ groups: (filter) => (filter.modelId === undefined ? [anyModel] : []) });
      const fixes = await service.suggestions(12);
      expect(fixes.map((fix) => fix.model.id)).toEqual([9]);
      expect(repository.commonFaultGroups.mock.calls.map(([filter]) => [filter.modelId, filter.errorCode])).toEqual([
        [7, 'E203'],
        [7, undefined],
        [undefined, undefined],
      ]);
    });

    it('should not ask by error code for a ticket without one, and answer nothing when nothing is known', async () => {
      const { service, repository } = setup({ incident: { primaryErrorCode: null } });
      expect(await service.suggestions(12)).toEqual([]);
      expect(repository.commonFaultGroups).toHaveBeenCalledTimes(2);
    });

    it('should let a ticket outside the scope stay not found', async () => {
      const { service, incidents, repository } = setup();
      incidents.getIncident.mockRejectedValue(new DomainException('INCIDENT_NOT_FOUND', 'No fault ticket 12'));
      await expect(service.suggestions(12)).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
      expect(repository.commonFaultGroups).not.toHaveBeenCalled();
    });
  });

  describe('serviceLevels', () => {
    it('should read the last 90 days from the clock by default, and [from, to) from midnight UTC when given', async () => {
      const { service, repository } = setup();
      await service.serviceLevels({ groupBy: 'region' });
      expect(repository.serviceLevelTickets).toHaveBeenLastCalledWith({ from: new Date('2026-08-24T08:00:00Z'), to: clock.now(), withVendor: false, scopePath: undefined });
      await service.serviceLevels({ groupBy: 'vendor', from: '2026-01-01', to: '2026-02-01' });
      expect(repository.serviceLevelTickets).toHaveBeenLastCalledWith({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z'), withVendor: true, scopePath: undefined });
      await service.serviceLevels({ groupBy: 'technician', to: '2026-02-01' });
      expect(repository.serviceLevelTickets).toHaveBeenLastCalledWith(expect.objectContaining({ from: new Date('2025-11-03T00:00:00Z') }));
    });

    it('should refuse a window that ends before it starts, naming from', async () => {
      const { service } = setup();
      await expect(service.serviceLevels({ groupBy: 'region', from: '2026-02-01', to: '2026-02-01' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [expect.objectContaining({ field: 'from' })] },
      });
    });

    it('should tally each group across chunks, leave out tickets without a group, and put the busiest first', async () => {
      const { service } = setup({
        levels: [
          [newLevelTicket({ repairVendor: 'FixIt' }), newLevelTicket({ repairVendor: 'Maker' }), newLevelTicket()],
          [newLevelTicket({ repairVendor: 'Maker' })],
        ],
      });
      const rows = await service.serviceLevels({ groupBy: 'vendor' });
      expect(rows.map((row) => [row.key, row.tickets])).toEqual([
        ['Maker', 2],
        ['FixIt', 1],
      ]);
    });
  });

  describe('commonFaults', () => {
    it('should answer the page of groups in their rank order with the total', async () => {
      const keys = [newKey({ symptom: 'printer' }), newKey()];
      const { service, repository } = setup({ groups: () => keys });
      repository.countCommonFaultGroups.mockResolvedValue(12);
      const page = await service.commonFaults({ page: 2, pageSize: 2, q: 'chip' });
      expect(repository.commonFaultGroups).toHaveBeenCalledWith(expect.objectContaining({ q: 'chip' }), 2, 2);
      expect(page).toMatchObject({ total: 12, page: 2, pageSize: 2 });
      expect(page.items.map((row) => row.symptom)).toEqual(['printer', 'card_reader']);
    });

    it('should export every batch of groups until one comes back short', async () => {
      const batch = (size: number) => Array.from({ length: size }, (_, n) => newKey({ modelId: n + 1 }));
      const { service, repository } = setup();
      repository.commonFaultGroups.mockResolvedValueOnce(batch(200)).mockResolvedValueOnce(batch(3));
      const batches: number[] = [];
      for await (const rows of service.exportCommonFaults({})) batches.push(rows.length);
      expect(batches).toEqual([200, 3]);
      expect(repository.commonFaultGroups.mock.calls.map((call) => call[1])).toEqual([0, 200]);
    });
  });
});
