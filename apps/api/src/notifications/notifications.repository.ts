import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { DeliveryStatus, NotificationChannel } from '@fleet/shared';
import type { Tx } from '../database/transaction';
import { NotificationDeliveryEntity } from './notification-delivery.entity';

export type NewDelivery = Omit<NotificationDeliveryEntity, 'id'>;
export type DeliveryOutcome = Pick<NotificationDeliveryEntity, 'status' | 'attempts'> & Partial<Pick<NotificationDeliveryEntity, 'nextAttemptAt' | 'lastError' | 'sentAt'>>;

/** The outbox of deliveries. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectRepository(NotificationDeliveryEntity) private readonly deliveries: Repository<NotificationDeliveryEntity>) {}

  /** One insert per row: the engines disagree on returning the ids of a multi-row insert, and a caller queues a handful at a time. */
  async insert(tx: Tx, rows: NewDelivery[]): Promise<number[]> {
    const ids: number[] = [];
    for (const row of rows) {
      const result = await tx.insert(NotificationDeliveryEntity, row);
      ids.push(Number((result.identifiers[0] as { id: number }).id));
    }
    return ids;
  }

  /** Deliveries to try now, longest waiting first (the (status, next_attempt_at) index). */
  due(now: Date, limit: number): Promise<NotificationDeliveryEntity[]> {
    return this.deliveries
      .createQueryBuilder('d')
      .where('d.status IN (:...statuses)', { statuses: ['pending', 'failed'] satisfies DeliveryStatus[] })
      .andWhere('d.next_attempt_at <= :now', { now })
      .orderBy('d.next_attempt_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  find(id: number): Promise<NotificationDeliveryEntity | null> {
    return this.deliveries.findOneBy({ id });
  }

  async record(tx: Tx, id: number, outcome: DeliveryOutcome): Promise<void> {
    await tx.update(NotificationDeliveryEntity, { id }, outcome);
  }

  listForTarget(channel: NotificationChannel, target: string, status: DeliveryStatus | undefined, offset: number, limit: number): Promise<[NotificationDeliveryEntity[], number]> {
    return this.deliveries.findAndCount({ where: { channel, target, ...(status ? { status } : {}) }, order: { id: 'DESC' }, skip: offset, take: limit });
  }

  async deleteForTarget(tx: Tx, channel: NotificationChannel, target: string): Promise<void> {
    await tx.delete(NotificationDeliveryEntity, { channel, target });
  }
}
