/**
 * Real databases for repository and job specs: SQLite in memory always, and
 * PostgreSQL in a schema of its own when TEST_DATABASE_URL is set (npm test
 * sets it when the local server answers). Migrated, so the specs see the
 * production schema.
 */
import { Client } from 'pg';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { MIGRATIONS } from './database.module';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface TestDatabase {
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** Entities to register, for specs that use TypeORM's query builders on them. */
type Entities = MixedList<Function | string | EntitySchema>;

export const TEST_ENGINES: [string, (entities?: Entities) => Promise<TestDatabase>][] = [
  [
    'SQLite',
    async (entities = []) => {
      const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities, migrations: MIGRATIONS, namingStrategy: new SnakeNamingStrategy() });
      await dataSource.initialize();
      await dataSource.runMigrations();
      return { dataSource, drop: () => dataSource.destroy() };
    },
  ],
];

const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  TEST_ENGINES.push([
    'PostgreSQL',
    async (entities = []) => {
      const schema = `spec_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
      const admin = new Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const dataSource = new DataSource({
        type: 'postgres',
        url: pgUrl,
        schema,
        entities,
        extra: { options: `-c search_path=${schema}` },
        migrations: MIGRATIONS,
        namingStrategy: new SnakeNamingStrategy(),
      });
      await dataSource.initialize();
      await dataSource.runMigrations();
      return {
        dataSource,
        drop: async () => {
          await dataSource.destroy();
          await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
          await admin.end();
        },
      };
    },
  ]);
}
