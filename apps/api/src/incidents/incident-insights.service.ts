/**
 * What closed tickets teach: the common-faults table (常见故障处理汇总表),
 * the known fixes suggested on a new ticket, and the service levels by
 * technician, repair vendor or region. Read-only, within the user's region scope.
 */
import { Injectable } from '@nestjs/common';
import type { CommonFaultResponse, Page, ServiceLevelRow } from '@fleet/shared';
import { pageOf } from '../common/api-dtos';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { requestScope } from '../common/request-scope';
import { IncidentInsightsRepository, type CommonFaultFilter } from './incident-insights.repository';
import { commonFaultKey, serviceLevelGroupOf, ServiceLevelTally, summariseCommonFault, type CommonFaultKey, type CommonFaultTicket } from './incident-statistics';
import type { CommonFaultsQueryDto, ExportCommonFaultsQueryDto, ServiceLevelQueryDto } from './incidents.dto';
import { IncidentsService } from './incidents.service';

/** Known fixes shown beside a ticket. */
export const SUGGESTIONS = 5;
/** Groups per query while exporting the whole table. */
const EXPORT_BATCH = 200;
/** The service-level window when none is given. */
const DEFAULT_WINDOW_DAYS = 90;
const DAY = 86_400_000;

@Injectable()
export class IncidentInsightsService {
  constructor(
    private readonly repository: IncidentInsightsRepository,
    private readonly incidents: IncidentsService,
    private readonly clock: Clock,
  ) {}

  async commonFaults(query: CommonFaultsQueryDto): Promise<Page<CommonFaultResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const filter = this.toFilter(query);
    const [keys, total] = await Promise.all([this.repository.commonFaultGroups(filter, offset, pageSize), this.repository.countCommonFaultGroups(filter)]);
    return { items: await this.rowsOf(filter, keys), total, page, pageSize };
  }

  /** The whole table in rank order, a batch of rows at a time, for the CSV export. */
  async *exportCommonFaults(query: ExportCommonFaultsQueryDto): AsyncGenerator<CommonFaultResponse[]> {
    const filter = this.toFilter(query);
    for (let offset = 0; ; offset += EXPORT_BATCH) {
      const keys = await this.repository.commonFaultGroups(filter, offset, EXPORT_BATCH);
      if (keys.length > 0) yield await this.rowsOf(filter, keys);
      if (keys.length < EXPORT_BATCH) return;
    }
  }

  /**
   * Known fixes for a ticket: its symptom on its model with its primary error
   * code; when none is known, its symptom on its model; then its symptom on
   * any model. The first of these that knows a fix answers.
   */
  async suggestions(id: number): Promise<CommonFaultResponse[]> {
    const incident = await this.incidents.getIncident(id);
    const scopePath = requestScope()?.path;
    const tiers: CommonFaultFilter[] = [
      ...(incident.primaryErrorCode ? [{ symptom: incident.symptom, modelId: incident.modelId, errorCode: incident.primaryErrorCode, scopePath }] : []),
      { symptom: incident.symptom, modelId: incident.modelId, scopePath },
      { symptom: incident.symptom, scopePath },
    ];
    for (const filter of tiers) {
      const keys = await this.repository.commonFaultGroups(filter, 0, SUGGESTIONS);
      if (keys.length > 0) return this.rowsOf(filter, keys);
    }
    return [];
  }

  async serviceLevels(query: ServiceLevelQueryDto): Promise<ServiceLevelRow[]> {
    const now = this.clock.now();
    const to = query.to ? new Date(`${query.to}T00:00:00Z`) : now;
    const from = query.from ? new Date(`${query.from}T00:00:00Z`) : new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY);
    if (from.getTime() >= to.getTime()) throw DomainException.invalidField('from', 'notBeforeTo', 'from must be before to');
    const tallies = new Map<string, ServiceLevelTally>();
    for await (const tickets of this.repository.serviceLevelTickets({ from, to, withVendor: query.groupBy === 'vendor', scopePath: requestScope()?.path })) {
      for (const ticket of tickets) {
        const group = serviceLevelGroupOf(query.groupBy, ticket);
        if (!group) continue;
        let tally = tallies.get(group.key);
        if (!tally) tallies.set(group.key, (tally = new ServiceLevelTally(group.key, group.label)));
        tally.add(ticket, now);
      }
    }
    return [...tallies.values()].map((tally) => tally.toRow()).sort((a, b) => b.tickets - a.tickets || a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
  }

  /** The rows of the given groups, in the groups' order, from their tickets. */
  private async rowsOf(filter: CommonFaultFilter, keys: CommonFaultKey[]): Promise<CommonFaultResponse[]> {
    const byGroup = new Map<string, CommonFaultTicket[]>(keys.map((key) => [commonFaultKey(key), []]));
    for (const ticket of await this.repository.commonFaultTickets(filter, keys)) byGroup.get(commonFaultKey(ticket))?.push(ticket);
    // A group whose tickets were reopened between the two queries has none left: it is dropped.
    return [...byGroup.values()].filter((tickets) => tickets.length > 0).map(summariseCommonFault);
  }

  private toFilter(query: ExportCommonFaultsQueryDto): CommonFaultFilter {
    return { symptom: query.symptom, modelId: query.modelId, errorCode: query.errorCode, q: query.q, scopePath: requestScope()?.path };
  }
}
