/**
 * The read-only queries behind the common-faults table and the service-level
 * report. Grouping, ranking and paging of the table happen in SQL; durations,
 * medians and service-level clocks are computed by the caller from the rows
 * returned, because time arithmetic is not written the same way on SQLite and
 * PostgreSQL.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import type { IncidentSymptom } from '@fleet/shared';
import { inRegionSubtree } from '../database/ranges';
import { IncidentEntity } from './incident.entity';
import { FIX_RESOLUTIONS, fixOf, type CommonFaultKey, type CommonFaultTicket, type ServiceLevelTicket } from './incident-statistics';

export interface CommonFaultFilter {
  symptom?: IncidentSymptom;
  modelId?: number;
  /** The primary error code or any of the ticket's codes, case-insensitive. */
  errorCode?: string;
  /** Part of a closing note of the group, case-insensitive. */
  q?: string;
  scopePath?: string;
}

export interface ServiceLevelFilter {
  from: Date;
  to: Date;
  /** Only tickets with a repair vendor. */
  withVendor: boolean;
  scopePath?: string;
}

/** How a ticket was fixed, as a column: the same rule as fixOf. */
const FIX = "(CASE WHEN i.resolution = 'fixed_on_first_response' THEN 'first_response' ELSE i.decision END)";
const FIRST_TIME_FIX = '(CASE WHEN i.reopen_count = 0 AND i.test_attempts <= 1 THEN 1 ELSE 0 END)';
/** Firmware tells faults apart unless the fault was diagnosed as hardware (a cracked screen is the same fault on every version). */
const FIRMWARE_KEY = "(CASE WHEN i.fault_type = 'hardware' THEN NULL ELSE i.firmware_version END)";
/** The nullable key columns, by CommonFaultKey field. */
const NULLABLE_KEY_COLUMNS = { errorCode: 'i.primary_error_code', firmwareVersion: FIRMWARE_KEY, faultType: 'i.fault_type', cause: 'i.cause' } as const;

/** A LIKE pattern matching `text` anywhere, its wildcards escaped (used with ESCAPE '\'). */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class IncidentInsightsRepository {
  constructor(@InjectRepository(IncidentEntity) private readonly incidents: Repository<IncidentEntity>) {}

  /** The groups of the common-faults table in rank order: most tickets, then best first-time-fix rate, then most recently closed. */
  async commonFaultGroups(filter: CommonFaultFilter, offset: number, limit: number): Promise<CommonFaultKey[]> {
    const rows = await this.grouped(filter)
      .orderBy('COUNT(*)', 'DESC')
      .addOrderBy(`SUM(${FIRST_TIME_FIX}) * 1.0 / COUNT(*)`, 'DESC')
      .addOrderBy('MAX(i.closed_at)', 'DESC')
      .addOrderBy('MAX(i.id)', 'DESC')
      .offset(offset)
      .limit(limit)
      .getRawMany<Record<keyof CommonFaultKey, string | number | null>>();
    return rows.map((row) => ({
      symptom: row.symptom as IncidentSymptom,
      modelId: Number(row.modelId),
      errorCode: row.errorCode as CommonFaultKey['errorCode'],
      firmwareVersion: row.firmwareVersion as CommonFaultKey['firmwareVersion'],
      faultType: row.faultType as CommonFaultKey['faultType'],
      cause: row.cause as CommonFaultKey['cause'],
      fix: row.fix as CommonFaultKey['fix'],
    }));
  }

  async countCommonFaultGroups(filter: CommonFaultFilter): Promise<number> {
    const grouped = this.grouped(filter);
    const row = await this.incidents.manager
      .createQueryBuilder()
      .select('COUNT(*)', 'n')
      .from(`(${grouped.getQuery()})`, 'g')
      .setParameters(grouped.getParameters())
      .getRawOne<{ n: string | number }>();
    return Number(row?.n ?? 0);
  }

  /** The tickets of the given groups (under the same filter, the note search aside: it picks groups, not tickets). */
  async commonFaultTickets(filter: CommonFaultFilter, keys: readonly CommonFaultKey[]): Promise<CommonFaultTicket[]> {
    if (keys.length === 0) return [];
    const params: Record<string, unknown> = {};
    const groups = keys.map((key, n) => {
      const conditions = [`i.symptom = :symptom${n}`, `i.model_id = :model${n}`];
      params[`symptom${n}`] = key.symptom;
      params[`model${n}`] = key.modelId;
      for (const [field, column] of Object.entries(NULLABLE_KEY_COLUMNS) as [keyof typeof NULLABLE_KEY_COLUMNS, string][]) {
        if (key[field] === null) conditions.push(`${column} IS NULL`);
        else {
          conditions.push(`${column} = :${field}${n}`);
          params[`${field}${n}`] = key[field];
        }
      }
      if (key.fix === 'first_response') conditions.push("i.resolution = 'fixed_on_first_response'");
      else {
        conditions.push("i.resolution <> 'fixed_on_first_response'", `i.decision = :fix${n}`);
        params[`fix${n}`] = key.fix;
      }
      return `(${conditions.join(' AND ')})`;
    });
    const rows = await this.fixed({ ...filter, q: undefined })
      .select(['i.id', 'i.symptom', 'i.modelId', 'i.primaryErrorCode', 'i.firmwareVersion', 'i.faultType', 'i.cause', 'i.resolution', 'i.decision'])
      .addSelect(['i.reportedAt', 'i.resolvedAt', 'i.closedAt', 'i.reopenCount', 'i.testAttempts', 'i.resolutionNote'])
      .leftJoin('i.model', 'model')
      .addSelect(['model.id', 'model.name'])
      .andWhere(`(${groups.join(' OR ')})`, params)
      .getMany();
    return rows.map((row) => ({
      id: row.id,
      symptom: row.symptom,
      modelId: row.modelId,
      modelName: row.model?.name ?? '',
      errorCode: row.primaryErrorCode,
      firmwareVersion: row.faultType === 'hardware' ? null : row.firmwareVersion,
      faultType: row.faultType,
      cause: row.cause,
      fix: fixOf(row.resolution, row.decision)!,
      reportedAt: row.reportedAt,
      resolvedAt: row.resolvedAt,
      closedAt: row.closedAt!,
      reopenCount: row.reopenCount,
      testAttempts: row.testAttempts,
      resolutionNote: row.resolutionNote,
    }));
  }

  /** Tickets reported in [from, to), in id order, a chunk at a time. */
  async *serviceLevelTickets(filter: ServiceLevelFilter, chunk = 5000): AsyncGenerator<ServiceLevelTicket[]> {
    let after = 0;
    for (;;) {
      const qb = this.incidents
        .createQueryBuilder('i')
        .select(['i.id', 'i.priority', 'i.stage', 'i.resolution', 'i.reportedAt', 'i.respondedAt', 'i.restoredAt', 'i.resolvedAt', 'i.closedAt'])
        .addSelect(['i.reopenCount', 'i.testAttempts', 'i.rating', 'i.assigneeId', 'i.repairVendor', 'i.regionId'])
        .leftJoin('i.assignee', 'assignee')
        .addSelect(['assignee.id', 'assignee.username', 'assignee.displayName'])
        .leftJoin('i.region', 'region')
        .addSelect(['region.id', 'region.name'])
        .where('i.reported_at >= :from AND i.reported_at < :to', { from: filter.from, to: filter.to })
        .andWhere('i.id > :after', { after });
      if (filter.withVendor) qb.andWhere('i.repair_vendor IS NOT NULL');
      withinScope(qb, filter.scopePath);
      const rows = await qb.orderBy('i.id', 'ASC').limit(chunk).getMany();
      if (rows.length === 0) return;
      yield rows.map((row) => ({
        priority: row.priority,
        stage: row.stage,
        resolution: row.resolution,
        reportedAt: row.reportedAt,
        respondedAt: row.respondedAt,
        restoredAt: row.restoredAt,
        resolvedAt: row.resolvedAt,
        closedAt: row.closedAt,
        reopenCount: row.reopenCount,
        testAttempts: row.testAttempts,
        rating: row.rating,
        assigneeId: row.assigneeId,
        assigneeName: row.assignee ? row.assignee.displayName || row.assignee.username : null,
        repairVendor: row.repairVendor,
        regionId: row.regionId,
        regionName: row.region?.name ?? '',
      }));
      if (rows.length < chunk) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Closed tickets that followed a fix, filtered by the ticket-level conditions. */
  private fixed(filter: CommonFaultFilter): SelectQueryBuilder<IncidentEntity> {
    const qb = this.incidents
      .createQueryBuilder('i')
      .where("i.stage = 'closed' AND i.resolution IN (:...fixResolutions)", { fixResolutions: FIX_RESOLUTIONS })
      .andWhere("(i.resolution = 'fixed_on_first_response' OR i.decision IS NOT NULL)");
    if (filter.symptom) qb.andWhere('i.symptom = :symptom', { symptom: filter.symptom });
    if (filter.modelId) qb.andWhere('i.model_id = :modelId', { modelId: filter.modelId });
    if (filter.errorCode) {
      // error_codes is a JSON array in a text column: a quoted code inside it is that code.
      const code = filter.errorCode.toUpperCase();
      qb.andWhere("(UPPER(i.primary_error_code) = :errorCode OR UPPER(i.error_codes) LIKE :errorCodeLike ESCAPE '\\')", { errorCode: code, errorCodeLike: containing(`"${code}"`) });
    }
    withinScope(qb, filter.scopePath);
    return qb;
  }

  private grouped(filter: CommonFaultFilter): SelectQueryBuilder<IncidentEntity> {
    const qb = this.fixed(filter)
      .select('i.symptom', 'symptom')
      .addSelect('i.model_id', 'modelId')
      .addSelect('i.primary_error_code', 'errorCode')
      .addSelect(FIRMWARE_KEY, 'firmwareVersion')
      .addSelect('i.fault_type', 'faultType')
      .addSelect('i.cause', 'cause')
      .addSelect(FIX, 'fix')
      .groupBy('i.symptom')
      .addGroupBy('i.model_id')
      .addGroupBy('i.primary_error_code')
      .addGroupBy(FIRMWARE_KEY)
      .addGroupBy('i.fault_type')
      .addGroupBy('i.cause')
      .addGroupBy(FIX);
    if (filter.q?.trim()) {
      qb.having(`SUM(CASE WHEN LOWER(i.resolution_note) LIKE :note ESCAPE '\\' THEN 1 ELSE 0 END) > 0`, { note: containing(filter.q.trim().toLowerCase()) });
    }
    return qb;
  }
}

/** Tickets of regions under the user's scope (the region and its sub-regions, by path). */
function withinScope(qb: SelectQueryBuilder<IncidentEntity>, scopePath: string | undefined): void {
  if (scopePath) {
    inRegionSubtree(qb, 'i.region_id', 'scope', scopePath);
  }
}
