import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ImportRowError, ImportStatus } from '@fleet/shared';

/** A CSV import: the file, its validation report, and what applying it did. */
@Entity('import_jobs')
export class ImportJobEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: 'varchar', length: 16 })
  status: ImportStatus;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'integer', default: 0 }) totalRows: number;
  @Column({ type: 'integer', default: 0 }) processedRows: number;
  @Column({ type: 'integer', default: 0 }) validRows: number;
  @Column({ type: 'integer', default: 0 }) errorRows: number;
  @Column({ type: 'integer', default: 0 }) toCreate: number;
  @Column({ type: 'integer', default: 0 }) toUpdate: number;
  @Column({ type: 'integer', default: 0 }) created: number;
  @Column({ type: 'integer', default: 0 }) updated: number;

  @Column({ type: 'simple-json' })
  errors: ImportRowError[];

  @Column({ type: 'text', nullable: true })
  failure: string | null;

  @Column({ type: 'integer' })
  createdById: number;

  @Column({ type: 'varchar', length: 64 })
  createdBy: string;

  @Column()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  finishedAt: Date | null;
}
