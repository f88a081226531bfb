/**
 * The software configuration types through the real engine over a real SQLite store: a DeployedServer, a
 * SoftwareConfig and SoftwareDeployments, signalled as a host would (`SoftwareService.signalDeployment`), plus the
 * host credentials and the signed signal URL route through the real API (`app.inject`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../engine/engine.js';
import type { SoftwareRuntime } from '../../server/software.js';
import type { SqlStore } from '../../store/sql-store.js';
import { startSoftwareHarness, type SoftwareHarness } from './testing.js';

const P = 'proj';
let store: SqlStore;
let engine: Engine;
let software: SoftwareRuntime;
let app: FastifyInstance;

let harness: SoftwareHarness;

beforeAll(async () => {
  harness = await startSoftwareHarness();
  ({ store, engine, software, app } = harness);
});

afterAll(async () => harness?.close());

const caller = { projectId: P, admin: false };

function template(inputValue: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    heat_template_version: '2021-04-16',
    resources: {
      server: { type: 'OS::Heat::DeployedServer' },
      config: {
        type: 'OS::Heat::SoftwareConfig',
        properties: {
          group: 'script',
          config: 'echo hi',
          inputs: [{ name: 'foo' }, { name: 'sticky', replace_on_change: true, default: 's' }],
          outputs: [{ name: 'result' }, { name: 'oops', error_output: true }],
        },
      },
      deploy: {
        type: 'OS::Heat::SoftwareDeployment',
        properties: {
          config: { get_resource: 'config' },
          server: { get_resource: 'server' },
          input_values: { foo: inputValue },
          name: 'b-deploy',
        },
      },
      quiet: {
        type: 'OS::Heat::SoftwareDeployment',
        properties: {
          config: { get_resource: 'config' },
          server: { get_resource: 'server' },
          signal_transport: 'NO_SIGNAL',
          name: 'a-quiet',
        },
      },
      ...extra,
    },
    outputs: { result: { value: { get_attr: ['deploy', 'result'] } } },
  };
}

/** Waits until `stackId`'s resource `name` has a deployment IN_PROGRESS; returns the deployment. */
async function inProgress(stackId: string, name: string, notId?: string) {
  for (let i = 0; i < 200; i++) {
    const rows = await store.listResources(stackId);
    const row = rows.find((r) => r.name === name && r.current && r.id !== notId);
    if (row) {
      const d = await software.deployer.find(P, row.id);
      if (d?.status === 'IN_PROGRESS') return d;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no deployment of ${name} in progress`);
}

async function settled(stackId: string) {
  await engine.settle(stackId);
  return engine.showStack(P, stackId, { resolveOutputs: true });
}

describe('SoftwareDeployment through the engine', () => {
  let stackId = '';
  let serverId = '';

  it('creates the deployment IN_PROGRESS, completes on the signal, exposes outputs and metadata', async () => {
    const s = await engine.createStack(P, { stackName: 'sw', template: template('one') });
    stackId = s.id;
    const d = await inProgress(stackId, 'deploy');
    const derived = await software.service.showConfig(caller, d.configId);
    serverId = d.serverId;
    const byName = Object.fromEntries(derived.inputs.map((i) => [i.name, i.value]));
    expect(byName).toMatchObject({
      foo: 'one',
      sticky: 's',
      deploy_server_id: serverId,
      deploy_action: 'CREATE',
      deploy_stack_id: `sw/${stackId}`,
      deploy_resource_name: 'deploy',
      deploy_signal_transport: 'HEAT_SIGNAL',
      deploy_signal_id: `http://hearth.test:8004/v1/${P}/agent/${serverId}/deployments/${d.id}/signal`,
      deploy_signal_verb: 'POST',
    });
    expect(derived.name).toBe('b-deploy');
    expect(await software.service.signalDeployment(caller, d.id, { result: 42, deploy_stdout: 'ok' })).toBe(
      `deployment ${d.id} succeeded`,
    );
    const view = await settled(stackId);
    expect(view.status).toBe('COMPLETE');
    const rows = await store.listResources(stackId);
    const deploy = rows.find((r) => r.name === 'deploy')!;
    expect(deploy.physicalId).toBe(deploy.id);
    expect(deploy.attributes).toMatchObject({ result: 42, deploy_stdout: 'ok', deploy_status_code: null });
    const quiet = await software.deployer.find(P, rows.find((r) => r.name === 'quiet')!.id);
    expect(quiet).toMatchObject({ status: 'COMPLETE', statusReason: 'Not waiting for outputs signal' });
    const server = rows.find((r) => r.name === 'server')!;
    const names = (server.metadata['deployments'] as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(['a-quiet', 'b-deploy']);
  });

  it('gives the server an os_collect_config with a working host credential', async () => {
    const attr = await engine.showResource(P, stackId, 'server', { withAttr: ['os_collect_config'] });
    const occ = attr.attributeValues?.['os_collect_config'] as {
      collectors: string[];
      hearth: Record<string, unknown>;
    };
    expect(occ.collectors).toEqual(['hearth']);
    expect(occ.hearth).toMatchObject({
      endpoint: `http://hearth.test:8004/v1/${P}`,
      server_id: serverId,
      stack_id: `sw/${stackId}`,
      resource_name: 'server',
      polling_interval: 30,
    });
    const token = String(occ.hearth['token']);
    expect(token.startsWith(`hth1.${P}.${serverId}.`)).toBe(true);
    expect(await software.deployer.verifyHostCredential(token)).toMatchObject({ id: serverId, projectId: P });
    expect(await software.deployer.verifyHostCredential(`${token.slice(0, -2)}xx`)).toBeUndefined();
    // A host credential may not touch the stack API, even under noauth.
    const r = await app.inject({ method: 'GET', url: `/v1/${P}/stacks`, headers: { 'x-auth-token': token } });
    expect(r.statusCode).toBe(403);
    const other = await app.inject({
      method: 'GET',
      url: `/v1/${P}/software_deployments/metadata/${serverId}`,
      headers: { 'x-auth-token': token },
    });
    expect(other.statusCode).toBe(403);
    const bad = await app.inject({
      method: 'GET',
      url: `/v1/${P}/stacks`,
      headers: { 'x-auth-token': `hth1.${P}.${serverId}.forged` },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('re-runs only the deployment whose input changed, and replaces on a replace_on_change input', async () => {
    const rowsBefore = await store.listResources(stackId);
    const quietBefore = await software.deployer.find(P, rowsBefore.find((r) => r.name === 'quiet')!.id);
    await engine.updateStack(P, stackId, { template: template('two') });
    const d = await inProgress(stackId, 'deploy');
    expect(d.action).toBe('UPDATE');
    expect(d.inputValues).toEqual({ foo: 'two' });
    await software.service.signalDeployment(caller, d.id, { result: 'again' });
    expect((await settled(stackId)).status).toBe('COMPLETE');
    const quietAfter = await software.deployer.find(P, quietBefore!.id);
    expect(quietAfter?.configId).toBe(quietBefore?.configId);

    const deployId = (await store.listResources(stackId)).find((r) => r.name === 'deploy' && r.current)!.id;
    const t = template('two');
    const res = t['resources'] as Record<string, { properties: Record<string, unknown> }>;
    res['deploy']!.properties['input_values'] = { foo: 'two', sticky: 'changed' };
    await engine.updateStack(P, stackId, { template: t });
    const replaced = await inProgress(stackId, 'deploy', deployId);
    expect(replaced.id).not.toBe(deployId);
    await software.service.signalDeployment(caller, replaced.id, {});
    expect((await settled(stackId)).status).toBe('COMPLETE');
    expect(await software.deployer.find(P, deployId)).toBeUndefined();
  });

  it('fails the resource with the status code and stderr tail of a failing signal', async () => {
    const s = await engine.createStack(P, {
      stackName: 'swfail',
      template: template('x'),
      disableRollback: true,
    });
    const d = await inProgress(s.id, 'deploy');
    await software.service.signalDeployment(caller, d.id, {
      deploy_status_code: 3,
      deploy_stderr: 'line1\nno space left on device\n',
    });
    const view = await settled(s.id);
    expect(view.status).toBe('FAILED');
    const row = (await store.listResources(s.id)).find((r) => r.name === 'deploy')!;
    expect(row.statusReason).toContain(
      'Deployment to server failed: deploy_status_code : Deployment exited with non-zero status code: 3',
    );
    expect(row.statusReason).toContain('no space left on device');
  });

  it('deletes deployments and revokes the host credential with the server', async () => {
    const token = software.deployer.hostCredential(P, serverId);
    await engine.deleteStack(P, stackId);
    await engine.settle(stackId);
    expect(await software.deployer.verifyHostCredential(token)).toBeUndefined();
    expect(await software.service.listDeployments(caller, { serverId })).toEqual([]);
  });
});

describe('TEMP_URL_SIGNAL through the signed signal URL route', () => {
  it('accepts a good signature once, refuses expired, tampered and foreign ones', async () => {
    const t = template('u');
    const res = t['resources'] as Record<string, { properties: Record<string, unknown> }>;
    res['deploy']!.properties['signal_transport'] = 'TEMP_URL_SIGNAL';
    res['other'] = { ...res['deploy']!, properties: { ...res['deploy']!.properties, name: 'c-other' } };
    const s = await engine.createStack(P, { stackName: 'swurl', template: t });
    const d = await inProgress(s.id, 'deploy');
    const other = await inProgress(s.id, 'other');
    const derived = await software.service.showConfig(caller, d.configId);
    const url = new URL(String(derived.inputs.find((i) => i.name === 'deploy_signal_id')!.value));
    expect(derived.inputs.find((i) => i.name === 'deploy_signal_verb')!.value).toBe('PUT');
    expect(url.pathname).toBe(`/v1/signal/deployments/${d.id}`);
    const put = (path: string) => app.inject({ method: 'PUT', url: path, payload: { result: 'via-url' } });
    const sig = url.searchParams.get('signature')!;
    const exp = url.searchParams.get('expires')!;

    const tampered = await put(`${url.pathname}?expires=${Number(exp) + 1}&signature=${sig}`);
    expect(tampered.statusCode).toBe(403);
    const foreign = await put(`/v1/signal/deployments/${other.id}?expires=${exp}&signature=${sig}`);
    expect(foreign.statusCode).toBe(403);
    const past = Math.floor(Date.now() / 1000) - 10;
    const expired = await put(
      `${url.pathname}?expires=${past}&signature=${software.deployer.signalUrls.signature(d.id, past)}`,
    );
    expect(expired.statusCode).toBe(403);
    expect(expired.json()).toMatchObject({ error: { message: expect.stringContaining('expired') } });
    expect((await software.deployer.find(P, d.id))?.status).toBe('IN_PROGRESS');

    const good = await put(`${url.pathname}${url.search}`);
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ deployment: { id: d.id, status: 'COMPLETE' } });
    const again = await put(`${url.pathname}${url.search}`);
    expect(again.statusCode).toBe(409);

    await software.service.signalDeployment(caller, other.id, {});
    const view = await settled(s.id);
    expect(view.status).toBe('COMPLETE');
    expect(view.outputs?.find((o) => o.key === 'result')?.value).toBe('via-url');
  });

  it('refuses CFN_SIGNAL and ZAQAR_SIGNAL deployments and POLL_SERVER_CFN servers at validation', async () => {
    const t = template('v');
    const res = t['resources'] as Record<string, { properties?: Record<string, unknown> }>;
    res['deploy']!.properties!['signal_transport'] = 'CFN_SIGNAL';
    await expect(engine.createStack(P, { stackName: 'swcfn', template: t })).rejects.toThrow(
      /CFN_SIGNAL needs/,
    );
    const t2 = template('v');
    (t2['resources'] as Record<string, Record<string, unknown>>)['server']!['properties'] = {
      software_config_transport: 'POLL_SERVER_CFN',
    };
    await expect(engine.createStack(P, { stackName: 'swcfn2', template: t2 })).rejects.toThrow(
      /POLL_SERVER_CFN needs/,
    );
  });
});
