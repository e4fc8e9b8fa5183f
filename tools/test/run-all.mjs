#!/usr/bin/env node
// `npm test`: type checks, unit tests, a build, the integration suite on
// SQLite and (when a server answers at 127.0.0.1:5432 or TEST_DATABASE_URL is
// set) on PostgreSQL, then the browser tests in headless Chromium. Ends with
// one summary line of all the tests run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const reports = join(root, 'tmp/test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const CHROMIUM = '/usr/bin/chromium';
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function banner(text) {
  const line = '='.repeat(Math.max(60, text.length + 4));
  console.log(`\n${line}\n  ${text}\n${line}`);
}

function run(title, command, args, env = {}) {
  banner(title);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failures.push(title);
  return result.status === 0;
}

function jest(title, config, extraArgs = [], env = {}) {
  const report = join(reports, `${title.replace(/\W+/g, '-')}.json`);
  run(title, 'npx', ['jest', '-c', config, '--json', `--outputFile=${report}`, ...extraArgs], env);
  if (existsSync(report)) {
    const summary = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += summary.numPassedTests;
    totals.failed += summary.numFailedTests;
    totals.skipped += summary.numPendingTests + summary.numTodoTests;
  }
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

run('Type checks', 'npx', ['nx', 'run-many', '-t', 'typecheck', '--outputStyle=stream']);
const pgUrl = process.env.TEST_DATABASE_URL || ((await reachable('127.0.0.1', 5432)) ? 'postgres://postgres@127.0.0.1:5432/test' : '');
jest('Unit tests: libs/shared', 'libs/shared/jest.config.cjs');
// The repository specs run on SQLite in memory, and on PostgreSQL too when it answers.
jest('Unit tests: apps/api', 'apps/api/jest.config.cjs', [], pgUrl ? { TEST_DATABASE_URL: pgUrl } : {});
jest('Unit tests: apps/web', 'apps/web/jest.config.cjs', ['--passWithNoTests']);
const built = run('Build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=stream']);

if (built) {
  // MQTT ingest is tested against the local broker when one answers.
  const mqttUrl = process.env.TEST_MQTT_URL || ((await reachable('127.0.0.1', 1883)) ? 'mqtt://127.0.0.1:1883' : '');
  if (!mqttUrl) banner('No MQTT broker at 127.0.0.1:1883: the MQTT ingest tests are skipped');
  // Two API instances joined through Redis are tested when the local Redis answers.
  const redisUrl = process.env.TEST_REDIS_URL || ((await reachable('127.0.0.1', 6379)) ? 'redis://127.0.0.1:6379' : '');
  if (!redisUrl) banner('No Redis at 127.0.0.1:6379: the two-instance realtime tests are skipped');
  const brokers = { ...(mqttUrl ? { TEST_MQTT_URL: mqttUrl } : {}), ...(redisUrl ? { TEST_REDIS_URL: redisUrl } : {}) };
  jest('Integration tests on SQLite', 'tests/integration/jest.config.cjs', [], brokers);
  if (pgUrl) {
    jest('Integration tests on PostgreSQL', 'tests/integration/jest.config.cjs', ['--runInBand'], { TEST_DATABASE_URL: pgUrl, ...brokers });
  } else {
    banner('PostgreSQL is not reachable at 127.0.0.1:5432: integration tests ran on SQLite only');
  }
  if (!existsSync(CHROMIUM)) {
    banner(`WARNING: ${CHROMIUM} NOT FOUND - THE BROWSER TESTS ARE SKIPPED. Install it: apt-get install -y chromium`);
  }
  jest('Browser tests in headless Chromium', 'tests/browser/jest.config.cjs');
}

banner(failures.length ? `FAILED: ${failures.join('; ')}` : 'All steps passed');
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
