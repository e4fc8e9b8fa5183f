import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeliveryStatus, NotificationChannel } from '@fleet/shared';

/** One message in the outbox: an email to an address or an event for a webhook endpoint, with its attempts. */
@Entity('notification_deliveries')
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 8 })
  channel: NotificationChannel;

  /** The email address, or the webhook endpoint's id. */
  @Column({ type: 'varchar', length: 320 })
  target: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  event: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  subject: string | null;

  /** The email's text, or the webhook's payload as JSON. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 8 })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column()
  nextAttemptAt: Date;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  lastError: string | null;

  @Column()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;
}
