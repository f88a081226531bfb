/**
 * Crash-proof convergence, many times over: seeded rounds of create / update / rollback / delete on a
 * 200-resource stack (layers of TestResource with waits, a nested ResourceGroup), each with a SIGKILL of the
 * server at a random moment and a restart on the same data directory; after every round the stack must be
 * terminal and consistent (see docs/convergence.md).
 *
 *   HEARTH_CRASH_ROUNDS=N  number of rounds (default 30: about 80 s alone on 2 cores)
 *   HEARTH_CRASH_SEED=S    replay a seed (printed at the start)
 *   HEARTH_CRASH_OPS=a,b   restrict the stack's life to these actions (create,update,rollback,delete)
 *   HEARTH_CRASH_FAILURE=early|late|mixed  where rollback rounds put the failing resource
 *   HEARTH_CRASH_FIGURES=F write the figures as JSON to F (bench/crash.mjs)
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figuresOf, runCrashRounds, type RoundOp } from './driver.js';
import { seedFromEnv } from './prng.js';

const ROUNDS = Number(process.env['HEARTH_CRASH_ROUNDS'] ?? 30);
const SEED = seedFromEnv();
const FAILURE = (process.env['HEARTH_CRASH_FAILURE'] ?? 'mixed') as 'early' | 'late' | 'mixed';
const OPS = (process.env['HEARTH_CRASH_OPS'] ?? 'create,update,rollback,delete').split(',') as RoundOp[];

describe('SIGKILL at random moments of a 200-resource stack life, then restart', () => {
  it(`converges after every kill (seed ${SEED}, ${ROUNDS} rounds)`, async () => {
    console.log(`crash convergence: HEARTH_CRASH_SEED=${SEED} HEARTH_CRASH_ROUNDS=${ROUNDS}`);
    const results = await runCrashRounds({
      rounds: ROUNDS,
      seed: SEED,
      ops: OPS,
      failure: FAILURE,
      log: (l) => console.log(l),
    });
    const figures = figuresOf(results, SEED);
    console.log(JSON.stringify(figures));
    const out = process.env['HEARTH_CRASH_FIGURES'];
    if (out) writeFileSync(out, JSON.stringify({ figures, results }, null, 2));
    const failed = results.filter((r) => r.problems.length > 0);
    expect(
      failed.map((r) => `round ${r.round} ${r.op} (seed ${SEED}): ${r.problems.join(' | ')}`),
      `replay with HEARTH_CRASH_SEED=${SEED}`,
    ).toEqual([]);
    expect(results).toHaveLength(ROUNDS);
    for (const op of OPS) {
      if (ROUNDS >= 5) expect(results.some((r) => r.op === op)).toBe(true);
    }
  }, 1_800_000);
});
