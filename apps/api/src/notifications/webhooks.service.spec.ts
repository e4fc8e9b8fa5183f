import type { AlertRuleKind, AlertSeverity } from '@fleet/shared';
import type { AuditedWriter } from '../audit/audited-writer';
import { FixedClock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import type { TransactionRunner } from '../database/transaction';
import type { RegionEntity } from '../regions/region.entity';
import type { RegionsService } from '../regions/regions.service';
import type { NotificationsService } from './notifications.service';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity';
import type { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** An enabled endpoint with the given filters. */
function newEndpoint(id: number, filters: Partial<Pick<WebhookEndpointEntity, 'kinds' | 'regionIds' | 'minSeverity'>> = {}) {
  return { id, enabled: true, kinds: [], regionIds: [], minSeverity: 'info', ...filters } as unknown as WebhookEndpointEntity;
}

// Province 1 with branch 7 under it; province 9 apart.
const REGIONS = new Map([
  [1, { id: 1, path: '/1/' }],
  [7, { id: 7, path: '/1/7/' }],
  [9, { id: 9, path: '/9/' }],
]);

function service(endpoints: WebhookEndpointEntity[]) {
  const repository = { listEnabled: async () => endpoints } as unknown as WebhooksRepository;
  const regions = {
    getRegion: async (id: number) => {
      const region = REGIONS.get(id);
      if (!region) throw new DomainException('REGION_NOT_FOUND', `No region ${id}`);
      return region as RegionEntity;
    },
  } as unknown as RegionsService;
  return new WebhooksService(repository, {} as NotificationsService, regions, {} as AuditedWriter, {} as TransactionRunner, new FixedClock(new Date('2026-11-22T08:00:00Z')));
}

describe(WebhooksService.name, () => {
  const endpoints = [
    newEndpoint(1),
    newEndpoint(2, { kinds: ['terminal_offline', 'recurring_error'], minSeverity: 'warning' }),
    newEndpoint(3, { regionIds: [1] }),
    newEndpoint(4, { regionIds: [7], minSeverity: 'critical' }),
    newEndpoint(5, { regionIds: [9], kinds: ['battery_low'] }),
  ];

  it.each<[AlertRuleKind, number | null, AlertSeverity, number[]]>([
    ['terminal_offline', 7, 'critical', [1, 2, 3, 4]],
    ['terminal_offline', 7, 'info', [1, 3]],
    ['terminal_offline', 1, 'critical', [1, 2, 3]],
    ['battery_low', 9, 'warning', [1, 5]],
    ['paper_out', 9, 'critical', [1]],
    ['spare_pool_low', null, 'critical', [1]],
    ['terminal_offline', 404, 'critical', [1, 2]],
  ])('should route %s in region %p at %s to endpoints %j', async (kind, regionId, severity, ids) => {
    expect((await service(endpoints).matching(kind, regionId, severity)).map((e) => e.id)).toEqual(ids);
  });
});
