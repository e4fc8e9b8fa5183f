#!/usr/bin/env node
/**
 * The README's screenshots, from the demo fleet: starts the built API on a
 * fresh embedded database (demo mode) on 127.0.0.1, lets the simulator run,
 * signs in as the demo fleet manager and captures the overview in English
 * and Chinese at 1366×768 and on a tablet (768×1024). Build first
 * (`npx nx run-many -t build`). Usage: node tools/screenshots/readme.mjs [seconds to wait, default 120]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const wait = Number(process.argv[2] ?? 120);
const port = await new Promise((done) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => done(free));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'fleet-shots-'));
const api = spawn(process.execPath, [join(ROOT, 'dist/apps/api/main.js')], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: 'on', LOG_LEVEL: 'warn' }, stdio: 'inherit' });
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  console.log(`Demo fleet running on ${base}; waiting ${wait} s for it to move`);
  await new Promise((r) => setTimeout(r, wait * 1000));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const shots = [
    ['overview-en', 'en', { width: 1366, height: 768 }],
    ['overview-zh-CN', 'zh-CN', { width: 1366, height: 768 }],
    ['overview-tablet-zh-CN', 'zh-CN', { width: 768, height: 1024 }],
  ];
  for (const [name, locale, viewport] of shots) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${base}/login?next=%2F`);
    await page.evaluate((value) => localStorage.setItem('fleet.locale', value), locale);
    await page.reload();
    await page.fill('[data-test=login-username]', 'manager');
    await page.fill('[data-test=login-password]', 'fleet-demo-2026');
    await page.click('[data-test=login-submit]');
    await page.waitForSelector('[data-test=count-online-value]:not(:has-text("…"))');
    await page.waitForSelector('[data-test=feed-item]');
    await new Promise((r) => setTimeout(r, 2000));
    await page.screenshot({ path: join(ROOT, 'docs', `${name}.png`) });
    await page.close();
    console.log(`docs/${name}.png`);
  }
  await browser.close();
} finally {
  api.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
