/**
 * The proactive swap list (预防性更换, issue 7's alarm-based early warning).
 * `early_warnings` holds the terminals the last run listed, one row each with
 * its score and evidence (JSON); a run replaces the whole table in one
 * transaction, so readers see one run or the next, never half of each. It is
 * small (the listed units only), so the list pages in milliseconds whatever
 * the fleet's size. `early_warning_runs` records each run: when, and what it
 * learnt from (the report's basis).
 */
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { columns, fk, kindOf } from './1732200000000-inventory';

export class EarlyWarnings1733200000000 implements MigrationInterface {
  name = 'EarlyWarnings1733200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const kind = kindOf(queryRunner);
    const c = columns(kind);
    const double = (name: string): TableColumnOptions => ({ name, type: kind === 'postgres' ? 'double precision' : 'real', isNullable: false });

    await queryRunner.createTable(
      new Table({
        name: 'early_warnings',
        columns: [{ ...c.int('terminal_id'), isPrimary: true }, double('score'), c.longText('evidence', false), c.timestamp('computed_at')],
        foreignKeys: [fk('terminal_id', 'terminals', 'CASCADE')],
        indices: [{ name: 'idx_early_warnings_score', columnNames: ['score'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'early_warning_runs',
        columns: [
          c.id,
          c.timestamp('computed_at'),
          c.int('failed_units'),
          c.int('healthy_units'),
          c.int('recent_days'),
          c.int('baseline_days'),
          c.int('listed'),
          c.int('duration_ms'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['early_warning_runs', 'early_warnings']) await queryRunner.dropTable(table);
  }
}
