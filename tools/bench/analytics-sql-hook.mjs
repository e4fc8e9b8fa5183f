/**
 * Loaded into the API child of analytics.mjs with `node --import`: records the
 * SQL statements (text, parameters, rows, time in better-sqlite3 or pg) the API
 * runs while it serves a request that carries an `x-bench-capture: <id>`
 * header, so the bench can replay exactly the same statements on the raw
 * driver. Without the header it costs one test per statement.
 *
 * When such a request's response is finished, the statements are written as
 * JSON to `$BENCH_SQL_LOG`, then the id to `$BENCH_SQL_LOG.state`. (Not a
 * signal: the API shuts down on SIGUSR2 like on SIGTERM.)
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = new URL('../..', import.meta.url).pathname;
const require = createRequire(join(ROOT, 'package.json'));
const Database = require('better-sqlite3');
const pg = require('pg');
const LOG = process.env.BENCH_SQL_LOG;

const probe = new Database(':memory:');
const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
probe.close();

let capturing = false;
let captured = [];

for (const method of ['all', 'get', 'run', 'iterate']) {
  const original = Statement[method];
  Statement[method] = function (...args) {
    if (!capturing) return original.apply(this, args);
    const started = performance.now();
    const result = original.apply(this, args);
    const rows = Array.isArray(result) ? result.length : result && typeof result === 'object' && 'changes' in result ? result.changes : 1;
    captured.push({ method, sql: this.source, params: args, rows, ms: performance.now() - started });
    return result;
  };
}

// PostgreSQL: TypeORM calls client.query(text, values) and awaits the promise (the pool's clients are pg.Client).
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  if (!capturing || typeof config !== 'string' || typeof values === 'function' || callback !== undefined) return query.apply(this, arguments);
  const started = performance.now();
  return query.call(this, config, values).then((result) => {
    captured.push({ method: 'pg', sql: config, params: values ?? [], rows: result?.rows?.length ?? result?.rowCount ?? 0, ms: performance.now() - started });
    return result;
  });
};

if (LOG) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, request, response) {
    const id = event === 'request' ? request.headers['x-bench-capture'] : undefined;
    if (id !== undefined) {
      captured = [];
      capturing = true;
      response.once('finish', () => {
        capturing = false;
        writeFileSync(LOG, JSON.stringify(captured));
        writeFileSync(`${LOG}.state`, String(id));
      });
    }
    return emit.apply(this, arguments);
  };
}
