/**
 * The shared lifecycle conformance corpus (multi-step cases recorded from real Heat 19: updates, rollback, cancel,
 * hooks, groups, API surface), run by its own runner against a real `hearth server` — with preview verification
 * on: every update is previewed when accepted and compared with what it then did, so a preview that disagrees
 * with its update fails this test, on every lifecycle case.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCorpusPassed, runNode, SHARED, startHearth, type HearthProcess } from './helpers/hearth.js';

let server: HearthProcess;

beforeAll(async () => {
  server = await startHearth({ env: { HEARTH_VERIFY_PREVIEWS: '1' }, extraArgs: FEATURE_ARGS });
});

afterAll(async () => {
  await server?.stop();
});

/** Heat's enable_stack_abandon / enable_stack_adopt, as server flags. */
const FEATURE_ARGS: string[] = ['--enable-abandon', '--enable-adopt'];
const FEATURES: string[] = ['abandon', 'adopt'];

describe('lifecycle conformance corpus', () => {
  it('passes every case recorded from Heat 19, and every update does what its preview said', async () => {
    const { code, output } = await runNode([
      join(SHARED, 'conformance', 'lifecycle.mjs'),
      '--endpoint',
      server.endpoint('life'),
      '--jobs',
      '4',
      ...(FEATURES.length > 0 ? ['--features', FEATURES.join(',')] : []),
      join(SHARED, 'conformance', 'lifecycle'),
    ]);
    const failures = output.split('\n').filter((l) => l.startsWith('FAIL'));
    console.log(`lifecycle: ${output.trim().split('\n').pop()}`);
    expect(failures, output).toEqual([]);
    expect(code, output).toBe(0);
    expectCorpusPassed(output, join(SHARED, 'conformance', 'lifecycle'));

    const file = join(server.dataDir, 'preview-checks.jsonl');
    expect(existsSync(file)).toBe(true);
    const checks = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { stackName: string; mismatches: string[] });
    console.log(`lifecycle: ${checks.length} completed updates compared with their previews`);
    expect(checks.length).toBeGreaterThan(20);
    expect(checks.filter((c) => c.mismatches.length > 0)).toEqual([]);
  }, 900_000);
});
