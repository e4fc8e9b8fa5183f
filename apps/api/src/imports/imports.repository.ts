import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { Tx } from '../database/transaction';
import { ImportJobEntity } from './import-job.entity';

@Injectable()
export class ImportsRepository {
  constructor(@InjectRepository(ImportJobEntity) private readonly jobs: Repository<ImportJobEntity>) {}

  findById(id: number): Promise<ImportJobEntity | null> {
    return this.jobs.findOneBy({ id });
  }

  insert(tx: Tx, job: Omit<ImportJobEntity, 'id'>): Promise<ImportJobEntity> {
    return tx.save(ImportJobEntity, tx.create(ImportJobEntity, job));
  }

  async update(tx: Tx, id: number, changes: Partial<Omit<ImportJobEntity, 'id'>>): Promise<void> {
    await tx.update(ImportJobEntity, { id }, changes);
  }

  /** Jobs left validating or applying by a stopped process; their work was rolled back. */
  async failInterrupted(tx: Tx, at: Date): Promise<number> {
    const result = await tx.update(ImportJobEntity, { status: In(['validating', 'applying']) }, { status: 'failed', failure: 'interrupted by a restart of the server; nothing was written, upload the file again', finishedAt: at });
    return result.affected ?? 0;
  }

  /** Moves a job from one status to another; false if it was not in `from` (someone else moved it). */
  async transition(tx: Tx, id: number, from: ImportJobEntity['status'], to: ImportJobEntity['status']): Promise<boolean> {
    const result = await tx.update(ImportJobEntity, { id, status: from }, { status: to });
    return result.affected === 1;
  }
}
