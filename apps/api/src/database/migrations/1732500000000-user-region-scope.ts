/**
 * A user's region scope: null sees the whole fleet; a region limits what the
 * user sees and acts on to that region and its sub-regions.
 */
import { TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class UserRegionScope1732500000000 implements MigrationInterface {
  name = 'UserRegionScope1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'region_id', type: 'integer', isNullable: true }));
    await queryRunner.createForeignKey('users', new TableForeignKey({ columnNames: ['region_id'], referencedTableName: 'regions', referencedColumnNames: ['id'], onDelete: 'RESTRICT' }));
    await queryRunner.createIndex('users', new TableIndex({ columnNames: ['region_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'region_id');
  }
}
