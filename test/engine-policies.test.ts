/**
 * Engine behaviour around a resource's life, in-process over a real SQLite store: create retries after
 * ResourceInError (Heat's action_retry_limit), deletion_policy Retain, and the update preview naming the property
 * that forces a replacement.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import type { ResourcePlugin } from '../src/engine/plugin.js';
import { builtinPluginSource } from '../src/server/plugins.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { SqlStore } from '../src/store/sql-store.js';

/** A real plugin whose creates fail with ResourceInError a given number of times per resource. */
function flakyPlugin(failures: number): ResourcePlugin & { attempts: Map<string, number> } {
  const attempts = new Map<string, number>();
  return {
    type: 'Test::Flaky',
    properties: {},
    attributes: { attempts: { description: 'create attempts' } },
    attempts,
    async create(_props, ctx) {
      const n = (attempts.get(ctx.state.id) ?? 0) + 1;
      attempts.set(ctx.state.id, n);
      if (n <= failures) {
        const e = new Error(`went to ERROR on attempt ${n}`);
        e.name = 'ResourceInError';
        throw e;
      }
      return { physicalId: `flaky-${n}`, attributes: { attempts: n } };
    },
    async delete() {},
  };
}

let store: SqlStore;
let engine: Engine;
const flaky = flakyPlugin(2);

beforeAll(async () => {
  store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'hearth-pol-')), 'db.sqlite'));
  const builtin = builtinPluginSource();
  engine = new Engine(store, {
    get: (t) => (t === 'Test::Flaky' ? flaky : builtin.get(t)),
    types: () => [...builtin.types(), 'Test::Flaky'],
    providerTemplate: builtin.providerTemplate,
  });
  await engine.start();
});

afterAll(async () => {
  await engine?.close();
  await store?.close();
});

async function created(name: string, template: Record<string, unknown>) {
  const s = await engine.createStack('p', { stackName: name, template });
  await engine.settle(s.id);
  return engine.showStack('p', s.id);
}

describe('create retries', () => {
  it('retries a create that failed with ResourceInError, and reports each attempt', async () => {
    const s = await created('retry', {
      heat_template_version: '2021-04-16',
      resources: { f: { type: 'Test::Flaky' } },
    });
    expect(s.status).toBe('COMPLETE');
    const out = await engine.listEvents('p', s.id, {});
    const retries = out.filter((e) => e.resourceName === 'f' && e.reason.includes('retrying'));
    expect(retries).toHaveLength(2);
    expect(retries[0]!.reason).toContain('ResourceInError: resources.f: went to ERROR on attempt 1');
    const r = await engine.showResource('p', s.id, 'f');
    expect(r.physicalId).toBe('flaky-3');
  });
});

describe('deletion_policy', () => {
  it('Retain keeps the physical resource (here a child stack) when the stack is deleted', async () => {
    const child = { heat_template_version: '2021-04-16', resources: { n: { type: 'OS::Heat::None' } } };
    const s = await created('retain', {
      heat_template_version: '2021-04-16',
      resources: {
        kept: {
          type: 'OS::Heat::Stack',
          deletion_policy: 'Retain',
          properties: { template: JSON.stringify(child) },
        },
        gone: { type: 'OS::Heat::Stack', properties: { template: JSON.stringify(child) } },
      },
    });
    expect(s.status).toBe('COMPLETE');
    const resources = await engine.listResources('p', s.id);
    const keptId = resources.find((r) => r.name === 'kept')!.nestedStackId!;
    const goneId = resources.find((r) => r.name === 'gone')!.nestedStackId!;
    await engine.deleteStack('p', s.id);
    await engine.settle(s.id);
    expect((await store.getStack(s.id))!.status).toBe('COMPLETE');
    const kept = await store.getStack(keptId);
    expect(kept?.deletedAt).toBeNull();
    expect(kept?.status).toBe('COMPLETE');
    const gone = await store.getStack(goneId);
    expect(gone?.action).toBe('DELETE');
    expect(gone?.deletedAt).not.toBeNull();
  });
});

describe('update preview', () => {
  it('names the property that forces a replacement and agrees with the update', async () => {
    const t = (salt: string, value: string) => ({
      heat_template_version: '2021-04-16',
      resources: {
        rnd: { type: 'OS::Heat::RandomString', properties: { length: 8, salt } },
        val: { type: 'OS::Heat::Value', properties: { value } },
        uses: { type: 'OS::Heat::Value', properties: { value: { get_attr: ['rnd', 'value'] } } },
        same: { type: 'OS::Heat::Value', properties: { value: 'x' } },
      },
    });
    const s = await created('prev', t('a', 'one'));
    const preview = await engine.previewUpdateStack('p', s.id, { template: t('b', 'two') });
    const names = (k: keyof typeof preview.resource_changes) =>
      preview.resource_changes[k].map((c) => c.resource_name).sort();
    expect(names('replaced')).toEqual(['rnd']);
    expect(names('updated')).toEqual(['uses', 'val']);
    expect(names('unchanged')).toEqual(['same']);
    const rnd = preview.hearth_changes.find((c) => c.resource === 'rnd')!;
    expect(rnd.reason).toBe('property "salt" cannot be updated in place');
    expect(rnd.properties).toEqual([
      { name: 'salt', old: 'a', new: 'b', updateAllowed: false, immutable: false },
    ]);
    const uses = preview.hearth_changes.find((c) => c.resource === 'uses')!;
    expect(uses.properties[0]!.new).toBe('(known after update)');

    const before = await engine.listResources('p', s.id);
    await engine.updateStack('p', s.id, { template: t('b', 'two') });
    await engine.settle(s.id);
    const after = await engine.listResources('p', s.id);
    const phys = (rs: typeof before, n: string) => rs.find((r) => r.name === n)!.physicalId;
    expect(phys(after, 'rnd')).not.toBe(phys(before, 'rnd'));
    expect(phys(after, 'val')).toBe(phys(before, 'val'));
    expect(after.find((r) => r.name === 'same')!.action).toBe('CREATE');
    expect(after.find((r) => r.name === 'uses')!.action).toBe('UPDATE');
  });
});

describe('limits and restrictions', () => {
  it('counts max_resources_per_stack over the whole tree: a group counts as its members', async () => {
    const small = new Engine(store, builtinPluginSource(), { limits: { maxResourcesPerStack: 5 } });
    const s = await small.createStack('p', {
      stackName: 'toobig',
      template: {
        heat_template_version: '2021-04-16',
        resources: {
          extra: { type: 'OS::Heat::None' },
          g: {
            type: 'OS::Heat::ResourceGroup',
            properties: { count: 5, resource_def: { type: 'OS::Heat::None' } },
          },
        },
      },
    });
    await small.settle(s.id);
    const shown = await small.showStack('p', s.id);
    expect(shown.status).toBe('FAILED');
    expect(shown.statusReason).toContain(
      'Maximum resources per stack exceeded: the stack tree would have 6 resources',
    );
    await small.close();
  });

  it('refuses a replacement restricted by the environment (restricted_actions) and changes nothing', async () => {
    const t = (salt: string) => ({
      heat_template_version: '2021-04-16',
      resources: { rnd: { type: 'OS::Heat::RandomString', properties: { salt } } },
    });
    const environment = { resource_registry: { resources: { rnd: { restricted_actions: 'replace' } } } };
    const s = await engine.createStack('p', { stackName: 'restricted', template: t('a'), environment });
    await engine.settle(s.id);
    const before = (await engine.listResources('p', s.id))[0]!.physicalId;
    await engine.updateStack('p', s.id, { template: t('b'), environment });
    await engine.settle(s.id);
    const shown = await engine.showStack('p', s.id);
    expect(shown.status).toBe('FAILED');
    expect(shown.statusReason).toContain(
      'ResourceActionRestricted: resources.rnd: replace is restricted for resource.',
    );
    expect((await engine.listResources('p', s.id))[0]!.physicalId).toBe(before);
  });
});
