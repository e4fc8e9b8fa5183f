/**
 * Firmware and app versions of deployed terminals, as the terminal records
 * hold them: counts grouped by model and version pair (versions in use are
 * few, so the comparison with the targets is done on the groups), and the
 * terminals of one model holding given versions, a page at a time.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository, type SelectQueryBuilder } from 'typeorm';
import { inRegionSubtree } from '../database/ranges';
import { TerminalEntity } from '../terminals/terminal.entity';

export interface VersionGroup {
  modelId: number;
  firmwareVersion: string | null;
  appVersion: string | null;
  count: number;
}

/** Versions not on target: listed values, and whether a missing value counts. */
export interface VersionSelection {
  firmware: { values: string[]; missing: boolean };
  app: { values: string[]; missing: boolean };
}

@Injectable()
export class MaintenanceComplianceRepository {
  constructor(@InjectRepository(TerminalEntity) private readonly terminals: Repository<TerminalEntity>) {}

  async versionGroups(filter: { modelId?: number; scopePath?: string }): Promise<VersionGroup[]> {
    const rows = await this.deployed(filter)
      .select('t.model_id', 'modelId')
      .addSelect('t.firmware_version', 'firmwareVersion')
      .addSelect('t.app_version', 'appVersion')
      .addSelect('COUNT(*)', 'count')
      .groupBy('t.model_id')
      .addGroupBy('t.firmware_version')
      .addGroupBy('t.app_version')
      .getRawMany<{ modelId: number | string; firmwareVersion: string | null; appVersion: string | null; count: number | string }>();
    return rows.map((row) => ({ modelId: Number(row.modelId), firmwareVersion: row.firmwareVersion, appVersion: row.appVersion, count: Number(row.count) }));
  }

  /** Deployed terminals of the model holding a selected version, by asset number. */
  async withVersions(modelId: number, scopePath: string | undefined, selection: VersionSelection, offset: number, limit: number): Promise<[TerminalEntity[], number]> {
    const qb = this.deployed({ modelId, scopePath }).andWhere(
      new Brackets((any) => {
        const clause = (column: string, name: string, { values, missing }: { values: string[]; missing: boolean }) => {
          if (values.length) any.orWhere(`${column} IN (:...${name})`, { [name]: values });
          if (missing) any.orWhere(`${column} IS NULL`);
        };
        clause('t.firmware_version', 'firmwareValues', selection.firmware);
        clause('t.app_version', 'appValues', selection.app);
        any.orWhere('1 = 0');
      }),
    );
    return qb.leftJoinAndSelect('t.region', 'region').orderBy('t.asset_number', 'ASC').skip(offset).take(limit).getManyAndCount();
  }

  private deployed(filter: { modelId?: number; scopePath?: string }): SelectQueryBuilder<TerminalEntity> {
    const qb = this.terminals.createQueryBuilder('t').where("t.status = 'deployed'");
    if (filter.modelId) qb.andWhere('t.model_id = :modelId', { modelId: filter.modelId });
    if (filter.scopePath) {
      inRegionSubtree(qb, 't.region_id', 'scope', filter.scopePath);
    }
    return qb;
  }
}
