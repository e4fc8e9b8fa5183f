/**
 * The fleet's health counts, sampled every five minutes from the live state:
 * the history behind the overview's sparklines and its online share over the
 * last day and month. One row per sample instant (epoch milliseconds), so
 * several API instances sampling the same instant write it once.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columns, kindOf } from './1732200000000-inventory';

export class FleetSamples1732400000000 implements MigrationInterface {
  name = 'FleetSamples1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(kindOf(queryRunner));
    await queryRunner.createTable(
      new Table({
        name: 'fleet_health_samples',
        columns: [
          { name: 'at', type: 'bigint', isPrimary: true },
          c.int('online', false),
          c.int('degraded', false),
          c.int('offline', false),
          c.int('unknown', false),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('fleet_health_samples');
  }
}
