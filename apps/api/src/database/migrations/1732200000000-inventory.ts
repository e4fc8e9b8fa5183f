/**
 * The inventory schema: users and sessions, the catalog, regions and
 * merchants, insurance policies, terminals with their numbering sequences,
 * the audit log and CSV import jobs. Written with TypeORM's schema builder so
 * one migration serves SQLite and PostgreSQL.
 */
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

export type Kind = 'sqlite' | 'postgres';

export function kindOf(queryRunner: QueryRunner): Kind {
  return queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

export function columns(kind: Kind) {
  const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
  const timestamp = (name: string, nullable = false): TableColumnOptions => ({
    name,
    type: kind === 'postgres' ? 'timestamp' : 'datetime',
    isNullable: nullable,
  });
  const text = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
  const longText = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
  const int = (name: string, nullable = false, defaultValue?: number): TableColumnOptions => ({
    name,
    type: 'integer',
    isNullable: nullable,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  });
  const money = (name: string): TableColumnOptions => ({ name, type: 'numeric', precision: 14, scale: 2, isNullable: true });
  const date = (name: string, nullable = true): TableColumnOptions => text(name, 10, nullable);
  const bool = (name: string, defaultValue: boolean): TableColumnOptions => ({ name, type: 'boolean', default: defaultValue });
  // Prefix searches on identifiers compare bytes, whatever the server's locale.
  const key = (name: string, length: number): TableColumnOptions => ({
    ...text(name, length, false),
    ...(kind === 'postgres' ? { collation: 'C' } : {}),
  });
  const versioned: TableColumnOptions[] = [int('version', false, 1), timestamp('created_at'), timestamp('updated_at')];
  return { id, timestamp, text, longText, int, money, date, bool, key, versioned };
}

/** A foreign key from `column` to `table`.id, for Table({ foreignKeys }). */
export function fk(column: string, table: string, onDelete: 'RESTRICT' | 'CASCADE' | 'SET NULL' = 'RESTRICT') {
  return { columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete };
}

export class Inventory1732200000000 implements MigrationInterface {
  name = 'Inventory1732200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(kindOf(queryRunner));

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          c.id,
          { ...c.text('username', 64, false), isUnique: true },
          c.text('display_name', 120, false),
          c.text('password_hash', 255, false),
          c.text('role', 20, false),
          c.bool('active', true),
          ...c.versioned,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          c.id,
          { ...c.text('token_hash', 64, false), isUnique: true },
          c.int('user_id'),
          c.timestamp('created_at'),
          c.timestamp('expires_at'),
          c.timestamp('revoked_at', true),
        ],
        foreignKeys: [fk('user_id', 'users', 'CASCADE')],
        indices: [{ columnNames: ['user_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'regions',
        columns: [
          c.id,
          { ...c.key('code', 8), isUnique: true },
          c.text('name', 120, false),
          c.int('parent_id', true),
          // Materialised path of ids, e.g. /1/7/, so a sub-tree is one indexed prefix range.
          c.key('path', 255),
          c.int('depth', false, 0),
          ...c.versioned,
        ],
        foreignKeys: [fk('parent_id', 'regions')],
        indices: [{ columnNames: ['path'] }, { columnNames: ['parent_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'asset_sequences',
        columns: [{ ...c.int('region_id'), isPrimary: true }, c.int('last_value', false, 0)],
        foreignKeys: [fk('region_id', 'regions', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'suppliers',
        columns: [
          c.id,
          { ...c.text('name', 120, false), isUnique: true },
          c.text('contact_name', 120),
          c.text('contact_phone', 40),
          c.text('contact_email', 254),
          c.int('support_response_hours', true),
          c.longText('support_sla'),
          ...c.versioned,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'models',
        columns: [
          c.id,
          { ...c.text('name', 120, false), isUnique: true },
          c.text('manufacturer', 120, false),
          c.text('category', 16, false),
          c.longText('spec'),
          c.money('list_price'),
          c.text('currency', 3, false),
          c.int('default_warranty_months', false, 12),
          c.date('end_of_life_date'),
          ...c.versioned,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'insurance_policies',
        columns: [
          c.id,
          c.text('insurer', 120, false),
          { ...c.key('policy_number', 64), isUnique: true },
          c.longText('coverage'),
          c.money('deductible'),
          c.money('premium'),
          c.text('currency', 3, false),
          c.date('start_date', false),
          c.date('end_date', false),
          ...c.versioned,
        ],
        indices: [{ columnNames: ['end_date'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'merchants',
        columns: [
          c.id,
          c.text('name', 200, false),
          c.int('region_id'),
          c.text('address', 300),
          c.text('contact_name', 120),
          c.text('contact_phone', 40),
          ...c.versioned,
        ],
        foreignKeys: [fk('region_id', 'regions')],
        indices: [{ columnNames: ['region_id'] }, { columnNames: ['name'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'terminals',
        columns: [
          c.id,
          { ...c.key('asset_number', 40), isUnique: true },
          { ...c.key('serial_number', 64), isUnique: true },
          c.int('model_id'),
          c.int('supplier_id'),
          c.text('category', 16, false),
          c.int('region_id'),
          c.int('merchant_id', true),
          c.text('custodian', 120),
          c.text('status', 16, false),
          c.date('purchase_date'),
          c.money('purchase_price'),
          c.text('currency', 3, false),
          c.text('batch', 64),
          c.text('firmware_version', 64),
          c.text('app_version', 64),
          c.date('warranty_start'),
          c.date('warranty_end'),
          c.text('warranty_terms', 500),
          c.text('warranty_provider', 120),
          c.int('insurance_policy_id', true),
          c.longText('notes'),
          ...c.versioned,
        ],
        foreignKeys: [
          fk('model_id', 'models'),
          fk('supplier_id', 'suppliers'),
          fk('region_id', 'regions'),
          fk('merchant_id', 'merchants', 'SET NULL'),
          fk('insurance_policy_id', 'insurance_policies', 'SET NULL'),
        ],
      }),
    );
    // One index per list filter and sort, each ending in id so pages are stable and index-ordered.
    for (const column of ['status', 'model_id', 'supplier_id', 'region_id', 'merchant_id', 'category', 'insurance_policy_id', 'warranty_end', 'purchase_date', 'created_at', 'updated_at']) {
      await queryRunner.createIndex('terminals', new TableIndex({ name: `idx_terminals_${column}`, columnNames: [column, 'id'] }));
    }
    await queryRunner.createIndex('terminals', new TableIndex({ name: 'idx_terminals_region_status', columnNames: ['region_id', 'status', 'id'] }));

    await queryRunner.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          c.id,
          c.timestamp('at'),
          c.int('actor_id', true),
          c.text('actor_username', 64, false),
          c.text('entity_type', 32, false),
          c.int('entity_id'),
          c.text('entity_label', 200, false),
          c.text('action', 16, false),
          c.longText('changes', false),
          c.text('reason', 500),
        ],
        indices: [
          { name: 'idx_audit_entity', columnNames: ['entity_type', 'entity_id', 'id'] },
          { name: 'idx_audit_at', columnNames: ['at'] },
          { name: 'idx_audit_actor', columnNames: ['actor_id', 'id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'import_jobs',
        columns: [
          c.id,
          c.text('file_name', 255, false),
          c.text('status', 16, false),
          c.longText('content', false),
          c.int('total_rows', false, 0),
          c.int('processed_rows', false, 0),
          c.int('valid_rows', false, 0),
          c.int('error_rows', false, 0),
          c.int('to_create', false, 0),
          c.int('to_update', false, 0),
          c.int('created', false, 0),
          c.int('updated', false, 0),
          c.longText('errors', false),
          c.longText('failure'),
          c.int('created_by_id'),
          c.text('created_by', 64, false),
          c.timestamp('created_at'),
          c.timestamp('finished_at', true),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['import_jobs', 'audit_entries', 'terminals', 'merchants', 'insurance_policies', 'models', 'suppliers', 'asset_sequences', 'regions', 'sessions', 'users']) {
      await queryRunner.dropTable(table);
    }
  }
}
