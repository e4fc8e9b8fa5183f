/**
 * Live health: device credentials, health policies, the persisted state of
 * every terminal, raw heartbeats (idempotent on terminal + sequence), hourly
 * and daily rollups, status changes, and the progress of scheduled jobs.
 * Instants on the hot path are epoch milliseconds (bigint): compact, and the
 * same arithmetic on both engines.
 */
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { columns, kindOf } from './1732200000000-inventory';

export class Heartbeats1732300000000 implements MigrationInterface {
  name = 'Heartbeats1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(kindOf(queryRunner));
    const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
    const small = (name: string): TableColumnOptions => ({ name, type: 'smallint', isNullable: true });
    const real = (name: string): TableColumnOptions => ({ name, type: 'real', isNullable: true });
    const nullableBool = (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: true });
    const terminalFk = { columnNames: ['terminal_id'], referencedTableName: 'terminals', referencedColumnNames: ['id'], onDelete: 'CASCADE' };
    // The fields of a heartbeat, shared by the raw rows and each terminal's latest values.
    const reported = (): TableColumnOptions[] => [
      small('battery_pct'),
      nullableBool('charging'),
      small('signal_dbm'),
      c.text('network', 8),
      c.text('printer', 10),
      real('temperature_c'),
      c.text('firmware_version', 32),
      c.text('app_version', 32),
      ms('last_transaction_at', true),
      ms('transaction_count', true),
      ms('print_count', true),
      c.text('error_codes', 400),
      real('lat'),
      real('lon'),
    ];

    await queryRunner.createTable(
      new Table({
        name: 'device_credentials',
        columns: [
          c.id,
          c.text('kind', 10, false),
          c.int('terminal_id', true),
          c.int('region_id', true),
          c.text('name', 120),
          { ...c.text('token_hash', 64, false), isUnique: true },
          c.text('hint', 8, false),
          c.timestamp('created_at'),
          c.text('created_by', 64, false),
          c.timestamp('revoked_at', true),
          c.text('revoked_by', 64),
        ],
        foreignKeys: [terminalFk, { columnNames: ['region_id'], referencedTableName: 'regions', referencedColumnNames: ['id'], onDelete: 'RESTRICT' }],
        indices: [new TableIndex({ columnNames: ['terminal_id'] }), new TableIndex({ columnNames: ['region_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'health_policies',
        columns: [
          c.id,
          ...c.versioned,
          { ...c.int('model_id', true), isUnique: true },
          { ...c.int('terminal_id', true), isUnique: true },
          c.int('offline_after_seconds', true),
          c.int('battery_low_pct', true),
          c.int('signal_weak_dbm', true),
          c.int('temperature_high_c', true),
          c.int('error_repeat_count', true),
          c.text('target_firmware_version', 32),
          c.text('target_app_version', 32),
        ],
        foreignKeys: [terminalFk, { columnNames: ['model_id'], referencedTableName: 'models', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'terminal_health',
        columns: [
          { ...c.int('terminal_id'), isPrimary: true },
          c.text('state', 10, false),
          c.int('reasons', false, 0),
          ms('since'),
          ms('last_seen_at'),
          ms('last_sent_at'),
          ms('last_sequence'),
          c.int('error_streak', false, 0),
          ...reported(),
        ],
        foreignKeys: [terminalFk],
        indices: [new TableIndex({ columnNames: ['state'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'heartbeats',
        // One B-tree for the rows and the key on SQLite, not two.
        withoutRowid: true,
        columns: [
          { ...c.int('terminal_id'), isPrimary: true },
          { ...ms('sequence'), isPrimary: true },
          ms('sent_at'),
          ms('received_at'),
          ...reported(),
          c.int('up_ms', false, 0),
          c.int('error_count', false, 0),
          c.int('transactions', false, 0),
          c.int('prints', false, 0),
        ],
        indices: [new TableIndex({ columnNames: ['received_at'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'heartbeat_rollups',
        withoutRowid: true,
        columns: [
          { ...c.int('terminal_id'), isPrimary: true },
          { ...c.text('granularity', 4, false), isPrimary: true },
          { ...ms('bucket_start'), isPrimary: true },
          c.int('samples'),
          ms('up_ms'),
          small('battery_min'),
          real('battery_avg'),
          small('signal_min'),
          real('signal_avg'),
          real('temperature_max'),
          c.int('error_count'),
          c.int('transactions'),
          c.int('prints'),
        ],
        indices: [new TableIndex({ columnNames: ['granularity', 'bucket_start'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'status_changes',
        columns: [
          c.id,
          c.int('terminal_id'),
          c.text('from_state', 10, false),
          c.text('to_state', 10, false),
          c.int('reasons', false, 0),
          ms('at'),
          c.bool('monitored', true),
        ],
        foreignKeys: [terminalFk],
        indices: [new TableIndex({ columnNames: ['terminal_id', 'at'] }), new TableIndex({ columnNames: ['at'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'job_state',
        columns: [{ ...c.text('name', 64, false), isPrimary: true }, c.text('value', 200, false), c.timestamp('updated_at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['job_state', 'status_changes', 'heartbeat_rollups', 'heartbeats', 'terminal_health', 'health_policies', 'device_credentials']) {
      await queryRunner.dropTable(table);
    }
  }
}
