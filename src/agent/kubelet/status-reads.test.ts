import { describe, expect, it } from 'vitest';
import type { PodStatus } from '../../runtime/pods/status.js';
import { StatusReads } from './status-reads.js';

const running = (name: string): PodStatus => ({
  name,
  phase: 'Running',
  ready: true,
  initContainers: [],
  containers: [],
});

describe('StatusReads', () => {
  it('gathers the asks of one turn, and those made during a read, into one read each', async () => {
    const reads: string[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const batches = new StatusReads(async (pods) => {
      reads.push([...pods]);
      if (reads.length === 1) await gate;
      return pods.filter((p) => p !== 'gone').map(running);
    });
    const first = [batches.of('a'), batches.of('b'), batches.of('a')];
    await new Promise((r) => setImmediate(r));
    const during = [batches.of('c'), batches.of('gone')];
    release();
    const [a, b, a2] = await Promise.all(first);
    const [c, gone] = await Promise.all(during);
    expect(reads).toEqual([
      ['a', 'b'],
      ['c', 'gone'],
    ]);
    expect([a?.name, b?.name, a2?.name, c?.name, gone]).toEqual(['a', 'b', 'a', 'c', undefined]);
  });

  it('passes a failed read to every ask of its batch, and reads again afterwards', async () => {
    let fail = true;
    const batches = new StatusReads(async (pods) => {
      if (fail) throw new Error('docker is away');
      return pods.map(running);
    });
    const asks = [batches.of('a'), batches.of('b')];
    for (const ask of asks) await expect(ask).rejects.toThrow('docker is away');
    fail = false;
    expect((await batches.of('a'))?.ready).toBe(true);
  });
});
