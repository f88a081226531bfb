import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from './deployment.js';
import { AgentState } from './state.js';

const config = (id: string): DeploymentConfig => ({
  id,
  name: id,
  group: 'script',
  config: 'x',
  inputs: [],
  outputs: [],
  options: null,
});

describe('AgentState markers', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'hearth-state-')), 'state');
  const state = new AgentState(root);

  it('creates its directories private (0700)', () => {
    for (const d of ['', 'deployed', 'run', 'heat-config-script', 'outputs']) {
      expect(statSync(join(root, d)).mode & 0o777).toBe(0o700);
    }
  });

  it('writes a deployed marker once: a second start of the same deployment is refused', () => {
    expect(state.isDeployed('a')).toBe(false);
    expect(state.markDeployed(config('a'))).toBe(true);
    expect(state.markDeployed(config('a'))).toBe(false);
    expect(state.isDeployed('a')).toBe(true);
    expect(state.readDeployed('a')).toEqual(config('a'));
    expect(statSync(state.deployedPath('a')).mode & 0o777).toBe(0o600);
  });

  it('lists deployments started but not notified, until notified', () => {
    state.markDeployed(config('b'));
    expect(state.unfinished().sort()).toEqual(['a', 'b']);
    state.writeNotify('a', { deploy_status_code: 0 });
    expect(state.readNotify('a')).toEqual({ deploy_status_code: 0 });
    expect(state.readNotify('b')).toBeUndefined();
    expect(state.unfinished().sort()).toEqual(['a', 'b']);
    state.markNotified('a', 'delivered HTTP 200');
    expect(state.isNotified('a')).toBe(true);
    expect(state.unfinished()).toEqual(['b']);
    expect(existsSync(join(root, 'deployed', 'a.notified.tmp'))).toBe(false);
  });

  it('keeps the record of a detached hook', () => {
    expect(state.readRun('b')).toBeUndefined();
    state.writeRun('b', { pid: 123, startTicks: 456, kind: 'script' });
    expect(state.readRun('b')).toEqual({ pid: 123, startTicks: 456, kind: 'script' });
  });
});
