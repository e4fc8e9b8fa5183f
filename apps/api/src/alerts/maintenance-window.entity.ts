import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { RegionEntity } from '../regions/region.entity';
import { TerminalEntity } from '../terminals/terminal.entity';

/** A span of time during which a region's or a terminal's alerts are not raised (planned work, a known outage). */
@Entity('maintenance_windows')
export class MaintenanceWindowEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', nullable: true })
  regionId: number | null;

  @ManyToOne(() => RegionEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'region_id' })
  region?: RegionEntity | null;

  @Column({ type: 'integer', nullable: true })
  terminalId: number | null;

  @ManyToOne(() => TerminalEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'terminal_id' })
  terminal?: TerminalEntity | null;

  @Column()
  startsAt: Date;

  @Column()
  endsAt: Date;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 64 })
  createdBy: string;

  @Column()
  createdAt: Date;
}
