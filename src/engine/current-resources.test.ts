/**
 * {@link CurrentResources}: a resource found by stack and name through a remembered row id is always the current
 * row of that name; a hint that no longer holds (the row was replaced or deleted) falls back to listing the stack.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPluginSource } from '../server/plugins.js';
import type { SqlStore } from '../store/sql-store.js';
import { openSqliteStore } from '../store/sqlite.js';
import { CurrentResources } from './current-resources.js';
import { Engine } from './engine.js';

let store: SqlStore;
let engine: Engine;
let stackId: string;

beforeAll(async () => {
  store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'hearth-current-')), 'db.sqlite'));
  engine = new Engine(store, builtinPluginSource());
  await engine.start();
  const template = {
    heat_template_version: '2018-08-31',
    resources: { a: { type: 'OS::Heat::None' }, b: { type: 'OS::Heat::None' } },
  };
  stackId = (await engine.createStack('p', { stackName: 'current', template })).id;
  for (let i = 0; i < 200 && (await store.getStack(stackId))?.status !== 'COMPLETE'; i++)
    await new Promise((r) => setTimeout(r, 10));
});

afterAll(async () => {
  await engine?.close();
  await store?.close();
});

/** The real store, counting how often a whole stack's rows are listed. */
function counting(): { reads: Pick<SqlStore, 'getResource' | 'listResources'>; listed: () => number } {
  let listed = 0;
  return {
    reads: {
      getResource: (id) => store.getResource(id),
      listResources: (id) => {
        listed++;
        return store.listResources(id);
      },
    },
    listed: () => listed,
  };
}

describe('CurrentResources', () => {
  it('lists the stack once, then reads the remembered row', async () => {
    const { reads, listed } = counting();
    const index = new CurrentResources(reads);
    const first = await index.find(stackId, 'a');
    const again = await index.find(stackId, 'a');
    expect(first?.name).toBe('a');
    expect(again?.id).toBe(first?.id);
    expect(listed()).toBe(1);
    expect(await index.find(stackId, 'missing')).toBeUndefined();
    expect(await index.find('no-such-stack', 'a')).toBeUndefined();
  });

  it('keeps at most its capacity of hints', async () => {
    const { reads, listed } = counting();
    const index = new CurrentResources(reads, 1);
    await index.find(stackId, 'a');
    await index.find(stackId, 'b');
    await index.find(stackId, 'a'); // 'a' was dropped for 'b': listed again
    expect(listed()).toBe(3);
  });

  it('never answers with a row that is no longer current', async () => {
    const { reads, listed } = counting();
    const index = new CurrentResources(reads);
    const b = await index.find(stackId, 'b');
    expect(b?.current).toBe(true);
    await store.apply([{ kind: 'updateResource', id: b!.id, patch: { current: false } }]);
    expect(await index.find(stackId, 'b')).toBeUndefined();
    expect(listed()).toBe(2);
  });
});
