import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodStatus } from '../../runtime/pods/status.js';
import { deployTimeoutSeconds, kubeletConfigs, podNameOf } from './desired.js';
import { ManifestDirectory } from './manifests.js';
import { judgePod, kubeletSignal } from './outcome.js';

const container = (extra: Partial<ContainerStatus>): ContainerStatus => ({
  name: 'web',
  image: 'img:1',
  state: 'running',
  ready: true,
  restartCount: 0,
  ...extra,
});
const pod = (containers: ContainerStatus[], extra: Partial<PodStatus> = {}): PodStatus => ({
  name: 'p',
  phase: 'Running',
  ready: containers.every((c) => c.ready),
  initContainers: [],
  containers,
  ...extra,
});

describe('kubelet outcome', () => {
  it('is ready when every container is ready, waits on creation and readiness', () => {
    expect(judgePod(pod([container({})]))).toEqual({ kind: 'ready' });
    expect(
      judgePod(pod([container({ state: 'waiting', ready: false, reason: 'ContainerCreating' })])).kind,
    ).toBe('waiting');
    expect(judgePod(pod([container({ ready: false, reason: 'ReadinessProbeFailed' })])).kind).toBe('waiting');
  });

  it("fails at once with the container's own error and exit code", () => {
    const exited = container({
      state: 'terminated',
      ready: false,
      reason: 'Error',
      exitCode: 3,
      message: 'exited with code 3',
    });
    expect(judgePod(pod([exited], { phase: 'Failed' }))).toEqual({
      kind: 'failed',
      statusCode: 3,
      message: 'container web (img:1): Error: exited with code 3',
    });
    const missing = container({
      state: 'waiting',
      ready: false,
      reason: 'ImageMissing',
      message: 'never pulls',
    });
    expect(judgePod(pod([missing], { phase: 'Pending' }))).toMatchObject({ kind: 'failed', statusCode: 1 });
  });

  it('signals per-container state and figures keyed pod/container', () => {
    const s = kubeletSignal(pod([container({})]), { kind: 'ready' }, [
      { pod: 'p', container: 'web', cpuSeconds: 0.5, memoryBytes: 10, memoryLimitBytes: 20, restartCount: 1 },
    ]);
    expect(s).toMatchObject({
      deploy_status_code: 0,
      containers: {
        'p/web': { state: 'running', ready: true, restarts: 1, cpu_seconds: 0.5, memory_bytes: 10 },
      },
    });
  });
});

describe('kubelet desired set and manifest directory', () => {
  const config = (id: string, group: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: 'cfg',
    group,
    config: { version: 'v1beta2', containers: [] },
    inputs: [
      { name: 'deploy_signal_id', value: `http://h/v1/p/agent/s/deployments/DEP-${id}/signal` },
      { name: 'deploy_timeout', type: 'String', value: 7 },
    ],
    outputs: [],
    options: null,
    ...extra,
  });

  it('keeps kubelet deployments, names pods after the deployment, reads deploy_timeout', () => {
    const kept = kubeletConfigs([config('a', 'kubelet'), config('b', 'script')]);
    expect(kept.map((c) => c.id)).toEqual(['a']);
    expect(podNameOf(kept[0]!)).toBe('dep-a');
    expect(deployTimeoutSeconds(kept[0]!)).toBe(7);
  });

  it('rewrites the directory to exactly the current set', () => {
    const dir = new ManifestDirectory(mkdtempSync(join(tmpdir(), 'hearth-kubelet-')));
    dir.replaceAll([
      { pod: 'one', manifest: { a: 1 } },
      { pod: 'two', manifest: { b: 2 } },
    ]);
    writeFileSync(join(dir.path, 'notes.txt'), 'kept: not a manifest');
    dir.replaceAll([{ pod: 'two', manifest: { b: 3 } }]);
    expect(readdirSync(dir.path).sort()).toEqual(['notes.txt', 'two.json']);
    expect(dir.readAll().entries).toEqual([{ pod: 'two', manifest: { b: 3 } }]);
  });
});
