import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resumeHook, startHook, type HookCommand } from './hook-process.js';
import { AgentState } from './state.js';

const dir = mkdtempSync(join(tmpdir(), 'hearth-hook-process-'));
const state = new AgentState(join(dir, 'state'));

/** A command running `script` (with `stdin` as its input). */
function command(id: string, script: string, stdin = ''): HookCommand {
  const file = join(dir, `${id}.sh`);
  writeFileSync(file, script, { mode: 0o700 });
  const stdinFile = join(dir, `${id}.in`);
  writeFileSync(stdinFile, stdin);
  return { kind: 'custom', file, env: { PATH: process.env['PATH'] ?? '' }, stdinFile, cwd: dir };
}

describe('startHook', () => {
  it('runs the hook detached, streaming stdout lines, and collects its output and status', async () => {
    const lines: string[] = [];
    const running = startHook(
      state,
      'h1',
      command('h1', '#!/bin/sh\necho one\ncat\necho oops >&2\nprintf "no newline"\nexit 3\n', 'from stdin\n'),
      (line) => lines.push(line),
    );
    const started = Date.now();
    const result = await running.done;
    expect(result).toEqual({ stdout: 'one\nfrom stdin\nno newline', stderr: 'oops\n', statusCode: 3 });
    expect(lines).toEqual(['one', 'from stdin', 'no newline']);
    // Its end is seen through the wrapper's exit, not at the next look at its files.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(readFileSync(state.runPath('h1', 'rc'), 'utf8').trim()).toBe('3');
    expect(state.readRun('h1')).toMatchObject({ kind: 'custom', pid: expect.any(Number) as number });
  });

  it('reports a hook that cannot be executed with the shell status', async () => {
    const cmd = { ...command('h2', ''), file: join(dir, 'missing-hook') };
    const result = await startHook(state, 'h2', cmd, () => {}).done;
    expect(result.statusCode).toBe(127);
    expect(result.stderr).toContain('missing-hook');
  });
});

describe('resumeHook', () => {
  it('collects a finished hook without running it again and without repeating its output', async () => {
    const marker = join(dir, 'runs');
    await startHook(state, 'h3', command('h3', `#!/bin/sh\necho ran >> ${marker}\necho done\n`), () => {})
      .done;
    const lines: string[] = [];
    const resumed = resumeHook(state, 'h3', (line) => lines.push(line));
    expect(await resumed?.running.done).toEqual({ stdout: 'done\n', stderr: '', statusCode: 0 });
    expect(lines).toEqual([]);
    expect(readFileSync(marker, 'utf8')).toBe('ran\n');
    expect(resumeHook(state, 'never-started', () => {})).toBeUndefined();
  });
});
