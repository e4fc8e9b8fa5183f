/**
 * Notifications: the webhook endpoints (with their signing secrets and alert
 * filters) and the outbox of deliveries. A delivery is written in the same
 * transaction as what caused it and sent later by the dispatcher, which finds
 * the due ones through (status, next_attempt_at).
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columns, kindOf } from './1732200000000-inventory';

export class Notifications1732800000000 implements MigrationInterface {
  name = 'Notifications1732800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(kindOf(queryRunner));
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          c.id,
          { ...c.text('name', 120, false), isUnique: true },
          c.text('url', 2000, false),
          c.bool('enabled', true),
          c.text('secret', 64, false),
          c.timestamp('secret_issued_at'),
          // JSON arrays; empty means every kind, every region.
          c.longText('kinds', false),
          c.longText('region_ids', false),
          c.text('min_severity', 16, false),
          ...c.versioned,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_deliveries',
        columns: [
          c.id,
          c.text('channel', 8, false),
          // An email address, or a webhook endpoint's id.
          c.text('target', 320, false),
          c.text('event', 64),
          c.text('subject', 255),
          // The email's text, or the webhook's payload as JSON.
          c.longText('body', false),
          c.text('status', 8, false),
          c.int('attempts', false, 0),
          c.timestamp('next_attempt_at'),
          c.text('last_error', 1000),
          c.timestamp('created_at'),
          c.timestamp('sent_at', true),
        ],
        indices: [{ columnNames: ['status', 'next_attempt_at'] }, { columnNames: ['channel', 'target'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_deliveries');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
