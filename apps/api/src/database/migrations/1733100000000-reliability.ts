/**
 * The rollups behind the reliability analytics (issue 7).
 *
 * - `terminal_service_spans`: the lifecycle history reduced to what exposure
 *   needs, one row per stretch of time a terminal was in service (deployed)
 *   in one region on one firmware; `ended_ms` is null while it lasts. Kept
 *   up to date from the audit log by the rollup job, so no write path of the
 *   terminals has to know about it.
 * - `reliability_exposure`: terminal-years in service and failures per
 *   calendar month, region, model and supplier, split three ways (the
 *   `dimension`): by age band (key: the band's lower limit in days), by batch
 *   and by firmware version. Every rate by model, supplier, region, category,
 *   age, batch or firmware, and its early-life share, is a sum over these.
 * - `reliability_survival`: units by model, region and supplier and by whole
 *   months of service, that failed for the first time in that month (events)
 *   or were last seen working in it (censored): the Kaplan–Meier input.
 * - `incident_facts`: one narrow row per ticket, ordered by report time, with
 *   what the repair-time and cost figures read (durations, first-time fix,
 *   costs by payer, claims): a year of tickets is one contiguous range, not
 *   tens of thousands of lookups into the wide incidents table.
 * - `reliability_inventory`: per model, region and supplier, the terminals'
 *   purchase prices, spares on the shelf and insurance premiums, as of the
 *   last run: what the cost of ownership and the spare pools need from the
 *   whole fleet.
 */
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { columns, fk, kindOf } from './1732200000000-inventory';

export class Reliability1733100000000 implements MigrationInterface {
  name = 'Reliability1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const kind = kindOf(queryRunner);
    const c = columns(kind);
    const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
    const double = (name: string): TableColumnOptions => ({ name, type: kind === 'postgres' ? 'double precision' : 'real', isNullable: false, default: 0 });

    await queryRunner.createTable(
      new Table({
        name: 'terminal_service_spans',
        columns: [c.id, c.int('terminal_id'), ms('started_ms'), ms('ended_ms', true), c.int('region_id'), c.text('firmware_version', 64)],
        foreignKeys: [fk('terminal_id', 'terminals', 'CASCADE')],
        indices: [{ columnNames: ['terminal_id', 'started_ms'] }],
      }),
    );
    const key = (name: string, length: number): TableColumnOptions => ({ ...c.text(name, length, false), isPrimary: true });
    await queryRunner.createTable(
      new Table({
        name: 'reliability_exposure',
        withoutRowid: true,
        // Dimension first: a page reads one split over a range of months, one contiguous run of the key.
        columns: [
          key('dimension', 8),
          key('month', 7),
          { ...c.int('region_id'), isPrimary: true },
          { ...c.int('model_id'), isPrimary: true },
          { ...c.int('supplier_id'), isPrimary: true },
          key('group_key', 64),
          double('exposure_years'),
          c.int('failures', false, 0),
          double('early_exposure_years'),
          c.int('early_failures', false, 0),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reliability_survival',
        withoutRowid: true,
        columns: [
          { ...c.int('model_id'), isPrimary: true },
          { ...c.int('region_id'), isPrimary: true },
          { ...c.int('supplier_id'), isPrimary: true },
          { ...c.int('months'), isPrimary: true },
          c.int('events', false, 0),
          c.int('censored', false, 0),
        ],
      }),
    );

    const money = (name: string): TableColumnOptions => double(name);
    const hours = (name: string): TableColumnOptions => ({ ...double(name), isNullable: true, default: undefined });
    const flag = (name: string): TableColumnOptions => c.int(name, false, 0);
    const claims = (payer: string): TableColumnOptions[] => [
      flag(`${payer}_claims`),
      flag(`${payer}_decided`),
      flag(`${payer}_accepted`),
      money(`${payer}_claimed`),
      money(`${payer}_recovered`),
      money(`${payer}_pending`),
    ];
    await queryRunner.createTable(
      new Table({
        name: 'incident_facts',
        withoutRowid: true,
        columns: [
          { ...ms('reported_ms'), isPrimary: true },
          { ...c.int('incident_id'), isPrimary: true },
          c.int('region_id'),
          c.int('model_id'),
          c.int('supplier_id'),
          c.int('assignee_id', true),
          c.text('assignee_name', 120),
          c.text('repair_vendor', 120),
          c.text('cause', 20),
          flag('failure'),
          flag('decided'),
          flag('fixed'),
          flag('first_time_fix'),
          flag('reopened'),
          hours('restore_hours'),
          hours('repair_hours'),
          hours('rma_hours'),
          money('cost_supplier'),
          money('cost_insurer'),
          money('cost_bank'),
          money('cost_merchant'),
          money('cost_person'),
          ...claims('warranty'),
          ...claims('insurance'),
        ],
        indices: [
          { columnNames: ['incident_id'], isUnique: true },
          // Covers the repair-time figures (counts, first-time fixes, durations by group), so they read a narrow index, not the rows.
          {
            name: 'idx_incident_facts_repairs',
            columnNames: ['reported_ms', 'failure', 'decided', 'fixed', 'first_time_fix', 'reopened', 'region_id', 'model_id', 'supplier_id', 'repair_vendor', 'assignee_id', 'restore_hours', 'repair_hours', 'rma_hours'],
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reliability_inventory',
        withoutRowid: true,
        columns: [
          { ...c.int('model_id'), isPrimary: true },
          { ...c.int('region_id'), isPrimary: true },
          { ...c.int('supplier_id'), isPrimary: true },
          flag('terminals'),
          flag('priced'),
          money('price_sum'),
          flag('spares'),
          flag('insured'),
          money('premium'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['reliability_inventory', 'incident_facts', 'reliability_survival', 'reliability_exposure', 'terminal_service_spans']) await queryRunner.dropTable(table);
  }
}
