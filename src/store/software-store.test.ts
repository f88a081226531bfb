import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SoftwareConfigRecord, SoftwareDeploymentRecord } from '../engine/software/records.js';
import { SoftwareService, type SoftwareCaller } from '../engine/software/service.js';
import { HeatError } from '../template/errors.js';
import { fixtureId } from './fixtures.js';
import { SqlSoftwareStore } from './software-store.js';
import type { SqlStore } from './sql-store.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';

const A: SoftwareCaller = { projectId: 'project-a', admin: false };
const B: SoftwareCaller = { projectId: 'project-b', admin: false };
const ADMIN: SoftwareCaller = { projectId: 'project-admin', admin: true };

function config(overrides: Partial<SoftwareConfigRecord> = {}): SoftwareConfigRecord {
  return {
    id: fixtureId(),
    projectId: A.projectId,
    name: 'cfg',
    group: 'script',
    config: '#!/bin/sh\necho "ünïcode"\n',
    inputs: [{ name: 'x', type: 'Number', default: 1, replace_on_change: true }],
    outputs: [{ name: 'y', type: 'String', error_output: false }],
    options: { timeout: 5 },
    createdAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function deployment(
  configId: string,
  overrides: Partial<SoftwareDeploymentRecord> = {},
): SoftwareDeploymentRecord {
  return {
    id: fixtureId(),
    projectId: A.projectId,
    configId,
    serverId: 'server-1',
    inputValues: { x: 2 },
    outputValues: null,
    action: 'CREATE',
    status: 'IN_PROGRESS',
    statusReason: 'Deploy data available',
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: null,
    stackUserProjectId: null,
    ...overrides,
  };
}

/** A clock one second further at every reading. */
function steppingClock(): () => Date {
  let t = Date.parse('2024-05-01T00:00:00Z');
  return () => new Date((t += 1000));
}

/** The Heat error a promise is refused with. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ type: string; status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HeatError) return { type: err.type, status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe.each(TEST_DIALECTS)('software configs and deployments in the SQL store (%s)', (dialect) => {
  let opened: TestStore;
  let sql: SqlStore;
  let store: SqlSoftwareStore;
  beforeEach(async () => {
    opened = await openTestStore(dialect);
    sql = opened.store;
    store = new SqlSoftwareStore(sql.db);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('round-trips configs (text, map, null) and scopes them by project', async () => {
    const text = config();
    const map = config({
      name: null,
      config: { files: { '/etc/x': 'y' } },
      options: null,
      inputs: [],
      outputs: [],
    });
    const none = config({ config: null, projectId: B.projectId });
    for (const c of [text, map, none]) await store.insertConfig(c);
    expect(await store.getConfig(text.id, A.projectId)).toEqual(text);
    expect(await store.getConfig(map.id, A.projectId)).toEqual(map);
    expect(await store.getConfig(none.id, B.projectId)).toEqual(none);
    expect(await store.getConfig(text.id, B.projectId)).toBeUndefined();
    expect(await store.countConfigs(A.projectId)).toBe(2);
    expect(await store.countConfigs('nobody')).toBe(0);
  });

  it('lists configs newest first with limit and marker; an unknown or foreign marker is ignored', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = config({ createdAt: `2024-01-0${i + 1}T00:00:00.000Z` });
      ids.push(c.id);
      await store.insertConfig(c);
    }
    const foreign = config({ projectId: B.projectId, createdAt: '2024-01-03T00:00:00.000Z' });
    await store.insertConfig(foreign);
    const newestFirst = [...ids].reverse();
    const list = async (q: { limit?: number; marker?: string; projectId?: string }) =>
      (await store.listConfigs({ projectId: A.projectId, ...q })).map((c) => c.id);
    expect(await list({})).toEqual(newestFirst);
    expect(await list({ limit: 2 })).toEqual(newestFirst.slice(0, 2));
    expect(await list({ limit: 0 })).toEqual([]);
    expect(await list({ marker: newestFirst[1] })).toEqual(newestFirst.slice(2));
    expect(await list({ marker: newestFirst[0], limit: 1 })).toEqual([newestFirst[1]]);
    expect(await list({ marker: 'no-such-id' })).toEqual(newestFirst);
    expect(await list({ marker: foreign.id })).toEqual(newestFirst);
    expect(await store.listConfigs({ projectId: undefined })).toHaveLength(5);
  });

  it('orders configs created in the same instant by id', async () => {
    const same = ['b', 'a', 'c'].map((k) => config({ id: `${k}0000000-0000-4000-8000-000000000000` }));
    for (const c of same) await store.insertConfig(c);
    const ids = (await store.listConfigs({ projectId: A.projectId })).map((c) => c.id[0]);
    expect(ids).toEqual(['c', 'b', 'a']);
    const afterB = await store.listConfigs({ projectId: A.projectId, marker: same[0]!.id });
    expect(afterB.map((c) => c.id[0])).toEqual(['a']);
  });

  it('deletes a config only when no deployment uses it, and only in its project', async () => {
    const used = config();
    const free = config();
    await store.insertConfig(used);
    await store.insertConfig(free);
    await store.insertDeployment(deployment(used.id));
    expect(await store.deleteConfig(used.id, A.projectId)).toBe('referenced');
    expect(await store.deleteConfig(free.id, B.projectId)).toBe('missing');
    expect(await store.deleteConfig(free.id, A.projectId)).toBe('deleted');
    expect(await store.deleteConfig(free.id, A.projectId)).toBe('missing');
    expect(await store.getConfig(used.id, A.projectId)).toEqual(used);
  });

  it('refuses a deployment of a config that does not exist (foreign key)', async () => {
    await expect(store.insertDeployment(deployment('no-such-config'))).rejects.toThrow(/foreign key/i);
  });

  it('shows deployments to their project and their stack user project only', async () => {
    const c = config();
    await store.insertConfig(c);
    const own = deployment(c.id);
    const shared = deployment(c.id, { stackUserProjectId: 'stack-user-p', serverId: 'server-2' });
    await store.insertDeployment(own);
    await store.insertDeployment(shared);
    expect(await store.getDeployment(own.id, A.projectId)).toEqual(own);
    expect(await store.getDeployment(own.id, 'stack-user-p')).toBeUndefined();
    expect(await store.getDeployment(shared.id, 'stack-user-p')).toEqual(shared);
    expect(await store.getDeployment(own.id, B.projectId)).toBeUndefined();
    expect((await store.listDeployments({ projectId: A.projectId })).map((d) => d.id)).toEqual([
      own.id,
      shared.id,
    ]);
    expect((await store.listDeployments({ projectId: 'stack-user-p' })).map((d) => d.id)).toEqual([
      shared.id,
    ]);
    expect(await store.listDeployments({ projectId: A.projectId, serverId: 'server-2' })).toEqual([shared]);
    expect(await store.listDeployments({ projectId: B.projectId })).toEqual([]);
    expect(await store.countDeployments(A.projectId)).toBe(2);
    expect(await store.countDeployments('stack-user-p')).toBe(1);
  });

  it('patches deployments and returns them as stored; unknown fields fail', async () => {
    const c = config();
    await store.insertConfig(c);
    const d = deployment(c.id);
    await store.insertDeployment(d);
    const updated = await store.updateDeployment(d.id, {
      outputValues: { y: 'done' },
      status: 'COMPLETE',
      statusReason: 'Outputs received',
      updatedAt: '2024-02-01T00:00:00.000Z',
    });
    expect(updated).toEqual({
      ...d,
      outputValues: { y: 'done' },
      status: 'COMPLETE',
      statusReason: 'Outputs received',
      updatedAt: '2024-02-01T00:00:00.000Z',
    });
    expect(await store.updateDeployment('missing', { status: 'FAILED' })).toBeUndefined();
    await expect(store.updateDeployment(d.id, { bogus: 1 } as never)).rejects.toThrow(/cannot be patched/);
    await store.deleteDeployment(d.id);
    expect(await store.getDeployment(d.id, A.projectId)).toBeUndefined();
  });

  it("lists a server's configs in the deployments' creation order", async () => {
    const first = config({ name: 'z' });
    const second = config({ name: 'a' });
    await store.insertConfig(first);
    await store.insertConfig(second);
    await store.insertDeployment(deployment(first.id, { createdAt: '2024-01-01T00:00:01.000Z' }));
    await store.insertDeployment(deployment(second.id, { createdAt: '2024-01-01T00:00:02.000Z' }));
    await store.insertDeployment(deployment(second.id, { serverId: 'other' }));
    expect((await store.listServerConfigs(A.projectId, 'server-1')).map((c) => c.name)).toEqual(['z', 'a']);
    expect(await store.listServerConfigs(B.projectId, 'server-1')).toEqual([]);
  });
});

describe.each(TEST_DIALECTS)('the software service over the SQL store (%s)', (dialect) => {
  let opened: TestStore;
  let sql: SqlStore;
  let service: SoftwareService;
  beforeEach(async () => {
    opened = await openTestStore(dialect);
    sql = opened.store;
    service = new SoftwareService(new SqlSoftwareStore(sql.db), { clock: steppingClock() });
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('creates, shows, lists and deletes configs within the project', async () => {
    const created = await service.createConfig(A, { name: 'one', config: 'echo', inputs: [{ name: 'i' }] });
    expect(created).toMatchObject({
      projectId: A.projectId,
      name: 'one',
      group: 'Heat::Ungrouped',
      inputs: [{ name: 'i', type: 'String' }],
      outputs: [],
      options: null,
      createdAt: '2024-05-01T00:00:01.000Z',
    });
    expect(await service.showConfig(A, created.id)).toEqual(created);
    expect(await refusal(service.showConfig(B, created.id))).toEqual({
      type: 'NotFound',
      status: 404,
      message: `Software config with id ${created.id} not found`,
    });
    expect(await refusal(service.deleteConfig(B, created.id))).toMatchObject({ status: 404 });
    expect(await service.listConfigs(B)).toEqual([]);
    expect(await refusal(service.listConfigs(B, { allProjects: true }))).toEqual({
      type: 'Forbidden',
      status: 403,
      message: 'You are not authorized to use global_index.',
    });
    expect((await service.listConfigs(ADMIN, { allProjects: true })).map((c) => c.id)).toEqual([created.id]);
    await service.deleteConfig(A, created.id);
    expect(await service.listConfigs(A)).toEqual([]);
  });

  it("enforces Heat's per-project limits, except for admins", async () => {
    const limited = new SoftwareService(new SqlSoftwareStore(sql.db), {
      limits: { maxConfigsPerProject: 1, maxDeploymentsPerProject: 1 },
    });
    const c = await limited.createConfig(A, {});
    expect(await refusal(limited.createConfig(A, {}))).toEqual({
      type: 'RequestLimitExceeded',
      status: 400,
      message:
        'Request limit exceeded: You have reached the maximum software configs per tenant, 1. Please delete some configs.',
    });
    await limited.createConfig(B, {});
    await limited.createConfig({ ...A, admin: true }, {});
    await limited.createDeployment(A, { config_id: c.id, server_id: 's' });
    expect(await refusal(limited.createDeployment(A, { config_id: c.id, server_id: 's' }))).toEqual({
      type: 'RequestLimitExceeded',
      status: 400,
      message:
        'Request limit exceeded: You have reached the maximum software deployments per tenant, 1. ' +
        'Please delete some deployments.',
    });
    const unlimited = new SoftwareService(new SqlSoftwareStore(sql.db), {
      limits: { maxConfigsPerProject: -1 },
    });
    await unlimited.createConfig(A, {});
  });

  it("creates deployments only of the project's own configs, keeping Heat's status_reason quirk", async () => {
    const c = await service.createConfig(A, { name: 'c' });
    const foreign = await service.createConfig(B, { name: 'f' });
    const d = await service.createDeployment(A, {
      config_id: c.id,
      server_id: 'srv',
      action: 'CREATE',
      status: 'IN_PROGRESS',
    });
    expect(d).toMatchObject({
      configId: c.id,
      serverId: 'srv',
      inputValues: null,
      outputValues: null,
      action: 'CREATE',
      status: 'IN_PROGRESS',
      statusReason: 'None',
      updatedAt: null,
      stackUserProjectId: null,
    });
    expect(await refusal(service.createDeployment(A, { config_id: foreign.id, server_id: 'srv' }))).toEqual({
      type: 'Invalid',
      status: 400,
      message: `Data supplied was not valid: Config with id ${foreign.id} not found`,
    });
    expect(await refusal(service.showDeployment(B, d.id))).toEqual({
      type: 'NotFound',
      status: 404,
      message: `Deployment with id ${d.id} not found`,
    });
    expect(await refusal(service.deleteConfig(A, c.id))).toEqual({
      type: 'InvalidRestrictedAction',
      status: 400,
      message: `Software config with id ${c.id} can not be deleted as it is referenced.`,
    });
  });

  it('lets only admins share a deployment with another stack user project', async () => {
    const c = await service.createConfig(A, {});
    expect(
      await refusal(
        service.createDeployment(A, { config_id: c.id, server_id: 's', stack_user_project_id: 'project-b' }),
      ),
    ).toMatchObject({ type: 'Forbidden', status: 403 });
    await service.createDeployment(A, {
      config_id: c.id,
      server_id: 's',
      stack_user_project_id: A.projectId,
    });
    const adminCaller = { ...A, admin: true };
    const shared = await service.createDeployment(adminCaller, {
      config_id: c.id,
      server_id: 's',
      stack_user_project_id: 'project-b',
    });
    expect((await service.showDeployment(B, shared.id)).id).toBe(shared.id);
  });

  it('updates deployments as Heat: empty values change nothing, updated_time always moves', async () => {
    const c1 = await service.createConfig(A, {});
    const c2 = await service.createConfig(A, {});
    const foreign = await service.createConfig(B, {});
    const d = await service.createDeployment(A, { config_id: c1.id, server_id: 's', input_values: { a: 1 } });
    const updated = await service.updateDeployment(A, d.id, {
      config_id: c2.id,
      input_values: {},
      output_values: { r: 1 },
      status: 'COMPLETE',
      status_reason: '',
      action: null,
    });
    expect(updated).toMatchObject({
      configId: c2.id,
      inputValues: { a: 1 },
      outputValues: { r: 1 },
      status: 'COMPLETE',
      statusReason: 'None',
      updatedAt: '2024-05-01T00:00:05.000Z',
    });
    expect((await service.updateDeployment(A, d.id, {})).updatedAt).toBe('2024-05-01T00:00:06.000Z');
    expect(await refusal(service.updateDeployment(A, d.id, { config_id: foreign.id }))).toMatchObject({
      type: 'Invalid',
      status: 400,
    });
    expect(await refusal(service.updateDeployment(B, d.id, { status: 'FAILED' }))).toMatchObject({
      status: 404,
    });
    expect(await refusal(service.updateDeployment(A, d.id, { status: 'DONE' }))).toMatchObject({
      type: 'HTTPBadRequest',
      message:
        'The software deployment "status" must be one of IN_PROGRESS, COMPLETE, FAILED, got a string ("DONE").',
    });
  });

  it("builds a server's metadata from its deployments' configs sorted by config name", async () => {
    const names = ['b', 'a', null, 'a'];
    const created: SoftwareConfigRecord[] = [];
    for (const name of names) {
      const c = await service.createConfig(A, { name, config: `config ${created.length}` });
      created.push(c);
      await service.createDeployment(A, { config_id: c.id, server_id: 'srv' });
    }
    await service.createDeployment(A, { config_id: created[0]!.id, server_id: 'other' });
    const metadata = await service.metadata(A, 'srv');
    expect(metadata.map((c) => c.config)).toEqual(['config 2', 'config 1', 'config 3', 'config 0']);
    expect(await service.metadata(B, 'srv')).toEqual([]);
    expect(await refusal(service.metadata(A, ''))).toEqual({
      type: 'ValueError',
      status: 400,
      message: 'server_id must be specified',
    });
  });

  it('applies signals to deployments in progress only', async () => {
    const c = await service.createConfig(A, { outputs: [{ name: 'result' }] });
    const d = await service.createDeployment(A, { config_id: c.id, server_id: 's', status: 'IN_PROGRESS' });
    expect(await service.signalDeployment(A, d.id, { result: 'x', deploy_status_code: 0 })).toBe(
      `deployment ${d.id} succeeded`,
    );
    expect(await service.showDeployment(A, d.id)).toMatchObject({
      status: 'COMPLETE',
      statusReason: 'Outputs received',
      outputValues: { result: 'x', deploy_stdout: null, deploy_stderr: null, deploy_status_code: 0 },
    });
    expect(await service.signalDeployment(A, d.id, { deploy_status_code: 1 })).toBeUndefined();
    expect(await refusal(service.signalDeployment(A, d.id, 'text'))).toMatchObject({ type: 'ValueError' });
  });
});
