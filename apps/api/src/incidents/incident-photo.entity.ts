import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A photo taken as evidence (拍照留证); the file itself is in DATA_DIR, outside the web root. */
@Entity('incident_photos')
export class IncidentPhotoEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  incidentId: number;

  /** Random file name on disk (never the uploaded name). */
  @Column({ type: 'varchar', length: 64, unique: true })
  storedName: string;

  @Column({ type: 'varchar', length: 255 })
  originalName: string;

  @Column({ type: 'varchar', length: 32 })
  contentType: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'integer' })
  width: number;

  @Column({ type: 'integer' })
  height: number;

  @Column({ type: 'integer', nullable: true })
  uploadedById: number | null;

  @Column({ type: 'varchar', length: 64 })
  uploadedByName: string;

  @Column()
  uploadedAt: Date;
}
