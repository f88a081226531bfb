#!/usr/bin/env node
// Crash-convergence figures: runs test/convergence/crash.test.ts (seeded SIGKILLs of a real `hearth server`
// during create / update / rollback / delete of a 200-resource stack, then restarts) and prints rounds, kills,
// kills that interrupted an action, and the time to converge after restart (p50 / p95 / max, overall and per
// action). Build first (npm run build).
//
//   node bench/crash.mjs [--rounds N] [--seed S] [--ops create,update,rollback,delete] [--failure early|late|mixed]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const dir = mkdtempSync(join(tmpdir(), 'hearth-crash-bench-'));
const figuresFile = join(dir, 'figures.json');
const env = { ...process.env, HEARTH_CRASH_FIGURES: figuresFile };
if (arg('rounds')) env.HEARTH_CRASH_ROUNDS = arg('rounds');
if (arg('seed')) env.HEARTH_CRASH_SEED = arg('seed');
if (arg('ops')) env.HEARTH_CRASH_OPS = arg('ops');
if (arg('failure')) env.HEARTH_CRASH_FAILURE = arg('failure');

const started = Date.now();
const run = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/convergence/crash.test.ts'],
  { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
const wallS = ((Date.now() - started) / 1000).toFixed(1);

let report;
try {
  report = JSON.parse(readFileSync(figuresFile, 'utf8'));
} catch {
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  console.error('crash bench: the test wrote no figures (see its output above)');
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const f = report.figures;
const ms = (x) => `${Math.round(x)} ms`;
console.log(`crash convergence — seed ${f.seed}, wall ${wallS} s`);
console.log(
  `rounds ${f.rounds}   kills ${f.kills} (during an action: ${f.killsDuringAction}, resumed actions: ${f.resumedActions})`,
);
console.log(
  `restart (spawn → answering)      p50 ${ms(f.restartMs.p50)}   p95 ${ms(f.restartMs.p95)}   max ${ms(f.restartMs.max)}`,
);
console.log(
  `converge after restart (all)     p50 ${ms(f.convergeAfterRestartMs.p50)}   p95 ${ms(f.convergeAfterRestartMs.p95)}   max ${ms(f.convergeAfterRestartMs.max)}`,
);
for (const [op, x] of Object.entries(f.byOp)) {
  console.log(
    `  ${op.padEnd(9)} ${String(x.rounds).padStart(3)} rounds            p50 ${ms(x.p50)}   p95 ${ms(x.p95)}   max ${ms(x.max)}`,
  );
}
if (f.rollbackReplacedRestored + f.rollbackReplacedNotRestored > 0) {
  console.log(
    `rollback: replaced resources restored to their original ${f.rollbackReplacedRestored}, re-created ${f.rollbackReplacedNotRestored}`,
  );
}
const bad = report.results.filter((r) => r.problems.length > 0);
if (bad.length > 0 || run.status !== 0) {
  console.log(`FAILED: ${bad.length} round(s) with problems (replay: --seed ${f.seed})`);
  for (const r of bad) console.log(`  round ${r.round} ${r.op}: ${r.problems.slice(0, 5).join(' | ')}`);
  process.exit(1);
}
