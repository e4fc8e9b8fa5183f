/**
 * The database: embedded SQLite (WAL) in DATA_DIR by default, PostgreSQL with
 * DATABASE_URL. Migrations run at start; `synchronize` is never on.
 */
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Inventory1732200000000 } from './migrations/1732200000000-inventory';
import { Heartbeats1732300000000 } from './migrations/1732300000000-heartbeats';
import { FleetSamples1732400000000 } from './migrations/1732400000000-fleet-samples';
import { UserRegionScope1732500000000 } from './migrations/1732500000000-user-region-scope';
import { Incidents1732600000000 } from './migrations/1732600000000-incidents';
import { JobLocks1732700000000 } from './migrations/1732700000000-job-locks';
import { Notifications1732800000000 } from './migrations/1732800000000-notifications';
import { Alerts1732900000000 } from './migrations/1732900000000-alerts';
import { Maintenance1733000000000 } from './migrations/1733000000000-maintenance';
import { Reliability1733100000000 } from './migrations/1733100000000-reliability';
import { EarlyWarnings1733200000000 } from './migrations/1733200000000-early-warnings';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { JobLockEntity } from './job-lock.entity';
import { JobLocks } from './job-locks';
import { TransactionRunner } from './transaction';

export const MIGRATIONS = [Inventory1732200000000, Heartbeats1732300000000, FleetSamples1732400000000, UserRegionScope1732500000000, Incidents1732600000000, JobLocks1732700000000, Notifications1732800000000, Alerts1732900000000, Maintenance1733000000000, Reliability1733100000000, EarlyWarnings1733200000000];

// Timestamps are stored without a zone and always mean UTC, whatever the server's TZ.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (value: string) => new Date(`${value.replace(' ', 'T')}Z`));
(pg.defaults as { parseInputDatesAsUTC?: boolean }).parseInputDatesAsUTC = true;

export function typeOrmOptions(config: AppConfig): TypeOrmModuleOptions {
  const common = {
    autoLoadEntities: true,
    synchronize: false,
    migrationsRun: true,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    logging: ['error', 'warn', 'migration'] as ('error' | 'warn' | 'migration')[],
  };
  if (config.database.kind === 'postgres') {
    // search_path too, so the hand-written sub-queries find the schema's tables.
    return { ...common, type: 'postgres', url: config.database.url, schema: config.database.schema, extra: { max: 10, options: `-c search_path=${config.database.schema}` } };
  }
  mkdirSync(dirname(config.database.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.database.path,
    enableWAL: true,
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      // FULL: a commit is on disk before it is acknowledged, even across a power cut.
      db.pragma('synchronous = FULL');
    },
  };
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        if (config.database.kind === 'postgres' && config.database.schema !== 'public') await ensureSchema(config.database.url, config.database.schema);
        return typeOrmOptions(config);
      },
    }),
    TypeOrmModule.forFeature([JobLockEntity]),
  ],
  providers: [TransactionRunner, JobLocks],
  exports: [TransactionRunner, JobLocks],
})
export class DatabaseModule {}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}
