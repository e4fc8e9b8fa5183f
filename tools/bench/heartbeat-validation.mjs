#!/usr/bin/env node
// Why heartbeats are validated by a compiled JSON Schema (Ajv) and not by
// class-validator like the rest of the API: the same 1,000-heartbeat batch,
// with the same rules, checked by the API's compiled schema and by
// class-validator (schema form of the same decorators, plus
// class-transformer's plainToInstance, as the ValidationPipe does). Prints
// the median time per batch and per heartbeat, and the ratio.
//
//   npx nx run-many -t build -p shared,api && node tools/bench/heartbeat-validation.mjs
//
// Bounded: ROUNDS batches per validator, in one process.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const root = new URL('../..', import.meta.url).pathname;
const { parseHeartbeatBatch } = require(`${root}dist/apps/api/heartbeats/heartbeat.schema.js`);
const { validate } = require('class-validator');
const { plainToInstance } = require('class-transformer');

const ROUNDS = 60;
const now = Date.now();
const batch = {
  heartbeats: Array.from({ length: 1000 }, (_, i) => ({
    terminalId: 1 + (i % 500),
    sequence: now + i,
    sentAt: new Date(now - 1000).toISOString(),
    batteryPct: 80,
    charging: false,
    signalDbm: -75,
    network: '4g',
    printer: 'ok',
    temperatureC: 35.5,
    firmwareVersion: '2.4.1',
    appVersion: '3.2.0',
    lastTransactionAt: new Date(now - 60_000).toISOString(),
    transactionCount: 12345,
    printCount: 2345,
    errorCodes: i % 10 === 0 ? ['E101'] : [],
    location: { lat: 39.9, lon: 116.4 },
  })),
};

// The same rules as class-validator decorators, applied by hand (plain JS has no decorator syntax).
const cv = require('class-validator');
class Heartbeat {}
const VERSION = /^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,31}$/;
const rules = {
  terminalId: [cv.IsInt(), cv.Min(1)],
  sequence: [cv.IsInt(), cv.Min(0)],
  sentAt: [cv.IsISO8601({ strict: true })],
  batteryPct: [cv.IsOptional(), cv.IsInt(), cv.Min(0), cv.Max(100)],
  charging: [cv.IsOptional(), cv.IsBoolean()],
  signalDbm: [cv.IsOptional(), cv.IsInt(), cv.Min(-140), cv.Max(0)],
  network: [cv.IsOptional(), cv.IsIn(['wifi', 'ethernet', '2g', '3g', '4g', '5g', 'none'])],
  printer: [cv.IsOptional(), cv.IsIn(['ok', 'paper_low', 'paper_out', 'fault', 'absent'])],
  temperatureC: [cv.IsOptional(), cv.IsNumber(), cv.Min(-40), cv.Max(125)],
  firmwareVersion: [cv.IsOptional(), cv.Matches(VERSION)],
  appVersion: [cv.IsOptional(), cv.Matches(VERSION)],
  lastTransactionAt: [cv.IsOptional(), cv.IsISO8601({ strict: true })],
  transactionCount: [cv.IsOptional(), cv.IsInt(), cv.Min(0), cv.Max(4294967295)],
  printCount: [cv.IsOptional(), cv.IsInt(), cv.Min(0), cv.Max(4294967295)],
  errorCodes: [cv.IsOptional(), cv.IsArray(), cv.ArrayMaxSize(16), cv.Matches(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,23}$/, { each: true })],
  location: [cv.IsOptional(), cv.IsObject()],
};
for (const [property, decorators] of Object.entries(rules)) for (const decorate of decorators) decorate(Heartbeat.prototype, property);

async function classValidator() {
  const items = plainToInstance(Heartbeat, structuredClone(batch.heartbeats));
  for (const item of items) {
    const errors = await validate(item, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw new Error(JSON.stringify(errors[0]));
  }
}

function ajv() {
  parseHeartbeatBatch(structuredClone(batch), Date.now());
}

async function time(run) {
  for (let i = 0; i < 5; i++) await run();
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

// The copy both sides make, measured alone, is taken out of both.
const copy = await time(() => structuredClone(batch));
const compiled = (await time(ajv)) - copy;
const decorators = (await time(classValidator)) - copy;
// ms per 1,000 heartbeats is the same number as µs per heartbeat.
console.log('validator                         ms per batch of 1,000 (= µs per heartbeat)');
console.log(`Ajv compiled schema (the API)     ${compiled.toFixed(2).padStart(8)}`);
console.log(`class-validator + transformer     ${decorators.toFixed(2).padStart(8)}`);
console.log(`ratio class-validator / Ajv: ${(decorators / compiled).toFixed(1)}×  (median of ${ROUNDS} batches)`);
