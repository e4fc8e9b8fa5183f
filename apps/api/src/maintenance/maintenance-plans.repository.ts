/** Maintenance plan queries. Plans are few (tens to hundreds) and human-made, so lists are read whole. */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import type { MaintenanceKind } from '@fleet/shared';
import { MaintenancePlanEntity } from './maintenance-plan.entity';

@Injectable()
export class MaintenancePlansRepository {
  constructor(@InjectRepository(MaintenancePlanEntity) private readonly plans: Repository<MaintenancePlanEntity>) {}

  findById(id: number): Promise<MaintenancePlanEntity | null> {
    return this.withReferences(this.plans.createQueryBuilder('p')).where('p.id = :id', { id }).getOne();
  }

  list(filter: { active?: boolean; kind?: MaintenanceKind }): Promise<MaintenancePlanEntity[]> {
    const qb = this.withReferences(this.plans.createQueryBuilder('p'));
    if (filter.active !== undefined) qb.andWhere('p.active = :active', { active: filter.active });
    if (filter.kind) qb.andWhere('p.kind = :kind', { kind: filter.kind });
    return qb.orderBy('p.name', 'ASC').addOrderBy('p.id', 'ASC').getMany();
  }

  private withReferences(qb: SelectQueryBuilder<MaintenancePlanEntity>): SelectQueryBuilder<MaintenancePlanEntity> {
    return qb.leftJoinAndSelect('p.model', 'model').leftJoinAndSelect('p.region', 'region');
  }
}
