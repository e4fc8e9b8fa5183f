import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertChannel, AlertRuleKind, AlertSeverity } from '@fleet/shared';
import { JsonColumn } from '../database/columns';

/** Which alerts reach one user by one channel, and for which regions. */
@Entity('alert_subscriptions')
export class AlertSubscriptionEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  userId: number;

  @Column({ type: 'varchar', length: 12 })
  channel: AlertChannel;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'varchar', length: 254, nullable: true })
  address: string | null;

  @JsonColumn()
  kinds: AlertRuleKind[];

  @JsonColumn()
  regionIds: number[];

  @Column({ type: 'varchar', length: 10 })
  minSeverity: AlertSeverity;

  @Column()
  updatedAt: Date;
}
