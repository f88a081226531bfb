import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { builtinPluginSource } from '../server/plugins.js';
import { openTestStore, TEST_DIALECTS } from './testing/databases.js';

/** A template of `count` random strings, each depending on the previous one (a chain plus fan-out). */
function template(count: number, length: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    resources[`r${i}`] = {
      type: 'OS::Heat::RandomString',
      properties: { length: i % 5 === 0 ? length : 8 },
      ...(i >= 10 ? { depends_on: [`r${i % 10}`] } : {}),
    };
  }
  return { heat_template_version: '2021-04-16', resources };
}

describe.each(TEST_DIALECTS)('the engine on %s', (dialect) => {
  it('creates, updates (replacing 10) and deletes a 50-resource stack', async () => {
    const opened = await openTestStore(dialect);
    const engine = new Engine(opened.store, builtinPluginSource());
    try {
      await engine.start();
      const stack = await engine.createStack('p1', { stackName: 'fifty', template: template(50, 12) });
      await engine.settle(stack.id);
      const state = async () => {
        const record = await opened.store.getStack(stack.id);
        return `${record?.action}_${record?.status}`;
      };
      expect(await state()).toBe('CREATE_COMPLETE');
      const before = await opened.store.listResources(stack.id);
      expect(before.filter((r) => r.current)).toHaveLength(50);

      await engine.updateStack('p1', stack.id, { template: template(50, 16) });
      await engine.settle(stack.id);
      expect(await state()).toBe('UPDATE_COMPLETE');
      const after = (await opened.store.listResources(stack.id)).filter((r) => r.current);
      expect(after).toHaveLength(50);
      const beforeIds = new Map(before.map((r) => [r.name, r.physicalId]));
      const replaced = after.filter((r) => beforeIds.get(r.name) !== r.physicalId).map((r) => r.name);
      expect(replaced.sort()).toEqual(
        ['r0', 'r10', 'r15', 'r20', 'r25', 'r30', 'r35', 'r40', 'r45', 'r5'].sort(),
      );

      await engine.deleteStack('p1', stack.id);
      await engine.settle(stack.id);
      expect(await state()).toBe('DELETE_COMPLETE');
      expect((await opened.store.getStack(stack.id))?.deletedAt).not.toBeNull();
      const events = await opened.store.listEvents({ stackIds: [stack.id] });
      // IN_PROGRESS and COMPLETE of 50 creates, 10 replacements and 50 deletes, plus the stack's own.
      expect(events.length).toBeGreaterThanOrEqual(2 * (50 + 10 + 50));
    } finally {
      await engine.close();
      await opened.dispose();
    }
  }, 60_000);
});
