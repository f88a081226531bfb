import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from './deployment.js';
import { BUILTIN_HOOKS, planHook, runJsonFileHook, sanitizeGroup } from './hooks.js';
import { AgentState } from './state.js';

const dir = mkdtempSync(join(tmpdir(), 'hearth-hooks-'));
const state = new AgentState(join(dir, 'state'));
const hooksDir = join(dir, 'hooks');
mkdirSync(hooksDir);

function config(
  group: string,
  config: unknown = '',
  inputs: DeploymentConfig['inputs'] = [],
): DeploymentConfig {
  return { id: `id-${group.length}`, name: 'n', group, config, inputs, outputs: [], options: null };
}

function hook(name: string, mode = 0o755): string {
  const path = join(hooksDir, name);
  writeFileSync(path, '#!/bin/sh\necho "{}"\n');
  chmodSync(path, mode);
  return path;
}

describe('sanitizeGroup', () => {
  it('keeps letters, digits, - and _ only (no path can be named)', () => {
    expect(sanitizeGroup('Heat::Ungrouped')).toBe('HeatUngrouped');
    expect(sanitizeGroup('../../bin/sh')).toBe('binsh');
    expect(sanitizeGroup('apply-config_2')).toBe('apply-config_2');
    expect(sanitizeGroup('a b\0c;d')).toBe('abcd');
  });
});

describe('planHook', () => {
  it('prefers an executable in the hooks directory, fed the config marker on stdin', () => {
    const path = hook('script');
    const plan = planHook(state, config('script'), hooksDir);
    expect(plan).toMatchObject({
      kind: 'process',
      command: { kind: 'custom', file: path, stdinFile: state.deployedPath('id-6') },
    });
    chmodSync(path, 0o644);
    expect(planHook(state, config('script'), hooksDir)).toMatchObject({ command: { kind: 'script' } });
  });

  it('looks the hook up by the sanitised group name', () => {
    const path = hook('puppetapply');
    expect(planHook(state, config('puppet::apply'), hooksDir)).toMatchObject({ command: { file: path } });
  });

  it('writes a script (0700) with the inputs as its environment', () => {
    const c = config('script', '#!/bin/sh\necho hi\n', [
      { name: 'plain', value: 'text' },
      { name: 'map', value: { a: 1 } },
      { name: 'bad=name', value: 'skipped' },
    ]);
    const plan = planHook(state, c, undefined);
    if (plan.kind !== 'process') throw new Error('not a process');
    expect(readFileSync(plan.command.file, 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(plan.command.file).mode & 0o777).toBe(0o700);
    expect(plan.command.env).toMatchObject({
      plain: 'text',
      map: '{"a":1}',
      heat_outputs_path: state.outputsPath(c.id),
    });
    expect(plan.command.env['bad=name']).toBeUndefined();
  });

  it('fails Heat::Ungrouped and unknown groups at once, saying why', () => {
    const ungrouped = planHook(state, config('Heat::Ungrouped'), hooksDir);
    expect(ungrouped).toMatchObject({ kind: 'signal', signal: { deploy_status_code: 1 } });
    expect(JSON.stringify(ungrouped)).toContain('has no hook');
    const unknown = planHook(state, config('ansible'), hooksDir);
    expect(JSON.stringify(unknown)).toContain(
      `No hook for deployment group \\"ansible\\": it is not built in (${BUILTIN_HOOKS.join(', ')}) and ${join(hooksDir, 'ansible')} is not an executable file.`,
    );
    expect(JSON.stringify(planHook(state, config('ansible'), undefined))).toContain(
      'no --hooks-dir was given',
    );
  });
});

describe('runJsonFileHook', () => {
  it('writes each file as sorted, indented JSON', () => {
    const file = join(dir, 'out', 'conf.json');
    expect(runJsonFileHook(config('json-file', { [file]: { b: 1, a: [{ d: 2, c: 3 }] } }))).toEqual({
      deploy_stdout: '',
      deploy_stderr: '',
      deploy_status_code: 0,
    });
    expect(readFileSync(file, 'utf8')).toBe(
      '{\n    "a": [\n        {\n            "c": 3,\n            "d": 2\n        }\n    ],\n    "b": 1\n}',
    );
  });

  it('refuses relative paths and configs that are not maps', () => {
    expect(runJsonFileHook(config('json-file', { 'rel/x.json': {} }))['deploy_stderr']).toBe(
      'json-file: "rel/x.json" is not an absolute path',
    );
    expect(runJsonFileHook(config('json-file', 'text'))['deploy_stderr']).toContain(
      'must be a map of absolute file paths to JSON values, got "text"',
    );
  });
});
