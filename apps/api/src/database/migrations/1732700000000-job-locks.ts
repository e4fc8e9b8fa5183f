/**
 * One row per scheduled job naming the instance that runs it and until when:
 * with several API instances only one runs a job at a time, and a crashed
 * holder's lease runs out so another takes over.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columns, kindOf } from './1732200000000-inventory';

export class JobLocks1732700000000 implements MigrationInterface {
  name = 'JobLocks1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(kindOf(queryRunner));
    await queryRunner.createTable(
      new Table({
        name: 'job_locks',
        columns: [{ ...c.text('name', 64, false), isPrimary: true }, c.text('holder', 64, false), c.timestamp('locked_until')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_locks');
  }
}
