/**
 * The shared HOT conformance corpus (results recorded from real OpenStack Heat 19), run by its own runner against
 * a real `hearth server` process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED, startHearth, type HearthProcess } from './helpers/hearth.js';

let server: HearthProcess;

beforeAll(async () => {
  server = await startHearth();
});

afterAll(async () => {
  await server?.stop();
});

function runCorpus(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('HOT conformance corpus', () => {
  it('passes every case recorded from Heat 19', async () => {
    const { code, output } = await runCorpus([
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
  }, 600_000);
});
