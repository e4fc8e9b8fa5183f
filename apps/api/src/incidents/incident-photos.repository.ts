/** Photo queries: the only place that builds SQL for the photos of fault tickets. */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Tx } from '../database/transaction';
import { IncidentPhotoEntity } from './incident-photo.entity';
import { IncidentEntity } from './incident.entity';

@Injectable()
export class IncidentPhotosRepository {
  constructor(@InjectRepository(IncidentPhotoEntity) private readonly photos: Repository<IncidentPhotoEntity>) {}

  listByIncident(incidentId: number): Promise<IncidentPhotoEntity[]> {
    return this.photos.find({ where: { incidentId }, order: { id: 'ASC' } });
  }

  findInIncident(incidentId: number, id: number): Promise<IncidentPhotoEntity | null> {
    return this.photos.findOneBy({ id, incidentId });
  }

  /** In `tx` for the count an insert depends on. */
  countByIncident(incidentId: number, tx?: Tx): Promise<number> {
    return (tx ?? this.photos.manager).countBy(IncidentPhotoEntity, { incidentId });
  }

  /**
   * Holds the ticket's row until `tx` ends, so that two uploads to one ticket
   * count its photos one after the other. SQLite needs no lock: the
   * TransactionRunner runs its transactions one at a time.
   */
  async lockIncident(tx: Tx, incidentId: number): Promise<void> {
    if (tx.connection.options.type !== 'postgres') return;
    await tx.createQueryBuilder(IncidentEntity, 'i').select('i.id').where('i.id = :incidentId', { incidentId }).setLock('pessimistic_write').getRawOne();
  }

  insert(tx: Tx, photo: Omit<IncidentPhotoEntity, 'id'>): Promise<IncidentPhotoEntity> {
    return tx.save(IncidentPhotoEntity, tx.create(IncidentPhotoEntity, photo));
  }

  async delete(tx: Tx, id: number): Promise<void> {
    await tx.delete(IncidentPhotoEntity, { id });
  }
}
