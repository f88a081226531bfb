/**
 * The `stack …` and `orchestration …` verbs' options, as python-heatclient's, against a real Hearth server
 * (engine, SQLite store, HTTP API on a free port), with `-f`/`-c` output and exit codes.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/start.js';
import { main } from './main.js';

let server: RunningServer;
let endpoint: string;
let dir: string;
let out: string[];
let err: string[];

/** Runs `hearth …`; returns the exit status. */
async function hearth(...args: string[]): Promise<number> {
  out = [];
  err = [];
  process.exitCode = 0;
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {} };
  await main(['node', 'hearth', '--endpoint', endpoint, ...args], io);
  return Number(process.exitCode ?? 0);
}

/** stdout as JSON. */
const json = (): any => JSON.parse(out.join('\n'));

const TEMPLATE = `heat_template_version: 2018-08-31
parameters:
  v: {type: string, default: one}
resources:
  r: {type: OS::Heat::None}
  val:
    type: OS::Heat::Value
    properties: {value: {get_param: v}}
outputs:
  out: {value: {get_attr: [val, value]}}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-cli-verbs-'));
  server = await startServer({
    listen: '127.0.0.1:0',
    dataDir: join(dir, 'data'),
    insecureNoauth: true,
    enableAbandon: true,
  });
  endpoint = `${server.url}/v1/verbs`;
  await writeFile(join(dir, 't.yaml'), TEMPLATE);
  for (const [name, tags] of [
    ['a', 'x,y'],
    ['b', 'y'],
    ['c', ''],
  ] as const) {
    const tagArgs = tags ? ['--tags', tags] : [];
    expect(
      await hearth('stack', 'create', name, '-t', join(dir, 't.yaml'), ...tagArgs, '--wait', '--poll', '0.1'),
    ).toBe(0);
  }
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  process.exitCode = 0;
});

describe('stack create, list, show', () => {
  it('--dry-run shows the create preview and creates nothing', async () => {
    expect(
      await hearth(
        'stack',
        'create',
        'p',
        '-t',
        join(dir, 't.yaml'),
        '--parameter',
        'v=two',
        '--dry-run',
        '-f',
        'json',
      ),
    ).toBe(0);
    const preview = json();
    expect(preview.stack_name).toBe('p');
    expect(preview.resources.map((r: { resource_name: string }) => r.resource_name).sort()).toEqual([
      'r',
      'val',
    ]);
    expect(await hearth('stack', 'show', 'p')).toBe(1);
  });

  it('filters by tags and tag mode, properties, sorts, limits and selects columns', async () => {
    const names = async (...args: string[]) => {
      expect(await hearth('stack', 'list', ...args, '-f', 'value', '-c', 'Stack Name')).toBe(0);
      return out.join('\n').split('\n').filter(Boolean);
    };
    expect(await names('--tags', 'y', '--sort', 'stack_name')).toEqual(['a', 'b']);
    expect(await names('--tags', 'x,y', '--tag-mode', 'any', '--sort', 'stack_name')).toEqual(['a', 'b']);
    expect(await names('--tags', 'x', '--tag-mode', 'not-any', '--sort', 'stack_name')).toEqual(['b', 'c']);
    expect(await names('--property', 'name=b')).toEqual(['b']);
    expect(await names('--sort', 'stack_name:desc')).toEqual(['c', 'b', 'a']);
    expect(await names('--sort', 'stack_name:desc', '--limit', '2')).toEqual(['c', 'b']);
  });

  it('chooses columns with --short and --long', async () => {
    await hearth('stack', 'list', '--short', '-f', 'json');
    expect(Object.keys(json()[0])).toEqual(['ID', 'Stack Name', 'Stack Status']);
    await hearth('stack', 'list', '--long', '--nested', '--deleted', '-f', 'json');
    expect(Object.keys(json()[0])).toEqual([
      'ID',
      'Stack Name',
      'Stack Owner',
      'Stack Status',
      'Creation Time',
      'Updated Time',
      'Parent',
      'Deletion Time',
    ]);
  });

  it('refuses bad list options with exit 2', async () => {
    expect(await hearth('stack', 'list', '--tag-mode', 'any')).toBe(2);
    expect(err).toEqual(['ERROR: --tag-mode needs --tags']);
    expect(await hearth('stack', 'list', '--tag-mode', 'some', '--tags', 'x')).toBe(2);
    expect(await hearth('stack', 'list', '--sort', 'stack_name:up')).toBe(2);
    expect(await hearth('stack', 'list', '--limit', '0')).toBe(2);
    expect(await hearth('stack', 'list', '-c', 'Owner')).toBe(2);
    expect(err[0]).toBe(
      'ERROR: -c/--column: no column "Owner" (available: ID, Stack Name, Stack Status, Creation Time, Updated Time)',
    );
    expect(await hearth('stack', 'list', '-f', 'csv')).toBe(2);
  });

  it('shows a stack in openstack order, with or without resolved outputs', async () => {
    await hearth('stack', 'show', 'a', '-f', 'json');
    const keys = Object.keys(json());
    expect(keys.slice(0, 10)).toEqual([
      'id',
      'stack_name',
      'description',
      'creation_time',
      'updated_time',
      'stack_status',
      'stack_status_reason',
      'parameters',
      'outputs',
      'links',
    ]);
    expect(keys).not.toContain('template_description');
    await hearth('stack', 'show', 'a', '--no-resolve-outputs', '-f', 'json');
    expect(json()).not.toHaveProperty('outputs');
    await hearth('stack', 'show', 'a', '-c', 'outputs', '-c', 'stack_status');
    expect(out.join('\n')).toMatch(/\| stack_status \| CREATE_COMPLETE\s+\|/);
    expect(out.join('\n')).toMatch(
      /\| outputs {6}\| - output_key: out\s+\|\n\|\s+\| {3}description: No description given \|/,
    );
  });

  it('shows outputs and refuses KEY with --all', async () => {
    await hearth('stack', 'output', 'show', 'a', 'out', '-f', 'value', '-c', 'output_value');
    expect(out).toEqual(['one']);
    expect(await hearth('stack', 'output', 'show', 'a', 'out', '--all')).toBe(2);
    expect(await hearth('stack', 'output', 'show', 'a')).toBe(2);
  });
});

describe('stack actions', () => {
  it('checks several stacks, waiting for each, and lists them as rows', async () => {
    expect(await hearth('stack', 'check', 'a', 'b', '--wait', '--poll', '0.1', '-f', 'json')).toBe(0);
    expect(json().map((s: Record<string, string>) => [s['Stack Name'], s['Stack Status']])).toEqual([
      ['a', 'CHECK_COMPLETE'],
      ['b', 'CHECK_COMPLETE'],
    ]);
    expect(err.filter((l) => l.startsWith('Stack '))).toHaveLength(2);
  });

  it('updates with --existing --converge and a pre-update hook, which waits until cleared', async () => {
    expect(
      await hearth(
        'stack',
        'update',
        'c',
        '--existing',
        '--converge',
        '--parameter',
        'v=two',
        '--pre-update',
        'val',
      ),
    ).toBe(0);
    let polled: string[] = [];
    for (let i = 0; i < 50 && polled.length === 0; i++) {
      await hearth('stack', 'hook', 'poll', 'c', '-f', 'value', '-c', 'Resource Name', '-c', 'Hook');
      polled = out;
      if (polled.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(polled).toEqual(['val pre-update']);
    expect(await hearth('stack', 'hook', 'clear', 'c', 'val', 'r')).toBe(1);
    expect(out).toEqual(['Cleared pre-update hook on val']);
    expect(err).toEqual(['ERROR: No pending hook on "r" in stack c']);
    expect(await hearth('stack', 'event', 'list', 'c', '--follow', '--wait', '--poll', '0.1')).toBe(0);
    await hearth('stack', 'output', 'show', 'c', 'out', '-f', 'value', '-c', 'output_value');
    expect(out).toEqual(['two']);
  });

  it('refuses a plan in value format and non-object signal data with exit 2', async () => {
    expect(await hearth('stack', 'update', 'a', '--existing', '--dry-run', '-f', 'value')).toBe(2);
    expect(await hearth('stack', 'resource', 'signal', 'a', 'r', '--data', '[1]')).toBe(2);
    expect(err).toEqual(['ERROR: Signal data must be a JSON object, got [1]']);
    expect(await hearth('stack', 'create', 'z', '-t', join(dir, 't.yaml'), '--wait', '--poll', '0')).toBe(2);
    expect(await hearth('stack', 'create', 'z', '-t', join(dir, 't.yaml'), '--timeout', 'soon')).toBe(2);
  });
});

describe('resources and events', () => {
  it('lists resources with filters, details and the stack_name column', async () => {
    await hearth(
      'stack',
      'resource',
      'list',
      'a',
      '--filter',
      'type=OS::Heat::Value',
      '-f',
      'value',
      '-c',
      'resource_name',
    );
    expect(out).toEqual(['val']);
    await hearth('stack', 'resource', 'list', 'a', '--long', '-f', 'json');
    expect(json().map((r: Record<string, string>) => r.stack_name)).toEqual(['a', 'a']);
    await hearth('stack', 'resource', 'list', 'a', '--with-detail', '-f', 'json', '-c', 'resource_name');
    expect(json()).toHaveLength(2);
    expect(await hearth('stack', 'resource', 'mark', 'unhealthy', 'a', 'r', 'disk gone')).toBe(0);
    await hearth(
      'stack',
      'resource',
      'show',
      'a',
      'r',
      '-f',
      'value',
      '-c',
      'resource_status',
      '-c',
      'resource_status_reason',
    );
    expect(out.join('\n')).toBe('CHECK_FAILED\ndisk gone');
    expect(await hearth('stack', 'resource', 'mark-unhealthy', 'a', 'r', '--reset')).toBe(0);
  });

  it('lists events of one resource, filtered, sorted and limited', async () => {
    await hearth('stack', 'event', 'list', 'a', '--resource', 'r', '-f', 'value', '-c', 'resource_status');
    const statuses = out.join('\n').split('\n');
    expect(statuses.slice(0, 2)).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(statuses.every((st) => /^(CREATE|CHECK)_/.test(st))).toBe(true);
    await hearth(
      'stack',
      'event',
      'list',
      'a',
      '--filter',
      'resource_status=COMPLETE',
      '--filter',
      'resource_action=CREATE',
      '--sort',
      'resource_name:desc',
      '-f',
      'value',
      '-c',
      'resource_name',
    );
    expect(out.join('\n').split('\n')).toEqual(['val', 'r', 'a']);
    await hearth('stack', 'event', 'list', 'a', '-f', 'value', '-c', 'id');
    const newest = out.join('\n').split('\n').at(-1);
    await hearth('stack', 'event', 'list', 'a', '--sort', ':desc', '--limit', '1', '-f', 'json', '-c', 'id');
    expect(json()).toEqual([{ id: newest }]);
    await hearth('stack', 'event', 'list', 'a', '--limit', '2');
    expect(out[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \[a\]: CREATE_IN_PROGRESS {2}Stack CREATE started$/,
    );
    expect(await hearth('stack', 'event', 'list', 'a', '--resource', 'r', '--nested-depth', '1')).toBe(2);
    expect(await hearth('stack', 'event', 'list', 'a', '--follow', '-f', 'yaml')).toBe(2);
  });
});

describe('abandon data and documents', () => {
  it('prints export data as JSON, or YAML with -f yaml, and the template as YAML', async () => {
    await hearth('stack', 'export', 'a');
    expect(json()).toMatchObject({ name: 'a', action: 'CHECK', status: 'COMPLETE' });
    await hearth('stack', 'export', 'a', '-f', 'yaml', '-c', 'name');
    expect(out).toEqual(['name: a']);
    await hearth('stack', 'template', 'show', 'a', '-c', 'outputs');
    expect(out.join('\n')).toBe(
      'outputs:\n  out:\n    value:\n      get_attr:\n        - val\n        - value',
    );
  });
});

describe('orchestration', () => {
  it('validates templates with the openstack verb and its options', async () => {
    expect(
      await hearth(
        'orchestration',
        'template',
        'validate',
        '-t',
        join(dir, 't.yaml'),
        '--ignore-errors',
        'X',
        '-f',
        'json',
        '-c',
        'Parameters',
      ),
    ).toBe(0);
    expect(json().Parameters.v).toMatchObject({ Type: 'String', Default: 'one' });
    expect(await hearth('template', 'validate', '-t', join(dir, 't.yaml'))).toBe(0);
    expect(out.join('\n')).toMatch(/^Description: No description/);
  });

  it('lists versions, functions and sorted resource types; shows a type', async () => {
    await hearth(
      'orchestration',
      'template',
      'function',
      'list',
      'heat_template_version.2018-08-31',
      '--with_conditions',
      '-f',
      'value',
      '-c',
      'Functions',
    );
    expect(out.join('\n').split('\n')).toContain('equals');
    await hearth(
      'orchestration',
      'resource',
      'type',
      'list',
      '--filter',
      'name=OS::Heat::(None|Value)',
      '-f',
      'value',
    );
    expect(out.join('\n').split('\n')).toEqual(['OS::Heat::None', 'OS::Heat::Value']);
    await hearth(
      'orchestration',
      'resource',
      'type',
      'show',
      'OS::Heat::None',
      '--template-type',
      'HOT',
      '-f',
      'json',
    );
    expect(json()).toMatchObject({ heat_template_version: expect.any(String) });
    expect(
      await hearth(
        'orchestration',
        'resource',
        'type',
        'show',
        'OS::Heat::None',
        '--template-type',
        'hot',
        '--long',
      ),
    ).toBe(2);
    expect(
      await hearth('orchestration', 'resource', 'type', 'show', 'OS::Heat::None', '--template-type', 'xml'),
    ).toBe(2);
    await hearth('orchestration', 'build', 'info', '-f', 'json');
    expect(Object.keys(json())).toEqual(['api', 'engine']);
  });
});

describe('stack delete', () => {
  it('deletes several stacks, reporting the ones it cannot, and waits', async () => {
    expect(await hearth('stack', 'delete', 'a', 'nope', '--yes', '--wait', '--poll', '0.1')).toBe(1);
    expect(err).toEqual([
      'nope: The Stack (nope) could not be found.',
      'ERROR: Unable to delete 1 of the 2 stacks.',
    ]);
    expect(out.at(-1)).toMatch(/^Stack a DELETE_COMPLETE after /);
    expect(await hearth('stack', 'delete', 'b', 'c', '--yes', '--wait', '--poll', '0.1')).toBe(0);
    await hearth('stack', 'list', '-f', 'json');
    expect(json()).toEqual([]);
  });
});
