/**
 * Maintenance plans and their tasks (维护计划/巡检). A task is unique per plan,
 * terminal and due date, and a plan has at most one open task per terminal
 * (a partial unique index): whatever runs the generation twice, halfway or at
 * once on two instances, no task is doubled. `maintenance_progress` holds
 * what the tasks cannot tell: when a terminal came under a plan and its usage
 * counter at the last completion.
 */
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { columns, fk, kindOf } from './1732200000000-inventory';

export class Maintenance1733000000000 implements MigrationInterface {
  name = 'Maintenance1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(kindOf(queryRunner));
    const counter = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: true });

    await queryRunner.createTable(
      new Table({
        name: 'maintenance_plans',
        columns: [
          c.id,
          c.text('name', 120, false),
          c.text('kind', 24, false),
          c.longText('description'),
          c.longText('checklist', false),
          c.text('scope', 12, false),
          c.int('model_id', true),
          c.int('region_id', true),
          c.text('category', 16),
          c.longText('terminal_ids'),
          c.date('start_date', false),
          c.text('anchor', 16, false),
          c.int('interval_value', true),
          c.text('interval_unit', 8, false),
          c.text('usage_counter', 16),
          c.int('usage_every', true),
          c.int('lead_days', false, 14),
          c.bool('active', true),
          c.date('active_since', false),
          c.date('scope_since', false),
          ...c.versioned,
        ],
        foreignKeys: [fk('model_id', 'models', 'RESTRICT'), fk('region_id', 'regions', 'RESTRICT')],
        indices: [{ columnNames: ['active'] }, { columnNames: ['model_id'] }, { columnNames: ['region_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'maintenance_tasks',
        columns: [
          c.id,
          c.int('plan_id'),
          c.int('terminal_id'),
          c.date('due_date', false),
          c.text('due_reason', 8, false),
          c.text('status', 12, false),
          c.date('effective_due_date', false),
          c.date('postponed_to'),
          c.text('postpone_reason', 500),
          c.int('assignee_id', true),
          c.longText('results'),
          c.longText('note'),
          c.date('closed_on'),
          c.text('close_reason', 500),
          c.timestamp('completed_at', true),
          c.int('completed_by_id', true),
          c.text('completed_by_name', 64),
          ...c.versioned,
        ],
        foreignKeys: [
          fk('plan_id', 'maintenance_plans', 'CASCADE'),
          fk('terminal_id', 'terminals', 'CASCADE'),
          fk('assignee_id', 'users', 'SET NULL'),
          fk('completed_by_id', 'users', 'SET NULL'),
        ],
        indices: [
          { name: 'uq_maintenance_tasks_due', columnNames: ['plan_id', 'terminal_id', 'due_date'], isUnique: true },
          { name: 'uq_maintenance_tasks_open', columnNames: ['plan_id', 'terminal_id'], isUnique: true, where: "status = 'open'" },
          { name: 'idx_maintenance_tasks_status_due', columnNames: ['status', 'effective_due_date', 'id'] },
          { name: 'idx_maintenance_tasks_due', columnNames: ['effective_due_date', 'id'] },
          { name: 'idx_maintenance_tasks_terminal', columnNames: ['terminal_id'] },
          { name: 'idx_maintenance_tasks_assignee', columnNames: ['assignee_id', 'status'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'maintenance_progress',
        columns: [{ ...c.int('plan_id'), isPrimary: true }, { ...c.int('terminal_id'), isPrimary: true }, c.date('joined_on', false), counter('usage_at_last')],
        foreignKeys: [fk('plan_id', 'maintenance_plans', 'CASCADE'), fk('terminal_id', 'terminals', 'CASCADE')],
        indices: [{ name: 'idx_maintenance_progress_terminal', columnNames: ['terminal_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['maintenance_progress', 'maintenance_tasks', 'maintenance_plans']) await queryRunner.dropTable(table);
  }
}
