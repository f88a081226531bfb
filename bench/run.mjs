#!/usr/bin/env node
// Benchmark: through the REST API of a real `hearth server` process (embedded SQLite), create and delete stacks of
// N OS::Heat::RandomString (N = 10, 100, 1000) and a ResourceGroup of 1000 OS::Heat::None. Prints, per case, the wall
// time from the create call to CREATE_COMPLETE, from the delete call to DELETE_COMPLETE, and the server's peak RSS.
//
//   npm run bench [-- --repeat 3]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 1;

const freePort = () =>
  new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  const rss = /VmRSS:\s+(\d+) kB/.exec(status);
  return { peak: Number(hwm?.[1] ?? 0) / 1024, now: Number(rss?.[1] ?? 0) / 1024 };
}

async function call(method, url, body) {
  const r = await fetch(url, {
    method,
    redirect: 'manual',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function waitStatus(endpoint, name, id, done) {
  for (;;) {
    const r = await fetch(`${endpoint}/stacks/${name}/${id}?resolve_outputs=false`, {
      headers: { accept: 'application/json' },
    });
    if (r.status === 404) return 'DELETE_COMPLETE';
    const { stack } = await r.json();
    if (!stack.stack_status.endsWith('IN_PROGRESS')) {
      if (stack.stack_status !== done)
        throw new Error(`${name}: ${stack.stack_status} ${stack.stack_status_reason}`);
      return stack.stack_status;
    }
    await new Promise((res) => setTimeout(res, 5));
  }
}

function randomStrings(n) {
  const resources = {};
  for (let i = 0; i < n; i++)
    resources[`r${i}`] = { type: 'OS::Heat::RandomString', properties: { length: 16 } };
  return { heat_template_version: '2021-04-16', resources };
}

function group(n) {
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

const cases = [
  ['RandomString x10', randomStrings(10)],
  ['RandomString x100', randomStrings(100)],
  ['RandomString x1000', randomStrings(1000)],
  ['ResourceGroup of 1000 None', group(1000)],
];

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
const server = spawn(
  process.execPath,
  [
    join(ROOT, 'bin', 'hearth.js'),
    'server',
    '--listen',
    `127.0.0.1:${port}`,
    '--data-dir',
    dataDir,
    '--insecure-noauth',
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const endpoint = `http://127.0.0.1:${port}/v1/bench`;
for (let i = 0; ; i++) {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
    break;
  } catch {
    if (i > 200) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

console.log(`hearth bench: node ${process.version}, embedded SQLite in ${dataDir}, repeat ${repeat}`);
console.log('case                          create_s  delete_s  server_rss_mb');
let k = 0;
try {
  for (const [label, template] of cases) {
    for (let rep = 0; rep < repeat; rep++) {
      const name = `bench-${k++}`;
      const t0 = performance.now();
      const created = await call('POST', `${endpoint}/stacks`, { stack_name: name, template });
      await waitStatus(endpoint, name, created.stack.id, 'CREATE_COMPLETE');
      const t1 = performance.now();
      await call('DELETE', `${endpoint}/stacks/${name}/${created.stack.id}`);
      await waitStatus(endpoint, name, created.stack.id, 'DELETE_COMPLETE');
      const t2 = performance.now();
      const rss = peakRssMb(server.pid);
      console.log(
        `${label.padEnd(30)}${((t1 - t0) / 1000).toFixed(3).padStart(8)}  ${((t2 - t1) / 1000).toFixed(3).padStart(8)}  ${rss.now.toFixed(0).padStart(6)} (peak ${rss.peak.toFixed(0)})`,
      );
    }
  }
} finally {
  const { peak } = peakRssMb(server.pid);
  console.log(`server peak RSS: ${peak.toFixed(1)} MB`);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
