import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { IncidentEventKind, IncidentStage } from '@fleet/shared';
import { JsonColumn } from '../database/columns';

/** One step on a ticket's timeline; never updated or deleted. */
@Entity('incident_events')
export class IncidentEventEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  incidentId: number;

  @Column()
  at: Date;

  @Column({ type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 64 })
  actorName: string;

  @Column({ type: 'varchar', length: 24 })
  kind: IncidentEventKind;

  @Column({ type: 'varchar', length: 20, nullable: true })
  stageFrom: IncidentStage | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  stageTo: IncidentStage | null;

  @JsonColumn()
  details: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
