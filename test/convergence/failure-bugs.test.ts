/**
 * Minimal reproductions of what the crash rounds found around failed updates (no kill needed): a failing
 * sibling must not fail or replace resources whose update was in flight, nor leave their nested stack
 * IN_PROGRESS; a FAILED nested-stack resource must keep (and update in place) its nested stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startHearth, waitForStack, type HearthProcess } from '../helpers/hearth.js';

let server: HearthProcess;
beforeAll(async () => {
  server = await startHearth();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
});

const T = 'OS::Heat::TestResource';

async function create(name: string, template: unknown): Promise<string> {
  const ep = server.endpoint('bugs');
  const r = await api('POST', `${ep}/stacks`, { stack_name: name, template, disable_rollback: true });
  expect(r.status).toBe(201);
  const id = r.body.stack.id as string;
  expect((await waitForStack(ep, name, id)).stack_status).toBe('CREATE_COMPLETE');
  return id;
}

async function update(
  name: string,
  id: string,
  template: unknown,
  disableRollback: boolean,
): Promise<string> {
  const ep = server.endpoint('bugs');
  const r = await api('PUT', `${ep}/stacks/${name}/${id}`, { template, disable_rollback: disableRollback });
  expect(r.status).toBe(202);
  return (await waitForStack(ep, name, id)).stack_status as string;
}

async function resource(name: string, id: string, res: string): Promise<any> {
  const list = await api('GET', `${server.endpoint('bugs')}/stacks/${name}/${id}/resources`);
  return (list.body.resources as any[]).find((r) => r.resource_name === res);
}

describe('after a failed update', () => {
  it('keeps the physical id of a resource whose in-place update was in flight when a sibling failed', async () => {
    const v1 = {
      heat_template_version: '2021-04-16',
      resources: { slow: { type: T, properties: { value: 'slow@1', wait_secs: 1 } } },
    };
    const id = await create('inflight', v1);
    const before = await resource('inflight', id, 'slow');
    const v2 = {
      heat_template_version: '2021-04-16',
      resources: {
        slow: { type: T, properties: { value: 'slow@2', wait_secs: 1 } },
        boom: { type: T, properties: { value: 'boom', fail: true } },
      },
    };
    expect(await update('inflight', id, v2, false)).toBe('ROLLBACK_COMPLETE');
    const events = await api(
      'GET',
      `${server.endpoint('bugs')}/stacks/inflight/${id}/events?resource_name=slow&sort_dir=asc`,
    );
    const reasons = (events.body.events as any[]).map(
      (e) => `${e.resource_status} ${e.resource_status_reason}`,
    );
    // Convergence lets work in flight finish: slow's own update never failed, so nothing asks for its replacement.
    expect(reasons.filter((r) => r.includes('boom'))).toEqual([]);
    const after = await resource('inflight', id, 'slow');
    expect(after.physical_resource_id).toBe(before.physical_resource_id);
  }, 60_000);

  it('keeps the nested stack of a ResourceGroup that failed during the update', async () => {
    const group = (fail: boolean): unknown => ({
      heat_template_version: '2021-04-16',
      resources: {
        grp: {
          type: 'OS::Heat::ResourceGroup',
          properties: {
            count: 2,
            resource_def: { type: T, properties: { value: 'm%index%', fail } },
          },
        },
      },
      outputs: { values: { value: { get_attr: ['grp', 'output'] } } },
    });
    const id = await create('grpfail', group(false));
    // The members' in-place update fails, so grp ends UPDATE_FAILED (no rollback).
    expect(await update('grpfail', id, group(true), true)).toBe('UPDATE_FAILED');
    expect((await resource('grpfail', id, 'grp')).resource_status).toBe('UPDATE_FAILED');
    // Updating back must repair the group; its nested stack must still exist afterwards.
    expect(await update('grpfail', id, group(false), true)).toBe('UPDATE_COMPLETE');
    const grp = await resource('grpfail', id, 'grp');
    const nested = await api('GET', `${server.endpoint('bugs')}/stacks/${grp.physical_resource_id}`);
    expect(nested.status).toBe(302);
    const childPath = nested.headers.get('location')?.split('/stacks/')[1] ?? '';
    const shown = await api('GET', `${server.endpoint('bugs')}/stacks/${childPath}?resolve_outputs=false`);
    expect(shown.body.stack.stack_status).toBe('UPDATE_COMPLETE');
    const out = await api('GET', `${server.endpoint('bugs')}/stacks/grpfail/${id}/outputs/values`);
    expect(out.body.output.output_value).toEqual(['m0', 'm1']);
  }, 60_000);

  it('leaves no nested stack IN_PROGRESS when a sibling fails (disable_rollback: true)', async () => {
    const template = (value: string, boom: boolean): unknown => ({
      heat_template_version: '2021-04-16',
      resources: {
        grp: {
          type: 'OS::Heat::ResourceGroup',
          properties: { count: 2, resource_def: { type: T, properties: { value, wait_secs: 1 } } },
        },
        ...(boom ? { boom: { type: T, properties: { fail: true } } } : {}),
      },
    });
    const id = await create('stucknested', template('a', false));
    expect(await update('stucknested', id, template('b', true), true)).toBe('UPDATE_FAILED');
    await new Promise((r) => setTimeout(r, 2500));
    const listed = await api('GET', `${server.endpoint('bugs')}/stacks?show_nested=true`);
    const child = (listed.body.stacks as any[]).find((s) => s.parent === id);
    expect(child.stack_status).not.toMatch(/IN_PROGRESS$/);
    const grp = await resource('stucknested', id, 'grp');
    expect(grp.resource_status_reason).not.toContain('Stack UPDATE started');
  }, 60_000);
});
