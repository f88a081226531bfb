/**
 * Stack operations in-process (real SQLite in a temporary directory): suspend/resume/check (nested stacks
 * included), mark unhealthy, export/abandon/adopt, snapshots and restore, and resuming an operation after a
 * restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeatError } from '../src/template/errors.js';
import { startServer, type RunningServer } from '../src/server/start.js';
import { openSqliteStore } from '../src/store/sqlite.js';

const P = 'proj';
let server: RunningServer;
let dataDir: string;

async function boot(): Promise<void> {
  server = await startServer({ listen: '127.0.0.1:0', dataDir, insecureNoauth: true });
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hearth-ops-'));
  await boot();
});
afterEach(async () => {
  await server?.close();
});

const chain = {
  heat_template_version: '2018-08-31',
  resources: {
    a: { type: 'OS::Heat::TestResource' },
    b: { type: 'OS::Heat::TestResource', properties: { value: { get_attr: ['a', 'output'] } } },
    n: { type: 'OS::Heat::None' },
  },
};

async function created(
  name: string,
  template: unknown,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const s = await server.engine.createStack(P, { stackName: name, template, ...extra });
  await server.engine.settle(s.id);
  const shown = await server.engine.showStack(P, s.id);
  expect(`${shown.action}_${shown.status}`).toBe('CREATE_COMPLETE');
  return s.id;
}

async function act(id: string, action: string): Promise<string> {
  await server.engine.stackAction(P, id, action);
  await server.engine.settle(id);
  const s = await server.engine.showStack(P, id, { resolveOutputs: false });
  return `${s.action}_${s.status} ${s.statusReason}`;
}

async function resources(id: string, depth = 0): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of await server.engine.listResources(P, id, { nestedDepth: depth }))
    out[r.name] = `${r.action}_${r.status} ${r.statusReason}`;
  return out;
}

async function eventLines(id: string): Promise<string[]> {
  return (await server.engine.listEvents(P, id, { sortDir: 'asc' })).map(
    (e) => `${e.resourceName} ${e.action}_${e.status} ${e.reason}`,
  );
}

async function heatErrorOf(p: Promise<unknown>): Promise<HeatError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HeatError);
  return e as HeatError;
}

describe('suspend / resume', () => {
  it('suspends dependents first, resumes dependencies first, keeps physical ids', async () => {
    const id = await created('sr', chain);
    const before = await server.engine.listResources(P, id);
    expect(await act(id, 'suspend')).toBe('SUSPEND_COMPLETE Stack SUSPEND completed successfully');
    expect(await resources(id)).toEqual({
      a: 'SUSPEND_COMPLETE state changed',
      b: 'SUSPEND_COMPLETE state changed',
      n: 'SUSPEND_COMPLETE state changed',
    });
    let events = await eventLines(id);
    expect(events.indexOf('b SUSPEND_COMPLETE state changed')).toBeLessThan(
      events.indexOf('a SUSPEND_IN_PROGRESS state changed'),
    );
    expect(events).toContain('sr SUSPEND_IN_PROGRESS Stack SUSPEND started');

    // Suspending again does nothing; updating is refused.
    const count = events.length;
    expect(await act(id, 'suspend')).toBe('SUSPEND_COMPLETE Stack SUSPEND completed successfully');
    expect((await eventLines(id)).length).toBe(count);
    const err = await heatErrorOf(server.engine.updateStack(P, id, { template: chain }));
    expect([err.type, err.message]).toEqual([
      'NotSupported',
      'Updating a stack when it is suspended is not supported.',
    ]);

    expect(await act(id, 'resume')).toBe('RESUME_COMPLETE Stack RESUME completed successfully');
    events = await eventLines(id);
    expect(events.indexOf('a RESUME_COMPLETE state changed')).toBeLessThan(
      events.indexOf('b RESUME_IN_PROGRESS state changed'),
    );
    const after = await server.engine.listResources(P, id);
    expect(after.map((r) => r.physicalId)).toEqual(before.map((r) => r.physicalId));
  });

  it('refuses to resume resources that are not suspended, with Heat reasons', async () => {
    const id = await created('rr', {
      heat_template_version: '2018-08-31',
      resources: { a: { type: 'OS::Heat::None' } },
    });
    expect(await act(id, 'resume')).toBe(
      "RESUME_FAILED Resource RESUME failed: Error: resources.a: State ('CREATE', 'COMPLETE') invalid for resume",
    );
    expect((await resources(id))['a']).toBe('CREATE_COMPLETE state changed');
  });

  it('refuses a second action while one is in progress', async () => {
    const slow = {
      heat_template_version: '2018-08-31',
      resources: { w: { type: 'OS::Heat::TestResource', properties: { wait_secs: 2 } } },
    };
    const s = await server.engine.createStack(P, { stackName: 'busy', template: slow });
    const err = await heatErrorOf(server.engine.stackAction(P, s.id, 'suspend'));
    expect([err.type, err.status, err.message]).toEqual([
      'ActionInProgress',
      409,
      'Stack busy already has an action (CREATE) in progress.',
    ]);
    await server.engine.settle(s.id);
  });
});

describe('check', () => {
  it('marks resources without a check handler and says the check is partial', async () => {
    const id = await created('ck', {
      heat_template_version: '2018-08-31',
      resources: { a: { type: 'OS::Heat::TestResource' }, r: { type: 'OS::Heat::RandomString' } },
    });
    expect(await act(id, 'check')).toBe(
      "CHECK_COMPLETE Stack CHECK completed successfully. 'CHECK' not fully supported (see resources)",
    );
    expect(await resources(id)).toEqual({
      a: 'CHECK_COMPLETE CHECK not supported for OS::Heat::TestResource',
      r: 'CHECK_COMPLETE CHECK not supported for OS::Heat::RandomString',
    });
    const events = await eventLines(id);
    expect(events).not.toContain('a CHECK_IN_PROGRESS state changed');
    // A check may run again; an update afterwards changes nothing.
    expect(await act(id, 'check')).toMatch(/^CHECK_COMPLETE/);
    const before = await server.engine.listResources(P, id);
    await server.engine.updateStack(P, id, {
      template: {
        heat_template_version: '2018-08-31',
        resources: { a: { type: 'OS::Heat::TestResource' }, r: { type: 'OS::Heat::RandomString' } },
      },
    });
    await server.engine.settle(id);
    expect((await server.engine.listResources(P, id)).map((r) => r.physicalId)).toEqual(
      before.map((r) => r.physicalId),
    );
  });
});

describe('nested stacks', () => {
  const parent = {
    heat_template_version: '2018-08-31',
    resources: { inner: { type: 'child.yaml' }, n: { type: 'OS::Heat::None' } },
  };
  const files = {
    'child.yaml':
      'heat_template_version: 2018-08-31\nresources:\n  leaf: {type: OS::Heat::TestResource}\n  x: {type: OS::Heat::None}\n',
  };

  it('suspends, resumes and checks the child stack through its parent resource', async () => {
    const id = await created('nest', parent, { files });
    expect(await act(id, 'suspend')).toBe('SUSPEND_COMPLETE Stack SUSPEND completed successfully');
    expect(await resources(id, 1)).toMatchObject({
      inner: 'SUSPEND_COMPLETE state changed',
      leaf: 'SUSPEND_COMPLETE state changed',
      x: 'SUSPEND_COMPLETE state changed',
    });
    const child = (await server.engine.listResources(P, id)).find((r) => r.name === 'inner')!.nestedStackId!;
    const shownChild = await server.engine.showStack(P, child, { resolveOutputs: false });
    expect(`${shownChild.action}_${shownChild.status}`).toBe('SUSPEND_COMPLETE');

    expect(await act(id, 'resume')).toBe('RESUME_COMPLETE Stack RESUME completed successfully');
    expect((await resources(id, 1))['leaf']).toBe('RESUME_COMPLETE state changed');

    expect(await act(id, 'check')).toBe(
      "CHECK_COMPLETE Stack CHECK completed successfully. 'CHECK' not fully supported (see resources)",
    );
    expect((await resources(id, 1))['leaf']).toBe(
      'CHECK_COMPLETE CHECK not supported for OS::Heat::TestResource',
    );
  });
});

describe('mark unhealthy', () => {
  it('marks by name or physical id, unmarks, and the next update replaces the marked resource', async () => {
    const id = await created('mu', chain);
    const rows = await server.engine.listResources(P, id);
    const a = rows.find((r) => r.name === 'a')!;
    await server.engine.markResourceUnhealthy(P, id, a.physicalId!, true, 'broken by test');
    expect((await resources(id))['a']).toBe('CHECK_FAILED broken by test');
    expect(await eventLines(id)).toContain('a CHECK_FAILED broken by test');
    const stack = await server.engine.showStack(P, id, { resolveOutputs: false });
    expect(`${stack.action}_${stack.status}`).toBe('CREATE_COMPLETE');

    await server.engine.markResourceUnhealthy(P, id, 'n', true, '');
    expect((await resources(id))['n']).toBe('CHECK_FAILED state changed by resource_mark_unhealthy api');
    await server.engine.markResourceUnhealthy(P, id, 'n', false, 'fine again');
    expect((await resources(id))['n']).toBe('CHECK_COMPLETE fine again');
    // Unmarking a healthy resource changes nothing.
    await server.engine.markResourceUnhealthy(P, id, 'b', false, 'noop');
    expect((await resources(id))['b']).toBe('CREATE_COMPLETE state changed');

    const err = await heatErrorOf(server.engine.markResourceUnhealthy(P, id, 'nope', true, ''));
    expect([err.type, err.status, err.message]).toEqual([
      'ResourceNotFound',
      404,
      'The Resource (nope) could not be found in Stack mu.',
    ]);

    await server.engine.updateStack(P, id, { template: chain });
    await server.engine.settle(id);
    const after = await server.engine.listResources(P, id);
    expect(after.find((r) => r.name === 'a')!.physicalId).not.toBe(a.physicalId);
    expect(after.find((r) => r.name === 'b')!.physicalId).toBe(rows.find((r) => r.name === 'b')!.physicalId);
  });
});

const adoptable = {
  heat_template_version: '2018-08-31',
  parameters: { v: { type: 'string', default: 'pv' } },
  resources: {
    a: { type: 'OS::Heat::TestResource', properties: { value: { get_param: 'v' } } },
    r: { type: 'OS::Heat::RandomString', properties: { length: 10 } },
    n: { type: 'OS::Heat::None' },
  },
  outputs: { a: { value: { get_attr: ['a', 'output'] } }, r: { value: { get_attr: ['r', 'value'] } } },
};

function outputsOf(view: { outputs?: { key: string; value?: unknown }[] }): Record<string, unknown> {
  return Object.fromEntries((view.outputs ?? []).map((o) => [o.key, o.value]));
}

describe('export / abandon / adopt', () => {
  it('round-trips a stack: physical ids, resource data and outputs survive', async () => {
    const id = await created('ab', adoptable, { parameters: { v: 'abc' } });
    const rows = await server.engine.listResources(P, id);
    const pid = (n: string): string | null => rows.find((r) => r.name === n)!.physicalId;
    const exported = await server.engine.exportStack(P, id);
    expect(Object.keys(exported).sort()).toEqual(
      [
        'action',
        'environment',
        'files',
        'id',
        'name',
        'project_id',
        'resources',
        'stack_user_project_id',
        'status',
        'tags',
        'template',
      ].sort(),
    );
    expect(exported).toMatchObject({
      name: 'ab',
      id,
      action: 'CREATE',
      status: 'COMPLETE',
      files: {},
      tags: [],
      environment: { parameters: { v: 'abc' } },
      template: { heat_template_version: '2018-08-31' },
    });
    const res = exported['resources'] as Record<string, Record<string, unknown>>;
    expect(res['a']).toEqual({
      name: 'a',
      resource_id: pid('a'),
      type: 'OS::Heat::TestResource',
      action: 'CREATE',
      status: 'COMPLETE',
      metadata: {},
      resource_data: { value: 'abc' },
    });
    expect(res['n']).toMatchObject({ resource_id: pid('n'), resource_data: { is_placeholder: 'True' } });
    const rval = (res['r']!['resource_data'] as Record<string, string>)['value'];
    expect(rval).toMatch(/^[A-Za-z0-9]{10}$/);

    const abandoned = await server.engine.abandonStack(P, id);
    expect(abandoned['resources']).toEqual(exported['resources']);
    const gone = await server.engine.showStack(P, id, { resolveOutputs: false });
    expect(`${gone.action}_${gone.status}`).toBe('DELETE_COMPLETE');
    expect(await server.engine.listResources(P, id).catch(() => [])).toEqual([]);
    expect(await server.engine.listStacks(P, {})).toEqual([]);

    const adopted = await server.engine.createStack(P, {
      stackName: 'ab2',
      template: adoptable,
      adoptStackData: abandoned,
    });
    expect(adopted.action).toBe('ADOPT');
    await server.engine.settle(adopted.id);
    const shown = await server.engine.showStack(P, adopted.id);
    expect(`${shown.action}_${shown.status} ${shown.statusReason}`).toBe(
      'ADOPT_COMPLETE Stack ADOPT completed successfully',
    );
    expect(outputsOf(shown)).toEqual({ a: 'abc', r: rval });
    const adoptedRows = await server.engine.listResources(P, adopted.id);
    for (const n of ['a', 'r', 'n']) {
      const r = adoptedRows.find((x) => x.name === n)!;
      expect([r.action, r.status, r.physicalId]).toEqual(['ADOPT', 'COMPLETE', pid(n)]);
    }
    expect(await eventLines(adopted.id)).toEqual(
      expect.arrayContaining(['ab2 ADOPT_IN_PROGRESS Stack ADOPT started', 'a ADOPT_COMPLETE state changed']),
    );
    // The adopted stack updates like any other: nothing changes without template changes.
    await server.engine.updateStack(P, adopted.id, { template: adoptable, parameters: { v: 'abc' } });
    await server.engine.settle(adopted.id);
    const updated = await server.engine.listResources(P, adopted.id);
    expect(updated.map((r) => r.physicalId).sort()).toEqual(adoptedRows.map((r) => r.physicalId).sort());
  });

  it('fails an adopt whose data lacks a resource id', async () => {
    const s = await server.engine.createStack(P, {
      stackName: 'ad',
      template: { heat_template_version: '2018-08-31', resources: { n: { type: 'OS::Heat::None' } } },
      adoptStackData: { resources: {} },
    });
    await server.engine.settle(s.id);
    const shown = await server.engine.showStack(P, s.id);
    expect(`${shown.action}_${shown.status} ${shown.statusReason}`).toBe(
      'ADOPT_FAILED Resource ADOPT failed: Exception: resources.n: Resource ID was not provided.',
    );
  });
});

describe('snapshots', () => {
  it('creates, lists, shows, restores and deletes snapshots', async () => {
    const id = await created('sn', adoptable);
    const view = await server.engine.createSnapshot(P, id, 'first');
    expect(view).toMatchObject({ name: 'first', status: 'IN_PROGRESS', data: null });
    await server.engine.settle(id);
    const stack = await server.engine.showStack(P, id, { resolveOutputs: false });
    expect(`${stack.action}_${stack.status} ${stack.statusReason}`).toBe(
      'SNAPSHOT_COMPLETE Stack SNAPSHOT completed successfully',
    );
    const shown = await server.engine.showSnapshot(P, id, view.id);
    expect(shown).toMatchObject({
      id: view.id,
      status: 'COMPLETE',
      status_reason: 'Stack SNAPSHOT completed successfully',
    });
    const data = shown.data as Record<string, unknown>;
    expect(data).toMatchObject({ action: 'SNAPSHOT', status: 'COMPLETE', name: 'sn' });
    const originalR = outputsOf(await server.engine.showStack(P, id))['r'];
    expect((data['resources'] as Record<string, Record<string, unknown>>)['r']).toMatchObject({
      action: 'SNAPSHOT',
      resource_data: { value: originalR },
    });
    expect((await resources(id))['a']).toBe('SNAPSHOT_COMPLETE state changed');
    expect((await server.engine.listSnapshots(P, id)).map((s) => s.id)).toEqual([view.id]);

    // Change the stack (RandomString replaced, TestResource value updated), then restore.
    const changed = structuredClone(adoptable) as typeof adoptable;
    changed.resources.r.properties.length = 20;
    await server.engine.updateStack(P, id, { template: changed, parameters: { v: 'zzz' } });
    await server.engine.settle(id);
    const mid = outputsOf(await server.engine.showStack(P, id));
    expect(mid['a']).toBe('zzz');
    expect(String(mid['r'])).toHaveLength(20);

    await server.engine.restoreSnapshot(P, id, view.id);
    await server.engine.settle(id);
    const restored = await server.engine.showStack(P, id);
    expect(`${restored.action}_${restored.status} ${restored.statusReason}`).toBe(
      'RESTORE_COMPLETE Stack RESTORE completed successfully',
    );
    expect(outputsOf(restored)).toEqual({ a: 'pv', r: originalR });

    // Real Heat 19: an unknown snapshot id is NotFound; SnapshotNotFound is for another stack's snapshot.
    const missing = await heatErrorOf(server.engine.showSnapshot(P, id, 'nope'));
    expect([missing.type, missing.status, missing.message]).toEqual([
      'NotFound',
      404,
      'Snapshot with id nope not found',
    ]);
    await server.engine.deleteSnapshot(P, id, view.id);
    expect(await server.engine.listSnapshots(P, id)).toEqual([]);
  });

  it("enforces Heat's limit of 32 snapshots per stack", async () => {
    const id = await created('lim', { heat_template_version: '2018-08-31', resources: {} });
    for (let i = 0; i < 32; i++) {
      await server.engine.createSnapshot(P, id, `s${i}`);
      await server.engine.settle(id);
    }
    const err = await heatErrorOf(server.engine.createSnapshot(P, id, 'one too many'));
    expect([err.type, err.message]).toEqual([
      'RequestLimitExceeded',
      'Request limit exceeded: You have reached the maximum snapshots per stack, 32. Please delete some snapshots.',
    ]);
  });
});

describe('after a restart', () => {
  it('resumes a suspend that a previous process left in progress', async () => {
    const id = await created('crash', chain);
    await server.close();
    const store = await openSqliteStore(join(dataDir, 'hearth.db'));
    const b = (await store.listResources(id)).find((r) => r.name === 'b')!;
    await store.apply([
      {
        kind: 'updateStack',
        id,
        patch: {
          action: 'SUSPEND',
          status: 'IN_PROGRESS',
          statusReason: 'Stack SUSPEND started',
          traversal: 't1',
        },
      },
      { kind: 'updateResource', id: b.id, patch: { action: 'SUSPEND', status: 'COMPLETE', traversal: 't1' } },
    ]);
    await store.close();
    await boot();
    await server.engine.settle(id);
    const s = await server.engine.showStack(P, id, { resolveOutputs: false });
    expect(`${s.action}_${s.status} ${s.statusReason}`).toBe(
      'SUSPEND_COMPLETE Stack SUSPEND completed successfully',
    );
    expect(await resources(id)).toEqual({
      a: 'SUSPEND_COMPLETE state changed',
      b: 'SUSPEND_COMPLETE state changed',
      n: 'SUSPEND_COMPLETE state changed',
    });
    // b was already suspended by the crashed traversal: not suspended twice.
    expect((await eventLines(id)).filter((e) => e.startsWith('b SUSPEND_IN_PROGRESS'))).toEqual([]);
  });
});
