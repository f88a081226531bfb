import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { WriteOp } from '../engine/store.js';
import { fixtureEvent, fixtureResource, fixtureStack, temporaryDirectory } from './fixtures.js';
import type { SqlStore } from './sql-store.js';
import { openSqliteStore } from './sqlite.js';

/** Prints (does not assert) how long big batches take; the target is 5000 ops under 150 ms on SQLite. */
describe('apply speed', () => {
  const dir = temporaryDirectory();
  let store: SqlStore;
  beforeAll(async () => {
    store = await openSqliteStore(join(dir.path, 'speed.db'));
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  async function timed(label: string, ops: WriteOp[]): Promise<void> {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await store.apply(ops);
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `[store speed] ${label}: ${ops.length} ops in ${ms.toFixed(1)} ms (CPU ${cpuMs.toFixed(1)} ms)`,
    );
  }

  it('applies 5000-op batches', async () => {
    for (let round = 0; round < 3; round++) {
      const stack = fixtureStack();
      const resources = Array.from({ length: 1000 }, (_, i) =>
        fixtureResource(stack.id, {
          name: `r${i}`,
          properties: { size: i, name: `n${i}`, tags: ['a', 'b'] },
        }),
      );
      // creation: the stack, 1000 resources, then per resource an IN_PROGRESS event
      const create: WriteOp[] = [{ kind: 'insertStack', stack }];
      for (const resource of resources) create.push({ kind: 'insertResource', resource });
      for (const resource of resources)
        create.push({ kind: 'insertEvent', event: fixtureEvent(stack.id, { resourceName: resource.name }) });
      // state transitions interleaved with their events, the way a converging engine group-commits them
      const transitions: WriteOp[] = [];
      for (const resource of resources) {
        transitions.push(
          {
            kind: 'updateResource',
            id: resource.id,
            patch: { status: 'COMPLETE', physicalId: `p-${resource.name}` },
          },
          {
            kind: 'insertEvent',
            event: fixtureEvent(stack.id, { resourceName: resource.name, status: 'COMPLETE' }),
          },
        );
      }
      const updates = resources.flatMap((resource): WriteOp[] => [
        { kind: 'updateResource', id: resource.id, patch: { action: 'UPDATE', status: 'IN_PROGRESS' } },
        { kind: 'insertEvent', event: fixtureEvent(stack.id, { action: 'UPDATE' }) },
      ]);
      const mixed = [...create, ...transitions, ...updates].slice(0, 5000);
      await timed(`round ${round} create + interleaved transitions`, mixed);
      await timed(`round ${round} interleaved updates only`, [
        ...[...transitions, ...updates].slice(5000 - create.length),
        ...resources.flatMap((resource): WriteOp[] => [
          { kind: 'updateResource', id: resource.id, patch: { action: 'CHECK', status: 'COMPLETE' } },
          { kind: 'insertEvent', event: fixtureEvent(stack.id, { action: 'CHECK' }) },
        ]),
        ...resources.map((resource): WriteOp => ({
          kind: 'updateResource',
          id: resource.id,
          patch: { statusReason: 'done', attributes: { x: 1 } },
        })),
      ]);
      expect((await store.listResources(stack.id)).length).toBe(1000);
    }
  });
});
