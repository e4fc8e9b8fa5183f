/**
 * Alerts: the rules (with their defaults), the alerts themselves, each user's
 * subscriptions by channel, and maintenance windows that suppress alerts.
 * `open_key` is the rule, subject and variant while the alert is not
 * resolved, null after: a unique index on it keeps one live alert per rule
 * and subject even when two evaluations race.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columns, fk, kindOf } from './1732200000000-inventory';

export class Alerts1732900000000 implements MigrationInterface {
  name = 'Alerts1732900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(kindOf(queryRunner));

    await queryRunner.createTable(
      new Table({
        name: 'alert_rules',
        columns: [
          c.id,
          c.text('kind', 24, false),
          { ...c.text('name', 120, false), isUnique: true },
          c.text('severity', 10, false),
          c.bool('enabled', true),
          c.longText('params', false),
          c.int('repeat_minutes', true),
          c.int('escalate_after_minutes', true),
          c.text('escalate_to_role', 20),
          c.bool('suppress_with_open_ticket', true),
          ...c.versioned,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'alerts',
        columns: [
          c.id,
          c.int('rule_id'),
          { ...c.text('open_key', 120), isUnique: true },
          c.text('severity', 10, false),
          c.text('state', 14, false),
          c.text('subject_type', 20, false),
          c.int('subject_id'),
          c.text('subject_label', 120, false),
          c.text('variant', 16, false),
          c.int('region_id', true),
          c.timestamp('since'),
          c.timestamp('raised_at'),
          c.timestamp('acknowledged_at', true),
          c.text('acknowledged_by', 64),
          c.int('assignee_id', true),
          c.timestamp('escalated_at', true),
          c.timestamp('last_notified_at', true),
          c.int('notify_count', false, 0),
          c.timestamp('resolved_at', true),
          c.text('resolved_by', 64),
          c.longText('details'),
          c.longText('note'),
          ...c.versioned,
        ],
        foreignKeys: [fk('rule_id', 'alert_rules', 'CASCADE'), fk('region_id', 'regions', 'SET NULL'), fk('assignee_id', 'users', 'SET NULL')],
        indices: [
          { columnNames: ['rule_id', 'state'] },
          { columnNames: ['state', 'region_id'] },
          { columnNames: ['subject_type', 'subject_id'] },
          { columnNames: ['raised_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'alert_subscriptions',
        columns: [
          c.id,
          c.int('user_id'),
          c.text('channel', 12, false),
          c.bool('enabled', true),
          c.text('address', 254),
          c.longText('kinds', false),
          c.longText('region_ids', false),
          c.text('min_severity', 10, false),
          c.timestamp('updated_at'),
        ],
        foreignKeys: [fk('user_id', 'users', 'CASCADE')],
        uniques: [{ columnNames: ['user_id', 'channel'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'maintenance_windows',
        columns: [c.id, c.int('region_id', true), c.int('terminal_id', true), c.timestamp('starts_at'), c.timestamp('ends_at'), c.text('reason', 500, false), c.text('created_by', 64, false), c.timestamp('created_at')],
        foreignKeys: [fk('region_id', 'regions', 'CASCADE'), fk('terminal_id', 'terminals', 'CASCADE')],
        indices: [{ columnNames: ['ends_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['maintenance_windows', 'alert_subscriptions', 'alerts', 'alert_rules']) await queryRunner.dropTable(table);
  }
}
