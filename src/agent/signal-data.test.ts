import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from './deployment.js';
import {
  CONTRACT_BROKEN_STATUS,
  customSignal,
  INTERRUPTED_STATUS,
  MAX_SIGNAL_BYTES,
  scriptSignal,
  trimSignal,
} from './signal-data.js';

const config = (outputs: string[]): DeploymentConfig => ({
  id: 'c1',
  name: 'n',
  group: 'script',
  config: '',
  inputs: [],
  outputs: outputs.map((name) => ({ name })),
  options: null,
});

describe('trimSignal', () => {
  it('leaves a signal under the limit as it is', () => {
    const signal = { deploy_stdout: 'out', deploy_stderr: 'err', deploy_status_code: 0, result: 'r' };
    expect(trimSignal(signal)).toBe(JSON.stringify(signal));
  });

  it('cuts the beginning of stdout and stderr to fit 950000 bytes, keeping their tails', () => {
    const stdout = `HEAD${'o'.repeat(1_500_000)}STDOUT-TAIL`;
    const stderr = `HEAD${'e'.repeat(300_000)}STDERR-TAIL`;
    const json = trimSignal({
      deploy_stdout: stdout,
      deploy_stderr: stderr,
      deploy_status_code: 2,
      out: 'kept',
    });
    const size = Buffer.byteLength(json);
    expect(size).toBeLessThanOrEqual(MAX_SIGNAL_BYTES);
    expect(size).toBeGreaterThan(MAX_SIGNAL_BYTES - 1000);
    const parsed = JSON.parse(json);
    expect(parsed.deploy_stdout.endsWith('STDOUT-TAIL')).toBe(true);
    expect(parsed.deploy_stderr.endsWith('STDERR-TAIL')).toBe(true);
    expect(parsed.deploy_stdout.startsWith('HEAD')).toBe(false);
    expect(parsed.deploy_stderr.startsWith('HEAD')).toBe(false);
    expect(parsed).toMatchObject({ deploy_status_code: 2, out: 'kept' });
    // Each stream loses in proportion to its size: stdout keeps more than stderr.
    expect(parsed.deploy_stdout.length).toBeGreaterThan(parsed.deploy_stderr.length);
  });

  it('fits multi-byte text too (bytes, not characters)', () => {
    const json = trimSignal(
      { deploy_stdout: `${'é€😀'.repeat(200_000)}end`, deploy_status_code: 0 },
      100_000,
    );
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(100_000);
    expect(JSON.parse(json).deploy_stdout.endsWith('end')).toBe(true);
    // Cut by bytes, not characters: nearly all of the budget is kept.
    expect(Buffer.byteLength(json)).toBeGreaterThan(99_000);
  });

  it('cannot cut what is not stdout or stderr: an oversized output stays', () => {
    const json = trimSignal({ result: 'r'.repeat(2000), deploy_stdout: 'x' }, 1000);
    expect(JSON.parse(json).result).toHaveLength(2000);
  });
});

describe('customSignal', () => {
  it('is the hook stdout when it is a JSON object', () => {
    const stdout = JSON.stringify({ deploy_stdout: 'a', deploy_status_code: 0, out: 1 });
    expect(customSignal({ stdout, stderr: 'ignored', statusCode: 0 })).toEqual({
      deploy_stdout: 'a',
      deploy_status_code: 0,
      out: 1,
    });
  });

  it('shows a non-zero exit even when the JSON says 0', () => {
    const stdout = JSON.stringify({ deploy_status_code: 0 });
    expect(customSignal({ stdout, stderr: 'boom', statusCode: 4 })).toEqual({
      deploy_stderr: 'boom',
      deploy_status_code: 4,
    });
  });

  it('fails a hook that exited 0 with stdout that is not a JSON object, saying why', () => {
    for (const stdout of ['plain text\n', '[1, 2]', '"a string"']) {
      const signal = customSignal({ stdout, stderr: 'warning', statusCode: 0 });
      expect(signal['deploy_status_code']).toBe(CONTRACT_BROKEN_STATUS);
      expect(signal['deploy_stdout']).toBe(stdout);
      expect(signal['deploy_stderr']).toMatch(
        /^warning\nThe hook exited 0 but its stdout is not a JSON object/,
      );
    }
  });

  it('keeps stdout, stderr and status of a crashed hook; empty stdout with exit 0 is a success (Heat)', () => {
    expect(customSignal({ stdout: 'half', stderr: 'crash', statusCode: 139 })).toEqual({
      deploy_stdout: 'half',
      deploy_stderr: 'crash',
      deploy_status_code: 139,
    });
    expect(customSignal({ stdout: '', stderr: '', statusCode: 0 })).toEqual({
      deploy_stdout: '',
      deploy_stderr: '',
      deploy_status_code: 0,
    });
  });

  it('marks a hook that vanished without an exit status', () => {
    const signal = customSignal({ stdout: '', stderr: 'partial', statusCode: null });
    expect(signal['deploy_status_code']).toBe(INTERRUPTED_STATUS);
    expect(signal['deploy_stderr']).toMatch(/^partial\nThe hook ended without an exit status/);
  });
});

describe('scriptSignal', () => {
  it('reads declared outputs from heat_outputs_path files (both layouts), never outside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-signal-'));
    const outputs = join(dir, 'outputs');
    mkdirSync(outputs);
    writeFileSync(join(outputs, 'result'), 'new layout\n');
    writeFileSync(`${outputs}.legacy`, 'heat layout');
    writeFileSync(join(dir, 'secret'), 'no');
    const signal = scriptSignal(config(['result', 'legacy', 'missing', '../secret']), outputs, {
      stdout: 'o',
      stderr: 'e',
      statusCode: 0,
    });
    expect(signal).toEqual({
      result: 'new layout\n',
      legacy: 'heat layout',
      deploy_stdout: 'o',
      deploy_stderr: 'e',
      deploy_status_code: 0,
    });
  });
});
