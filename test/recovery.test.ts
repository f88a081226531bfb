/**
 * Crash-proof convergence: the server is killed with SIGKILL in the middle of an action and started again on the
 * same data directory; the action must finish (no stack stays IN_PROGRESS) and every resource must exist once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { api, startHearth, waitForStack, type HearthProcess } from './helpers/hearth.js';

let server: HearthProcess | undefined;
afterEach(async () => {
  await server?.stop('SIGKILL');
  server = undefined;
});

/** A chain of layers: every resource of layer k depends on all of layer k-1; each waits `wait` seconds. */
function layered(layers: number, width: number, wait: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let l = 0; l < layers; l++) {
    for (let w = 0; w < width; w++) {
      resources[`r${l}_${w}`] = {
        type: 'OS::Heat::TestResource',
        properties: { value: `v${l}_${w}`, wait_secs: wait, action_wait_secs: { delete: wait } },
        ...(l > 0 ? { depends_on: Array.from({ length: width }, (_, i) => `r${l - 1}_${i}`) } : {}),
      };
    }
  }
  return {
    heat_template_version: '2021-04-16',
    resources,
    outputs: { last: { value: { get_attr: [`r${layers - 1}_0`, 'output'] } } },
  };
}

async function killAndRestart(s: HearthProcess, afterMs: number): Promise<HearthProcess> {
  await new Promise((r) => setTimeout(r, afterMs));
  await s.stop('SIGKILL');
  return startHearth({ dataDir: s.dataDir, port: s.port });
}

describe('SIGKILL during an action, then restart', () => {
  it('finishes a create that was in progress', async () => {
    server = await startHearth();
    const ep = server.endpoint('crash');
    const created = await api('POST', `${ep}/stacks`, { stack_name: 'crashy', template: layered(6, 4, 0.3) });
    expect(created.status).toBe(201);
    const id = created.body.stack.id;
    server = await killAndRestart(server, 700);
    const done = await waitForStack(server.endpoint('crash'), 'crashy', id, 60_000);
    expect(done.stack_status).toBe('CREATE_COMPLETE');
    const res = await api('GET', `${server.endpoint('crash')}/stacks/crashy/${id}/resources`);
    const names = res.body.resources.map((r: any) => r.resource_name).sort();
    expect(names).toHaveLength(24);
    expect(new Set(names).size).toBe(24);
    expect(res.body.resources.every((r: any) => r.resource_status === 'CREATE_COMPLETE')).toBe(true);
    const out = await api('GET', `${server.endpoint('crash')}/stacks/crashy/${id}/outputs/last`);
    expect(out.body.output.output_value).toBe('v5_0');
  }, 90_000);

  it('finishes a delete that was in progress', async () => {
    server = await startHearth();
    const ep = server.endpoint('crash');
    const created = await api('POST', `${ep}/stacks`, { stack_name: 'gone', template: layered(4, 3, 0.2) });
    const id = created.body.stack.id;
    expect((await waitForStack(ep, 'gone', id)).stack_status).toBe('CREATE_COMPLETE');
    expect((await api('DELETE', `${ep}/stacks/gone/${id}`)).status).toBe(204);
    server = await killAndRestart(server, 300);
    const done = await waitForStack(server.endpoint('crash'), 'gone', id, 60_000);
    expect(['DELETE_COMPLETE', 'NOT_FOUND']).toContain(done.stack_status);
    const list = await api('GET', `${server.endpoint('crash')}/stacks`);
    expect(list.body.stacks.map((s: any) => s.stack_name)).not.toContain('gone');
  }, 90_000);

  it('finishes a create of nested stacks (ResourceGroup members waiting)', async () => {
    server = await startHearth();
    const ep = server.endpoint('crash');
    const template = {
      heat_template_version: '2021-04-16',
      resources: {
        g: {
          type: 'OS::Heat::ResourceGroup',
          properties: {
            count: 5,
            resource_def: { type: 'OS::Heat::TestResource', properties: { value: 'm%index%', wait_secs: 1 } },
          },
        },
      },
      outputs: { values: { value: { get_attr: ['g', 'output'] } } },
    };
    const created = await api('POST', `${ep}/stacks`, { stack_name: 'nested', template });
    const id = created.body.stack.id;
    server = await killAndRestart(server, 500);
    const done = await waitForStack(server.endpoint('crash'), 'nested', id, 60_000);
    expect(done.stack_status).toBe('CREATE_COMPLETE');
    const out = await api('GET', `${server.endpoint('crash')}/stacks/nested/${id}/outputs/values`);
    expect(out.body.output.output_value).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  }, 90_000);
});
