#!/usr/bin/env node
// Multi-engine throughput: one `hearth api` and 1, 2 and 4 `hearth engine` processes on PostgreSQL. For each engine
// count, a fresh database, then 200 stacks × 20 OS::Heat::TestResource (each waiting 0.2 s on create, standing for
// provider latency) created concurrently through the api while clients poll stacks. Prints, per engine count:
// throughput (resources/s, stacks/s, from the first create call to the last stack CREATE_COMPLETE), API latency
// (create calls, concurrent GET polls: p50/p99), how the stacks spread over the engines, failed stacks, and
// deadlock/serialization errors seen in the process logs or stored events (must be 0). Build first (npm run build).
//
//   node bench/engines.mjs [--engines 1,2,4] [--stacks 200] [--resources 20] [--wait 0.2] [--projects 8]
//                          [--pollers 8] [--rounds 1] [--db postgres://postgres@127.0.0.1:5432/postgres]
//
// With --rounds N each engine count runs N times (interleaved); the table shows the run of median wall time, the
// range of wall times, and failures and conflicts summed over every run.
// --db names the server (its database is only used to CREATE/DROP the benchmark's own `hearth_bench_…` databases).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
function positive(name, raw, min = 1) {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number >= ${min}, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const ENGINE_COUNTS = String(arg('engines', '1,2,4'))
  .split(',')
  .map((s) => positive('engines', s));
const STACKS = positive('stacks', arg('stacks', '200'));
const RESOURCES = positive('resources', arg('resources', '20'));
const WAIT = positive('wait', arg('wait', '0.2'), 0);
const PROJECTS = positive('projects', arg('projects', '8'));
const POLLERS = positive('pollers', arg('pollers', '8'), 0);
const ROUNDS = positive('rounds', arg('rounds', '1'));
const SERVER_URL = arg(
  'db',
  process.env.HEARTH_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);

/** Lines of process output that mean a deadlock or a serialization failure. */
const CONFLICT =
  /deadlock|\b40P01\b|\b40001\b|could not serialize|serialization failure|ER_LOCK_DEADLOCK|lock wait timeout/i;

/** CPU seconds (user + system) a process has used so far (Linux /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * CPU seconds of the PostgreSQL backends serving `dbName` now, by pid (when the server runs on this machine; a
 * backend that ended meanwhile is not counted, so the sum is a lower bound).
 */
async function backendCpu(client, dbName) {
  const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
  return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
}

async function admin(statement) {
  const c = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

function databaseUrl(name) {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts `hearth <role>`; resolves once its /healthz answers. */
async function startRole(role, name, args) {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), `hearth-bench-${name}-`));
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'hearth.js'), role, '--listen', address, '--data-dir', dataDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`hearth ${role} exited:\n${out}`);
    try {
      if ((await fetch(`http://${address}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 600) {
      child.kill('SIGKILL');
      throw new Error(`hearth ${role} did not answer:\n${out}`);
    }
    await sleep(100);
  }
  return {
    name,
    pid: child.pid,
    url: `http://${address}`,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

function template() {
  const resources = {};
  for (let i = 0; i < RESOURCES; i++) {
    resources[`r${i}`] = {
      type: 'OS::Heat::TestResource',
      properties: { value: `v${i}`, action_wait_secs: { create: WAIT } },
    };
  }
  return { heat_template_version: '2021-04-16', resources };
}

/** Completed tasks per engine, from its /metrics. */
async function completedBy(engine) {
  const text = await (await fetch(`${engine.url}/metrics`)).text();
  const m = /hearth_engine_tasks_total\{event="completed"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

async function runOnce(engineCount) {
  const dbName = `hearth_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const db = databaseUrl(dbName);
  const procs = [];
  const query = new pg.Client({ connectionString: db });
  try {
    const api = await startRole('api', 'api', [
      '--db',
      db,
      '--insecure-noauth',
      '--max-stacks-per-project',
      '-1',
    ]);
    procs.push(api);
    const engines = await Promise.all(
      Array.from({ length: engineCount }, async (_, i) => {
        const engine = await startRole('engine', `engine${i}`, ['--db', db, '--public-url', api.url]);
        procs.push(engine);
        return engine;
      }),
    );
    await query.connect();

    const body = (i) => JSON.stringify({ stack_name: `s${i}`, template: template() });
    const stacks = []; // { project, name, id }
    const createMs = [];
    const getMs = [];
    const getErrors = [];
    let polling = true;
    const cpuAtStart = procs.map((p) => cpuSeconds(p.pid));
    const dbCpuAtStart = await backendCpu(query, dbName);
    const t0 = Date.now();
    // Pollers: GET a random created stack, as clients following their stacks do (50 ms apart each).
    const pollers = Array.from({ length: POLLERS }, async () => {
      while (polling) {
        const s = stacks[Math.floor(Math.random() * stacks.length)];
        if (s) {
          const t = Date.now();
          const r = await fetch(`${api.url}/v1/${s.project}/stacks/${s.name}/${s.id}?resolve_outputs=false`);
          await r.arrayBuffer();
          getMs.push(Date.now() - t);
          if (r.status !== 200) getErrors.push(r.status);
        }
        await sleep(50);
      }
    });
    const creates = Array.from({ length: STACKS }, async (_, i) => {
      const project = `p${i % PROJECTS}`;
      const t = Date.now();
      const r = await fetch(`${api.url}/v1/${project}/stacks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: body(i),
      });
      const answer = await r.json();
      createMs.push(Date.now() - t);
      if (r.status !== 201) throw new Error(`create s${i} → ${r.status} ${JSON.stringify(answer)}`);
      stacks.push({ project, name: `s${i}`, id: answer.stack.id });
    });
    await Promise.all(creates);
    const createdAt = Date.now();
    let done;
    for (;;) {
      const { rows } = await query.query(
        "SELECT status, count(*) AS n FROM stacks WHERE parent_id IS NULL AND action = 'CREATE' GROUP BY status",
      );
      done = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      if ((done.COMPLETE ?? 0) + (done.FAILED ?? 0) >= STACKS) break;
      if (Date.now() - t0 > 600_000) throw new Error(`not done after 10 min: ${JSON.stringify(done)}`);
      await sleep(100);
    }
    const wallMs = Date.now() - t0;
    const cpu = procs.map((p, i) => cpuSeconds(p.pid) - cpuAtStart[i]);
    let dbCpu = 0;
    for (const [pid, seconds] of await backendCpu(query, dbName))
      dbCpu += seconds - (dbCpuAtStart.get(pid) ?? 0);
    polling = false;
    await Promise.all(pollers);
    // The engines remove each task just after its stack's last write: wait for that before reading their counters.
    for (let i = 0; i < 100; i++) {
      const { rows } = await query.query('SELECT count(*) AS n FROM engine_tasks');
      if (Number(rows[0].n) === 0) break;
      await sleep(100);
    }
    const spread = await Promise.all(engines.map(completedBy));
    // Each stack's create, from the stack row's creation (the API's answer) to its last event (COMPLETE).
    const { rows: times } = await query.query(
      'SELECT s.created_at, max(e.time) AS ended FROM stacks s JOIN events e ON e.stack_id = s.id ' +
        'WHERE s.parent_id IS NULL GROUP BY s.id, s.created_at',
    );
    const stackMs = times.map((t) => Date.parse(t.ended) - Date.parse(t.created_at));
    const { rows: conflictEvents } = await query.query(
      "SELECT count(*) AS n FROM events WHERE reason ILIKE '%deadlock%' OR reason ILIKE '%serializ%'",
    );
    const logs = procs.map((p) => p.output()).join('\n');
    const conflictLines = logs.split('\n').filter((l) => CONFLICT.test(l));
    return {
      engines: engineCount,
      wallS: wallMs / 1000,
      createsS: (createdAt - t0) / 1000,
      resourcesPerS: (STACKS * RESOURCES) / (wallMs / 1000),
      stacksPerS: STACKS / (wallMs / 1000),
      createP50: percentile(createMs, 50),
      createP99: percentile(createMs, 99),
      getP50: percentile(getMs, 50),
      getP99: percentile(getMs, 99),
      stackP50: percentile(stackMs, 50),
      stackP99: percentile(stackMs, 99),
      gets: getMs.length,
      getErrors: getErrors.length,
      complete: done.COMPLETE ?? 0,
      failed: done.FAILED ?? 0,
      spread,
      apiCpuS: cpu[0],
      dbCpuS: dbCpu,
      enginesCpuS: cpu.slice(1).reduce((a, b) => a + b, 0),
      conflicts: conflictLines.length + Number(conflictEvents[0].n),
      conflictSample: conflictLines.slice(0, 3),
    };
  } finally {
    await query.end().catch(() => undefined);
    await Promise.all(procs.map((p) => p.stop()));
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((e) =>
      console.error(`could not drop ${dbName}: ${e.message}`),
    );
  }
}

console.log(
  `engines bench: ${STACKS} stacks × ${RESOURCES} TestResource (create wait ${WAIT} s), ${PROJECTS} projects, ` +
    `${POLLERS} GET pollers, one hearth api, PostgreSQL ${new URL(SERVER_URL).host}`,
);
// Rounds go 1, 2, 4, 1, 2, 4, … so that the machine's other load spreads over every engine count alike.
const runs = new Map(ENGINE_COUNTS.map((n) => [n, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const n of ENGINE_COUNTS) {
    const r = await runOnce(n);
    runs.get(n).push(r);
    console.log(
      `  round ${round}, ${n} engine(s): done in ${r.wallS.toFixed(1)} s (creates answered in ` +
        `${r.createsS.toFixed(1)} s); CPU: api ${r.apiCpuS.toFixed(1)} s, engines ${r.enginesCpuS.toFixed(1)} s, ` +
        `PostgreSQL ≥ ${r.dbCpuS.toFixed(1)} s; ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    for (const line of r.conflictSample) console.log(`    conflict: ${line}`);
  }
}
// Per engine count: the run of median wall time, with the range of all rounds and the sums of what must be 0.
const results = ENGINE_COUNTS.map((n) => {
  const all = [...runs.get(n)].sort((a, b) => a.wallS - b.wallS);
  const median = all[Math.floor((all.length - 1) / 2)];
  return {
    ...median,
    wallRange: all.length > 1 ? ` (${all[0].wallS.toFixed(1)}–${all.at(-1).wallS.toFixed(1)})` : '',
    failed: all.reduce((sum, r) => sum + r.failed, 0),
    getErrors: all.reduce((sum, r) => sum + r.getErrors, 0),
    conflicts: all.reduce((sum, r) => sum + r.conflicts, 0),
  };
});
const header = [
  'engines',
  'wall s',
  'resources/s',
  'stacks/s',
  'create p50/p99 ms',
  'GET p50/p99 ms',
  'stack create p50/p99 s',
  'GETs (non-200)',
  'complete/failed',
  'stacks per engine',
  'CPU s api/engines/db',
  'engine CPU ms/resource',
  'deadlock/serialization',
];
const rows = results.map((r) => [
  String(r.engines),
  `${r.wallS.toFixed(1)}${r.wallRange}`,
  r.resourcesPerS.toFixed(0),
  r.stacksPerS.toFixed(1),
  `${r.createP50}/${r.createP99}`,
  `${r.getP50}/${r.getP99}`,
  `${(r.stackP50 / 1000).toFixed(1)}/${(r.stackP99 / 1000).toFixed(1)}`,
  `${r.gets} (${r.getErrors})`,
  `${r.complete}/${r.failed}`,
  r.spread.join('+'),
  `${r.apiCpuS.toFixed(1)}/${r.enginesCpuS.toFixed(1)}/${r.dbCpuS.toFixed(1)}`,
  ((r.enginesCpuS * 1000) / (STACKS * RESOURCES)).toFixed(2),
  String(r.conflicts),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
const bad = results.filter((r) => r.failed > 0 || r.conflicts > 0 || r.getErrors > 0);
if (bad.length > 0) {
  console.error('engines bench: failed stacks, failed GETs or deadlock/serialization errors (see above)');
  process.exit(1);
}
