import { Column, Entity } from 'typeorm';
import { VersionedEntity } from '../database/columns';

/** Health thresholds of a model, or one terminal's override; a null field inherits. */
@Entity('health_policies')
export class HealthPolicyEntity extends VersionedEntity {
  @Column({ type: 'integer', nullable: true, unique: true })
  modelId: number | null;

  @Column({ type: 'integer', nullable: true, unique: true })
  terminalId: number | null;

  @Column({ type: 'integer', nullable: true })
  offlineAfterSeconds: number | null;

  @Column({ type: 'integer', nullable: true })
  batteryLowPct: number | null;

  @Column({ type: 'integer', nullable: true })
  signalWeakDbm: number | null;

  @Column({ type: 'integer', nullable: true })
  temperatureHighC: number | null;

  @Column({ type: 'integer', nullable: true })
  errorRepeatCount: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  targetFirmwareVersion: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  targetAppVersion: string | null;
}
