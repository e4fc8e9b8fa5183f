/**
 * Fault tickets: the ticket with one column per recorded step (the analytics
 * group by them), its timeline of events, its cost lines with their claims,
 * and its photos (the files live outside the web root; this holds their
 * metadata). `open_terminal_id` equals `terminal_id` while the ticket is open
 * and is null once closed: a unique index on it keeps one open ticket per
 * terminal, even when two alarms race.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columns, fk, kindOf } from './1732200000000-inventory';

export class Incidents1732600000000 implements MigrationInterface {
  name = 'Incidents1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(kindOf(queryRunner));
    const json = (name: string) => c.longText(name);

    await queryRunner.createTable(
      new Table({
        name: 'incidents',
        columns: [
          c.id,
          c.int('terminal_id'),
          { ...c.int('open_terminal_id', true), isUnique: true },
          c.int('region_id'),
          c.int('model_id'),
          c.int('supplier_id'),
          c.int('merchant_id', true),
          c.text('firmware_version', 64),
          c.text('stage', 20, false),
          c.text('priority', 10, false),
          c.text('source', 10, false),
          c.text('alarm', 20),
          c.int('reporter_id', true),
          c.text('reporter_name', 64, false),
          c.int('assignee_id', true),
          c.text('symptom', 24, false),
          json('error_codes'),
          c.text('primary_error_code', 32),
          c.longText('description', false),
          c.text('place', 255),
          c.text('circumstances', 16),
          c.text('circumstances_note', 1000),
          c.timestamp('occurred_at'),
          c.timestamp('reported_at'),
          json('first_response'),
          c.timestamp('responded_at', true),
          c.text('fault_type', 16),
          c.text('cause', 20),
          c.text('diagnosis_mode', 10),
          c.text('responsibility', 10),
          c.text('responsible_person', 120),
          c.longText('diagnosis_note'),
          c.timestamp('diagnosed_at', true),
          c.text('diagnosed_by', 64),
          c.text('decision', 20),
          c.money('repair_quote'),
          c.money('replacement_price'),
          c.text('repair_vendor', 120),
          c.text('carrier', 64),
          c.text('tracking_number', 64),
          c.timestamp('shipped_at', true),
          c.timestamp('returned_at', true),
          c.text('new_serial_number', 64),
          c.int('replacement_terminal_id', true),
          c.int('spare_terminal_id', true),
          c.timestamp('spare_lent_at', true),
          c.date('spare_due_back'),
          c.text('spare_outcome', 8),
          c.timestamp('spare_settled_at', true),
          json('backup'),
          json('data_restore'),
          json('test_result'),
          c.int('test_attempts', false, 0),
          c.timestamp('restored_at', true),
          c.timestamp('resolved_at', true),
          c.text('resolution', 24),
          c.longText('resolution_note'),
          c.timestamp('closed_at', true),
          c.int('reopen_count', false, 0),
          c.int('rating', true),
          c.text('rating_comment', 1000),
          ...c.versioned,
        ],
        foreignKeys: [
          fk('terminal_id', 'terminals'),
          fk('region_id', 'regions'),
          fk('model_id', 'models'),
          fk('supplier_id', 'suppliers'),
          fk('merchant_id', 'merchants', 'SET NULL'),
          fk('reporter_id', 'users', 'SET NULL'),
          fk('assignee_id', 'users', 'SET NULL'),
          fk('spare_terminal_id', 'terminals'),
          fk('replacement_terminal_id', 'terminals'),
        ],
        indices: [
          { columnNames: ['stage', 'region_id'] },
          { columnNames: ['terminal_id'] },
          { columnNames: ['model_id', 'closed_at'] },
          { columnNames: ['assignee_id'] },
          { columnNames: ['reported_at'] },
          { columnNames: ['spare_terminal_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'incident_events',
        columns: [
          c.id,
          c.int('incident_id'),
          c.timestamp('at'),
          c.int('actor_id', true),
          c.text('actor_name', 64, false),
          c.text('kind', 24, false),
          c.text('stage_from', 20),
          c.text('stage_to', 20),
          json('details'),
          c.longText('note'),
        ],
        foreignKeys: [fk('incident_id', 'incidents', 'CASCADE')],
        indices: [{ columnNames: ['incident_id', 'id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'incident_costs',
        columns: [
          c.id,
          c.int('incident_id'),
          c.text('kind', 16, false),
          c.text('description', 255),
          { ...c.money('amount'), isNullable: false },
          c.text('currency', 3, false),
          c.text('payer', 10, false),
          c.text('claim_reference', 64),
          c.text('claim_status', 10),
          c.money('claimed_amount'),
          c.money('approved_amount'),
          c.money('paid_amount'),
          ...c.versioned,
        ],
        foreignKeys: [fk('incident_id', 'incidents', 'CASCADE')],
        indices: [{ columnNames: ['incident_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'incident_photos',
        columns: [
          c.id,
          c.int('incident_id'),
          { ...c.text('stored_name', 64, false), isUnique: true },
          c.text('original_name', 255, false),
          c.text('content_type', 32, false),
          c.int('size'),
          c.int('width'),
          c.int('height'),
          c.int('uploaded_by_id', true),
          c.text('uploaded_by_name', 64, false),
          c.timestamp('uploaded_at'),
        ],
        foreignKeys: [fk('incident_id', 'incidents', 'CASCADE'), fk('uploaded_by_id', 'users', 'SET NULL')],
        indices: [{ columnNames: ['incident_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['incident_photos', 'incident_costs', 'incident_events', 'incidents']) await queryRunner.dropTable(table);
  }
}
