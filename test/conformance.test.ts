/**
 * The shared HOT conformance corpus (results recorded from real OpenStack Heat 19), run by its own runner against
 * a real `hearth server` process.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCorpusPassed, runNode, SHARED, startHearth, type HearthProcess } from './helpers/hearth.js';

let server: HearthProcess;

beforeAll(async () => {
  server = await startHearth();
});

afterAll(async () => {
  await server?.stop();
});

describe('HOT conformance corpus', () => {
  it('passes every case recorded from Heat 19', async () => {
    const { code, output } = await runNode([
      join(SHARED, 'conformance', 'run.mjs'),
      '--endpoint',
      server.endpoint('conf'),
      '--jobs',
      '4',
      '--verbose',
      join(SHARED, 'conformance', 'hot'),
    ]);
    const failures = output.split('\n').filter((l) => l.startsWith('FAIL'));
    const summary = output.trim().split('\n').pop();
    console.log(`conformance: ${summary}`);
    expect(failures, output).toEqual([]);
    expect(code, output).toBe(0);
    expectCorpusPassed(output, join(SHARED, 'conformance', 'hot'));
  }, 600_000);
});
