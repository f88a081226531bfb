import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../api/app.js';
import { fakeEngine, type FakeEngine } from '../api/testing/fake-engine.js';
import { HeatClient } from './client.js';
import { listFailures } from './failures.js';
import { pendingHooks } from './hooks.js';
import { main } from './main.js';

let engine: FakeEngine;
let app: FastifyInstance;
let endpoint: string;
let dir: string;
let out: string[];
let err: string[];
let stackId: string;

const io = () => ({ out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {} });
const run = (...args: string[]) => main(['node', 'hearth', '--endpoint', endpoint, ...args], io());
const T = 'heat_template_version: 2018-08-31\nresources:\n  a: {type: OS::Heat::TestResource}\n';

beforeAll(async () => {
  engine = fakeEngine();
  app = buildApi(engine, { insecureNoauth: true, enableAbandon: true, enableAdopt: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/admin`;
  dir = await mkdtemp(join(tmpdir(), 'hearth-cli-lc-'));
  await writeFile(join(dir, 't.yaml'), T);
  await writeFile(join(dir, 'env.yaml'), 'parameters: {p: 1}\n');
  stackId = (await engine.createStack('admin', { stackName: 'lc', template: T })).id;
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  out = [];
  err = [];
  process.exitCode = 0;
});

describe('stack update', () => {
  it('--dry-run prints the plan from the preview and changes nothing', async () => {
    const updates = engine.calls.updated.length;
    await run('stack', 'update', 'lc', '-t', join(dir, 't.yaml'), '--dry-run', '--show-nested');
    expect(err).toEqual([]);
    expect(out.join('\n')).toBe(
      [
        '  + web (OS::Heat::TestResource)',
        '      value: "w"',
        '  - old (OS::Heat::None)',
        '-/+ db (OS::Heat::TestResource)',
        '      flavor: "small" → "large"  (forces replacement)',
        '      value: "x" → "y"',
        '  ~ a (OS::Heat::TestResource)',
        '      value: "x" → {"list":[1,2]}',
        '',
        'Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy.',
      ].join('\n'),
    );
    expect(engine.calls.previews.at(-1)).toMatchObject({
      stackId,
      req: { template: T, parameters: {}, showNested: true },
    });
    expect(engine.calls.updated.length).toBe(updates);
  });

  it('--dry-run -f json prints the raw preview', async () => {
    await run('stack', 'update', 'lc', '--existing', '--dry-run', '-f', 'json');
    const body = JSON.parse(out.join('\n'));
    expect(body.resource_changes.replaced[0].resource_name).toBe('db');
    expect(engine.calls.previews.at(-1)!.req).toEqual({ existing: true });
  });

  it('PATCHes with --existing, parameters, clear-parameter, rollback and environment, and waits', async () => {
    await run(
      'stack',
      'update',
      'lc',
      '--existing',
      '-e',
      join(dir, 'env.yaml'),
      '--parameter',
      'k=v',
      '--clear-parameter',
      'old',
      '--rollback',
      'enabled',
      '--timeout',
      '5',
      '--wait',
      '-f',
      'json',
    );
    // With -f json, progress goes to stderr and stdout is exactly the data.
    expect(err.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    expect(process.exitCode).toBe(0);
    expect(engine.calls.updated.at(-1)).toEqual({
      stackId,
      req: {
        existing: true,
        files: { [join(dir, 'env.yaml')]: 'parameters: {p: 1}\n' },
        environmentFiles: [join(dir, 'env.yaml')],
        parameters: { k: 'v' },
        clearParameters: ['old'],
        disableRollback: false,
        timeoutMins: 5,
      },
    });
    expect(JSON.parse(out.join('\n').slice(out.join('\n').lastIndexOf('{\n')))).toMatchObject({
      stack_status: 'UPDATE_COMPLETE',
    });
  });

  it('--wait exits 1 with the reason when the update fails', async () => {
    const original = engine.updateStack.bind(engine);
    engine.updateStack = async (projectId, id, req) => {
      const s = await original(projectId, id, req);
      const failed = { ...s, status: 'FAILED' as const, statusReason: 'Resource UPDATE failed: boom' };
      engine.stacks.set(id, failed);
      return failed;
    };
    try {
      await run('stack', 'update', 'lc', '-t', join(dir, 't.yaml'), '--wait');
    } finally {
      engine.updateStack = original;
    }
    expect(process.exitCode).toBe(1);
    expect(err).toEqual(['ERROR: Stack UPDATE_FAILED: Resource UPDATE failed: boom']);
  });

  it('refuses an update without template or --existing, and a bad --rollback', async () => {
    await run('stack', 'update', 'lc');
    expect(process.exitCode).toBe(2);
    expect(err.join('\n')).toContain('--existing');
    process.exitCode = 0;
    await run('stack', 'update', 'lc', '--existing', '--rollback', 'sometimes');
    expect(process.exitCode).toBe(2);
  });
});

describe('stack actions', () => {
  it('runs check, suspend, resume and both cancels, waiting for the end', async () => {
    for (const verb of ['check', 'suspend', 'resume']) {
      out = [];
      await run('stack', verb, 'lc', '--wait', '-f', 'json');
      // With -f json, progress goes to stderr and stdout is exactly the data.
      expect(err.filter((l) => l.startsWith('ERROR'))).toEqual([]);
      expect(JSON.parse(out.join('\n').slice(out.join('\n').lastIndexOf('{\n'))).stack_status).toBe(
        `${verb.toUpperCase()}_COMPLETE`,
      );
    }
    await run('stack', 'cancel', 'lc', '--wait');
    await run('stack', 'cancel', 'lc', '--no-rollback', '--wait');
    expect(err.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    expect(process.exitCode).toBe(0);
    expect(engine.calls.actions.slice(-5).map((a) => a.action)).toEqual([
      'check',
      'suspend',
      'resume',
      'cancel_update',
      'cancel_without_rollback',
    ]);
  });
});

describe('snapshots', () => {
  it('creates, lists, shows, restores and deletes', async () => {
    await run('stack', 'snapshot', 'create', 'lc', '--name', 'snap1', '--wait', '-f', 'json');
    const created = JSON.parse(out.join('\n'));
    expect(created).toMatchObject({ name: 'snap1', status: 'COMPLETE' });
    expect(created.data).toBeUndefined();
    out = [];
    await run('stack', 'snapshot', 'list', 'lc', '-f', 'value');
    expect(out.join('\n')).toContain(`${created.id} snap1 COMPLETE`);
    out = [];
    await run('stack', 'snapshot', 'show', 'lc', created.id, '-f', 'json');
    expect(JSON.parse(out.join('\n')).data).toMatchObject({ name: 'lc' });
    await run('stack', 'snapshot', 'restore', 'lc', created.id, '--wait');
    await run('stack', 'snapshot', 'delete', 'lc', created.id);
    expect(err).toEqual([]);
    expect(engine.calls.snapshots.slice(-3).map((c) => c.op)).toEqual(['create', 'restore', 'delete']);
    await run('stack', 'snapshot', 'show', 'lc', created.id);
    expect(process.exitCode).toBe(1);
  });
});

describe('export, abandon, adopt', () => {
  it('exports to a file, abandons, and adopts from the abandon data', async () => {
    const other = await engine.createStack('admin', { stackName: 'gone', template: T });
    const exportFile = join(dir, 'export.json');
    await run('stack', 'export', 'gone', '--output-file', exportFile);
    expect(JSON.parse(await readFile(exportFile, 'utf8'))).toMatchObject({ name: 'gone', id: other.id });
    const abandonFile = join(dir, 'abandon.json');
    await run('stack', 'abandon', 'gone', '--output-file', abandonFile);
    expect(engine.stacks.has(other.id)).toBe(false);
    await run(
      'stack',
      'adopt',
      'back',
      '--adopt-file',
      abandonFile,
      '--parameter',
      'v=1',
      '--wait',
      '-f',
      'json',
    );
    // With -f json, progress goes to stderr and stdout is exactly the data.
    expect(err.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    const req = engine.calls.created.at(-1)!;
    expect(req).toMatchObject({
      stackName: 'back',
      template: T,
      parameters: { v: '1' },
      disableRollback: true,
    });
    expect(req.adoptStackData).toMatchObject({
      name: 'gone',
      resources: { a: { resource_id: 'gone-a-abcdefghijkl' } },
    });
    expect(out.join('\n')).toContain('"stack_status": "ADOPT_COMPLETE"');
  });
});

describe('resources, events and stored inputs', () => {
  it('shows, signals, marks unhealthy and reads metadata', async () => {
    await run('stack', 'resource', 'show', 'lc', 'a', '--with-attr', 'output', '-f', 'json');
    expect(JSON.parse(out.join('\n'))).toMatchObject({ resource_name: 'a', attributes: { output: 'x' } });
    out = [];
    await run('stack', 'resource', 'signal', 'lc', 'a', '--data', '{"status": "SUCCESS"}');
    await run('stack', 'resource', 'signal', 'lc', 'a');
    expect(engine.calls.signals.slice(-2).map((s) => s.details)).toEqual([{ status: 'SUCCESS' }, null]);
    await run('stack', 'resource', 'mark-unhealthy', 'lc', 'a', 'disk gone');
    await run('stack', 'resource', 'mark-unhealthy', 'lc', 'a', '--reset');
    expect(engine.calls.unhealthy.slice(-2)).toEqual([
      { stackId, resource: 'a', mark: true, reason: 'disk gone' },
      { stackId, resource: 'a', mark: false, reason: '' },
    ]);
    await run('stack', 'resource', 'metadata', 'lc', 'a');
    expect(JSON.parse(out.join('\n'))).toEqual({ role: 'first' });
    expect(err).toEqual([]);
    await run('stack', 'resource', 'signal', 'lc', 'a', '--data', '{bad');
    expect(process.exitCode).toBe(2);
  });

  it('shows an event, the template, the environment and the files', async () => {
    await run('stack', 'event', 'show', 'lc', 'a', `${stackId}-ev1`, '-f', 'json');
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      id: `${stackId}-ev1`,
      resource_status: 'CREATE_COMPLETE',
    });
    out = [];
    await run('stack', 'template', 'show', 'lc');
    expect(out.join('\n')).toContain('heat_template_version: 2018-08-31');
    out = [];
    await run('stack', 'environment', 'show', 'lc', '-f', 'json');
    expect(JSON.parse(out.join('\n'))).toHaveProperty('encrypted_param_names');
    out = [];
    await run('stack', 'file', 'list', 'lc', '-f', 'json');
    expect(JSON.parse(out.join('\n'))).toEqual({});
    expect(err).toEqual([]);
  });
});

describe('hooks', () => {
  it('polls paused resources and clears their pending hook', async () => {
    const s = await engine.createStack('admin', { stackName: 'hk', template: T });
    engine.addEvent(s.id, {
      resourceName: 'a',
      action: 'INIT',
      status: 'COMPLETE',
      reason: 'CREATE paused until Hook pre-create is cleared',
    });
    engine.addEvent(s.id, {
      resourceName: 'b',
      action: 'CREATE',
      status: 'COMPLETE',
      reason: 'CREATE paused until Hook post-create is cleared',
    });
    engine.addEvent(s.id, {
      resourceName: 'b',
      action: 'CREATE',
      status: 'COMPLETE',
      reason: 'Hook post-create is cleared',
    });
    await run('stack', 'hook', 'poll', 'hk', '-f', 'value');
    expect(out).toEqual(['a hk pre-create CREATE paused until Hook pre-create is cleared']);
    out = [];
    await run('stack', 'hook', 'clear', 'hk', 'a');
    expect(out).toEqual(['Cleared pre-create hook on a']);
    await run('stack', 'hook', 'clear', 'hk', '?', '--pre-update', '--post-delete');
    expect(engine.calls.signals.slice(-5).map((c) => [c.resource, c.details])).toEqual([
      ['a', { unset_hook: 'pre-create' }],
      ['a', { unset_hook: 'pre-update' }],
      ['a', { unset_hook: 'post-delete' }],
      ['b', { unset_hook: 'pre-update' }],
      ['b', { unset_hook: 'post-delete' }],
    ]);
    expect(err).toEqual([]);
    await run('stack', 'hook', 'clear', 'hk', 'b');
    expect(process.exitCode).toBe(1);
    expect(err.join('\n')).toContain('No pending hook');
  });

  it('keeps only resources whose latest event is a pause, per stack', () => {
    const ev = (stack: string, name: string, reason: string) => ({
      resource_name: name,
      resource_status: 'CREATE_IN_PROGRESS',
      resource_status_reason: reason,
      event_time: 't',
      links: [{ rel: 'stack', href: `http://h/v1/p/stacks/${stack}/id-${stack}` }],
    });
    expect(
      pendingHooks([
        ev('top', 'wrap', 'state changed'),
        ev('top-wrap-x', 'inner', 'CREATE paused until Hook pre-create is cleared'),
        ev('top', 'inner', 'state changed'),
        ev('top', 'top', 'CREATE paused until Hook pre-create is cleared'),
      ]).map((p) => [p.stackName, p.resource, p.hook]),
    ).toEqual([['top-wrap-x', 'inner', 'pre-create']]);
  });
});

describe('stack failures list', () => {
  it('lists the failed leaves of the fake stack', async () => {
    await run('stack', 'failures', 'list', 'lc');
    expect(out.join('\n')).toBe(
      [
        'b:',
        '  resource_type: OS::Heat::Value',
        '  physical_resource_id: ',
        '  status: CREATE_FAILED',
        '  status_reason: |',
        '    boom',
      ].join('\n'),
    );
  });

  it('walks nested stacks over HTTP, reporting each leaf with its path', async () => {
    const tree = Fastify();
    const res = (name: string, status: string, reason: string, nested?: string) => ({
      resource_name: name,
      resource_type: nested ? 'My::Nested' : 'OS::Heat::TestResource',
      resource_status: status,
      resource_status_reason: reason,
      physical_resource_id: `${name}-id`,
      links: [
        { rel: 'self', href: `http://x/${name}` },
        ...(nested ? [{ rel: 'nested', href: `${base}/stacks/${nested}/1` }] : []),
      ],
    });
    let base = '';
    const stacks: Record<string, unknown[]> = {
      top: [
        res('grp', 'CREATE_FAILED', 'Resource CREATE failed: …', 'grp'),
        res('ok', 'CREATE_COMPLETE', 'state changed'),
      ],
      grp: [
        res('0', 'CREATE_FAILED', 'Resource CREATE failed', 'm0'),
        res('1', 'CREATE_FAILED', 'Error: inner 1'),
      ],
      m0: [res('leaf', 'CREATE_FAILED', 'Error: disk full')],
    };
    tree.get('/stacks/:name/:id/resources', async (req) => ({
      resources: stacks[(req.params as { name: string }).name] ?? [],
    }));
    await tree.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(tree.server.address() as AddressInfo).port}`;
    try {
      const failures = await listFailures(new HeatClient(base), 'stacks/top/1');
      expect(failures.map((f) => [f.path, f.reason])).toEqual([
        ['grp.0.leaf', 'Error: disk full'],
        ['grp.1', 'Error: inner 1'],
      ]);
    } finally {
      await tree.close();
    }
  });
});

describe('orchestration', () => {
  it('lists template versions, functions, resource types, shows a type and build info', async () => {
    await run('orchestration', 'template', 'version', 'list', '-f', 'value');
    expect(out).toEqual(['heat_template_version.2018-08-31 hot heat_template_version.rocky']);
    out = [];
    await run(
      'orchestration',
      'template',
      'function',
      'list',
      'heat_template_version.2018-08-31',
      '--with-conditions',
      '-f',
      'value',
    );
    expect(out.join('\n')).toContain('equals eq');
    out = [];
    await run('orchestration', 'resource', 'type', 'list', '--filter', 'name=Value', '-f', 'value');
    expect(out).toEqual(['OS::Heat::Value']);
    out = [];
    await run('orchestration', 'resource', 'type', 'show', 'OS::Heat::None', '-f', 'json');
    expect(JSON.parse(out.join('\n'))).toMatchObject({ resource_type: 'OS::Heat::None' });
    out = [];
    await run('orchestration', 'build', 'info', '-f', 'json');
    expect(Object.keys(JSON.parse(out.join('\n')))).toEqual(['api', 'engine']);
    expect(err).toEqual([]);
  });
});
