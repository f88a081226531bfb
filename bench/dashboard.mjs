#!/usr/bin/env node
// Budget checks of the web dashboard (issue 8), printing figures:
//  1. first load: index.html and the assets it references, gzipped (budget < 300 KB);
//  2. a 1000-resource stack (a DAG of OS::Heat::None with depends_on) opened in Chromium against a real
//     `hearth server`: graph layout time (budget < 2 s), time from navigation to the graph drawn, and how fast a
//     node click shows its details; then a ResourceGroup of 1000 expanded inside the graph (1001 nodes).
//
//   npm run build && node bench/dashboard.mjs        (Chromium: /usr/bin/chromium or HEARTH_CHROMIUM)
/* global document */ // used inside page functions, which run in the browser
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { call, startServer } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'dist', 'web');
const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const FIRST_LOAD_BUDGET_KB = 300;
const LAYOUT_BUDGET_MS = 2000;
const failures = [];

function check(label, value, budget, unit) {
  const ok = value < budget;
  if (!ok) failures.push(label);
  console.log(
    `${label.padEnd(46)} ${value.toFixed(1).padStart(9)} ${unit}   (budget < ${budget} ${unit}: ${ok ? 'ok' : 'OVER'})`,
  );
}

function figure(label, value, unit) {
  console.log(`${label.padEnd(46)} ${value.toFixed(1).padStart(9)} ${unit}`);
}

/** Gzipped bytes of the page and every script, style and preload it references. */
function firstLoadBytes() {
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  let total = gzipSync(html, { level: 9 }).length;
  const files = [...html.matchAll(/(?:src|href)="\/dashboard\/([^"]+)"/g)].map((m) => m[1]);
  for (const f of files) total += gzipSync(readFileSync(join(WEB, f)), { level: 9 }).length;
  // The bundle may import further chunks (none today): count every asset to stay on the safe side.
  return { total, files };
}

/** 1000 OS::Heat::None; each depends on up to two earlier ones (a fixed pseudo-random DAG). */
function dagTemplate(n) {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const resources = {};
  for (let i = 0; i < n; i++) {
    const deps = new Set();
    if (i > 0) for (let k = Math.floor(next() * 3); k > 0; k--) deps.add(`r${Math.floor(next() * i)}`);
    resources[`r${i}`] = { type: 'OS::Heat::None', ...(deps.size ? { depends_on: [...deps] } : {}) };
  }
  return { heat_template_version: '2021-04-16', resources };
}

function groupTemplate(n) {
  return {
    heat_template_version: '2021-04-16',
    resources: {
      g: {
        type: 'OS::Heat::ResourceGroup',
        properties: { count: n, resource_def: { type: 'OS::Heat::None' } },
      },
    },
  };
}

async function createStack(endpoint, name, template) {
  const { stack } = await call('POST', `${endpoint}/stacks`, { stack_name: name, template });
  for (;;) {
    const { stack: s } = await call('GET', `${endpoint}/stacks/${name}/${stack.id}?resolve_outputs=false`);
    if (s.stack_status === 'CREATE_COMPLETE') return stack.id;
    if (!s.stack_status.endsWith('IN_PROGRESS'))
      throw new Error(`${name}: ${s.stack_status} ${s.stack_status_reason}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Milliseconds of the last `hearth:graph-layout` measure in the page. */
function lastLayoutMs(page) {
  return page.evaluate(() => {
    const m = performance.getEntriesByName('hearth:graph-layout');
    return m.length ? m[m.length - 1].duration : -1;
  });
}

if (!existsSync(join(WEB, 'index.html'))) {
  console.error('dist/web is missing: run "npm run build" first');
  process.exit(1);
}
const { total, files } = firstLoadBytes();
console.log(`first load: index.html + ${files.join(', ')}`);
check('first load, gzipped', total / 1024, FIRST_LOAD_BUDGET_KB, 'KB');

if (!existsSync(CHROMIUM)) {
  console.error(
    `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set HEARTH_CHROMIUM): graph checks skipped`,
  );
  process.exit(failures.length ? 1 : 0);
}

const server = await startServer('hearth-bench-dashboard-');
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
try {
  const endpoint = server.endpoint;
  const base = endpoint.replace(/\/v1\/.*$/, '');
  const dagId = await createStack(endpoint, 'dag1000', dagTemplate(1000));
  const groupId = await createStack(endpoint, 'group1000', groupTemplate(1000));

  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${base}/dashboard/`);
  await page.fill('#project', 'bench');
  await page.click('button[type=submit]');
  await page.waitForSelector('.stack-list .toolbar');

  const started = Date.now();
  await page.goto(`${base}/dashboard/#/stacks/dag1000/${dagId}`);
  await page.waitForFunction(() => document.querySelectorAll('.graph-canvas .node').length >= 1000, null, {
    timeout: 60_000,
  });
  const drawnMs = Date.now() - started;
  if (process.env.HEARTH_BENCH_SCREENSHOTS)
    await page.screenshot({ path: join(process.env.HEARTH_BENCH_SCREENSHOTS, 'dag1000.png') });
  check('1000-resource DAG: graph layout', await lastLayoutMs(page), LAYOUT_BUDGET_MS, 'ms');
  figure('1000-resource DAG: navigation to graph drawn', drawnMs, 'ms');

  const clickStarted = Date.now();
  await page.click('.graph-canvas [data-name="r500"]');
  await page.waitForSelector('#resource-title:text("r500")');
  figure('1000-resource DAG: node click to details shown', Date.now() - clickStarted, 'ms');

  const keyStarted = Date.now();
  await page.focus('.graph-canvas [data-name="r500"]');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-name') !== 'r500');
  figure('1000-resource DAG: arrow key to next node', Date.now() - keyStarted, 'ms');

  await page.goto(`${base}/dashboard/#/stacks/group1000/${groupId}`);
  await page.waitForSelector('.graph-canvas [data-name="g"]');
  const expandStarted = Date.now();
  await page.click('.graph-canvas [data-name="g"]');
  await page.click('text=Show nested resources in the graph');
  await page.waitForFunction(() => document.querySelectorAll('.graph-canvas .node').length >= 1001, null, {
    timeout: 60_000,
  });
  if (process.env.HEARTH_BENCH_SCREENSHOTS)
    await page.screenshot({ path: join(process.env.HEARTH_BENCH_SCREENSHOTS, 'group1000.png') });
  check('ResourceGroup of 1000 expanded: graph layout', await lastLayoutMs(page), LAYOUT_BUDGET_MS, 'ms');
  figure('ResourceGroup of 1000: expand to graph drawn', Date.now() - expandStarted, 'ms');
} finally {
  await browser.close();
  await server.stop();
}
if (failures.length) {
  console.error(`over budget: ${failures.join(', ')}`);
  process.exit(1);
}
