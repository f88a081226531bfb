/**
 * The software configuration types through the real engine over a real SQLite store, signalled as a host would
 * (`SoftwareService.signalDeployment`): the config types (MultipartMime, CloudConfig, SoftwareComponent), the
 * `actions` list, StructuredDeployment's get_input substitution, the signal rules, the deployment groups (maps keyed
 * by server name, removal, `update_policy` batches), the signed URL's lifetime and the deployment events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../engine/engine.js';
import type { SoftwareDeploymentRecord } from '../../engine/software/records.js';
import type { SoftwareRuntime } from '../../server/software.js';
import type { SqlStore } from '../../store/sql-store.js';
import { startSoftwareHarness, type SoftwareHarness } from './testing.js';

const P = 'proj';
const caller = { projectId: P, admin: false };
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

type Resources = Record<string, Record<string, unknown>>;

function hot(resources: Resources, outputs: Record<string, unknown> = {}): Record<string, unknown> {
  return { heat_template_version: '2021-04-16', resources, outputs };
}

const SERVER = { type: 'OS::Heat::DeployedServer' };

/** The current row of `name` in a stack. */
async function row(stackId: string, name: string) {
  const rows = await store.listResources(stackId);
  const r = rows.find((x) => x.name === name && x.current);
  if (!r) throw new Error(`no resource ${name}`);
  return r;
}

/** Polls until `probe` gives a value. */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The in-progress deployments of a server (optionally only those of `action`). */
async function waiting(serverId: string, action?: string): Promise<SoftwareDeploymentRecord[]> {
  const all = await software.service.listDeployments(caller, { serverId });
  return all.filter((d) => d.status === 'IN_PROGRESS' && (!action || d.action === action));
}

/** Waits for exactly one deployment of `resource` IN_PROGRESS (for `action`) and returns it. */
async function inProgress(stackId: string, resource: string, action = 'CREATE') {
  return until(`${resource} ${action} in progress`, async () => {
    const r = (await store.listResources(stackId)).find((x) => x.name === resource && x.current);
    const d = r ? await software.deployer.find(P, r.id) : undefined;
    return d?.status === 'IN_PROGRESS' && d.action === action ? d : undefined;
  });
}

async function derivedInputs(d: SoftwareDeploymentRecord): Promise<Record<string, unknown>> {
  const c = await software.service.showConfig(caller, d.configId);
  return Object.fromEntries(c.inputs.map((i) => [i.name, i.value]));
}

async function settled(stackId: string) {
  await engine.settle(stackId);
  return engine.showStack(P, stackId, { resolveOutputs: true });
}

async function serverIdOf(stackId: string, name = 'server'): Promise<string> {
  return until('server id', async () => (await row(stackId, name)).physicalId ?? undefined);
}

describe('config types', () => {
  it('MultipartMime assembles inline text and referenced configs; CloudConfig renders #cloud-config', async () => {
    const s = await engine.createStack(P, {
      stackName: 'mime',
      template: hot({
        script: { type: 'OS::Heat::SoftwareConfig', properties: { config: '#!/bin/sh\necho hi' } },
        cloud: { type: 'OS::Heat::CloudConfig', properties: { cloud_config: { runcmd: ['echo one'] } } },
        mime: {
          type: 'OS::Heat::MultipartMime',
          properties: {
            parts: [
              { config: { get_resource: 'script' }, filename: 'boot.sh', subtype: 'x-shellscript' },
              { config: { get_resource: 'cloud' } },
              { config: 'plain words' },
            ],
          },
        },
      }),
    });
    expect((await settled(s.id)).status).toBe('COMPLETE');
    const cloud = await engine.showResource(P, s.id, 'cloud', { withAttr: ['config'] });
    expect(cloud.attributeValues?.['config']).toBe('#cloud-config\nruncmd:\n  - echo one\n');
    const mime = await engine.showResource(P, s.id, 'mime', { withAttr: ['config'] });
    const message = String(mime.attributeValues?.['config']);
    const boundary = /boundary="([^"]+)"/.exec(message)?.[1];
    expect(boundary).toMatch(/^={15}\d{19}==$/);
    const parts = message.split(`--${boundary}`);
    expect(parts).toHaveLength(5);
    expect(parts[1]).toContain('Content-Type: text/x-shellscript; charset="us-ascii"');
    expect(parts[1]).toContain('Content-Disposition: attachment; filename="boot.sh"');
    expect(parts[1]).toContain('#!/bin/sh\necho hi');
    expect(parts[2]).toContain('Content-Type: text/plain');
    expect(parts[2]).toContain('#cloud-config\nruncmd:');
    expect(parts[3]).toContain('plain words');
    expect(parts[4]).toBe('--\n');
    // The stored config is the message; the resource's physical id is that config's id.
    const stored = await software.service.showConfig(caller, String((await row(s.id, 'mime')).physicalId));
    expect(stored.config).toBe(message);
  });
});

describe('the actions list', () => {
  it('[CREATE] only: an update does not re-deploy; DELETE in actions runs a DELETE deployment', async () => {
    const t = (value: string) =>
      hot({
        server: SERVER,
        config: {
          type: 'OS::Heat::SoftwareConfig',
          properties: { group: 'script', config: 'true', inputs: [{ name: 'v' }] },
        },
        once: {
          type: 'OS::Heat::SoftwareDeployment',
          properties: {
            config: { get_resource: 'config' },
            server: { get_resource: 'server' },
            input_values: { v: value },
            actions: ['CREATE'],
          },
        },
        bye: {
          type: 'OS::Heat::SoftwareDeployment',
          properties: {
            config: { get_resource: 'config' },
            server: { get_resource: 'server' },
            actions: ['DELETE'],
          },
        },
      });
    const s = await engine.createStack(P, { stackName: 'acts', template: t('a') });
    const once = await inProgress(s.id, 'once');
    const serverId = await serverIdOf(s.id);
    // `bye` does not act on CREATE: no deployment row at all.
    expect(await software.deployer.find(P, (await row(s.id, 'bye')).id)).toBeUndefined();
    await software.service.signalDeployment(caller, once.id, { deploy_stdout: 'done' });
    expect((await settled(s.id)).status).toBe('COMPLETE');

    await engine.updateStack(P, s.id, { template: t('b') });
    const view = await settled(s.id);
    expect(view.status).toBe('COMPLETE');
    const after = await software.deployer.find(P, once.id);
    expect(after).toMatchObject({ action: 'CREATE', status: 'COMPLETE', configId: once.configId });
    expect(await waiting(serverId)).toEqual([]);

    await engine.deleteStack(P, s.id);
    const bye = await until('DELETE deployment', async () => (await waiting(serverId, 'DELETE'))[0]);
    expect((await derivedInputs(bye))['deploy_action']).toBe('DELETE');
    expect((await engine.showStack(P, s.id)).status).toBe('IN_PROGRESS');
    await software.service.signalDeployment(caller, bye.id, {});
    await engine.settle(s.id);
    expect(await software.service.listDeployments(caller, { serverId })).toEqual([]);
  });

  it('a SoftwareComponent acts on the actions of its configs, whatever `actions` says', async () => {
    const t = (value: string) =>
      hot({
        server: SERVER,
        component: {
          type: 'OS::Heat::SoftwareComponent',
          properties: {
            configs: [
              { actions: ['CREATE'], config: 'echo create', tool: 'script' },
              { actions: ['DELETE'], config: 'echo delete', tool: 'script' },
            ],
            inputs: [{ name: 'v' }],
          },
        },
        deploy: {
          type: 'OS::Heat::SoftwareDeployment',
          properties: {
            config: { get_resource: 'component' },
            server: { get_resource: 'server' },
            input_values: { v: value },
            actions: ['UPDATE'],
          },
        },
      });
    const s = await engine.createStack(P, { stackName: 'comp', template: t('a') });
    const d = await inProgress(s.id, 'deploy');
    const derived = await software.service.showConfig(caller, d.configId);
    expect(derived.group).toBe('component');
    expect(derived.config).toEqual({
      configs: [
        { actions: ['CREATE'], config: 'echo create', tool: 'script' },
        { actions: ['DELETE'], config: 'echo delete', tool: 'script' },
      ],
    });
    await software.service.signalDeployment(caller, d.id, {});
    expect((await settled(s.id)).status).toBe('COMPLETE');
    // UPDATE is in no config's actions: nothing is deployed although `actions` lists it.
    await engine.updateStack(P, s.id, { template: t('b') });
    expect((await settled(s.id)).status).toBe('COMPLETE');
    expect((await software.deployer.find(P, d.id))?.action).toBe('CREATE');
    const serverId = await serverIdOf(s.id);
    await engine.deleteStack(P, s.id);
    const del = await until('DELETE', async () => (await waiting(serverId, 'DELETE'))[0]);
    await software.service.signalDeployment(caller, del.id, {});
    await engine.settle(s.id);
  });
});

describe('StructuredDeployment', () => {
  const template = (validate: 'LAX' | 'STRICT', extra: Record<string, unknown> = {}) =>
    hot({
      server: SERVER,
      config: {
        type: 'OS::Heat::StructuredConfig',
        properties: {
          group: 'json-file',
          config: {
            '/etc/app.json': { name: { get_input: 'name' }, list: [{ get_input: 'port' }, 'fixed'] },
            missing: { get_input: 'nowhere' },
            keep: { get_input: 'name', other: 1 },
          },
          inputs: [{ name: 'name' }, { name: 'port', type: 'Number', default: 80 }],
        },
      },
      deploy: {
        type: 'OS::Heat::StructuredDeployment',
        properties: {
          config: { get_resource: 'config' },
          server: { get_resource: 'server' },
          input_values: { name: 'web' },
          input_values_validate: validate,
          ...extra,
        },
      },
    });

  it('LAX substitutes get_input everywhere (defaults too) and gives null for a missing input', async () => {
    const s = await engine.createStack(P, { stackName: 'structured', template: template('LAX') });
    const d = await inProgress(s.id, 'deploy');
    const derived = await software.service.showConfig(caller, d.configId);
    expect(derived.config).toEqual({
      '/etc/app.json': { name: 'web', list: [80, 'fixed'] },
      missing: null,
      keep: { get_input: 'name', other: 1 },
    });
    await software.service.signalDeployment(caller, d.id, {});
    expect((await settled(s.id)).status).toBe('COMPLETE');
  });

  it('input_key changes the substituted key; deploy_* inputs can be substituted too', async () => {
    const t = template('LAX', { input_key: 'param' });
    const cfg = (t['resources'] as Resources)['config']!['properties'] as Record<string, unknown>;
    cfg['config'] = {
      who: { param: 'name' },
      action: { param: 'deploy_action' },
      raw: { get_input: 'name' },
    };
    const s = await engine.createStack(P, { stackName: 'structured-key', template: t });
    const d = await inProgress(s.id, 'deploy');
    expect((await software.service.showConfig(caller, d.configId)).config).toEqual({
      who: 'web',
      action: 'CREATE',
      raw: { get_input: 'name' },
    });
    await software.service.signalDeployment(caller, d.id, {});
    await settled(s.id);
  });

  it('STRICT fails the deployment naming the missing input', async () => {
    const s = await engine.createStack(P, {
      stackName: 'structured-strict',
      template: template('STRICT'),
      disableRollback: true,
    });
    const view = await settled(s.id);
    expect(view.status).toBe('FAILED');
    const r = await row(s.id, 'deploy');
    expect(r.status).toBe('FAILED');
    expect(r.statusReason).toContain('The Parameter (nowhere) was not provided.');
    expect(await software.deployer.find(P, r.id)).toBeUndefined();
  });
});

describe('signal rules', () => {
  const template = hot({
    server: SERVER,
    config: {
      type: 'OS::Heat::SoftwareConfig',
      properties: {
        config: 'run',
        outputs: [{ name: 'result' }, { name: 'problem', error_output: true }],
      },
    },
    a: {
      type: 'OS::Heat::SoftwareDeployment',
      properties: { config: { get_resource: 'config' }, server: { get_resource: 'server' }, name: 'a' },
    },
  });

  async function outcome(name: string, details: Record<string, unknown>) {
    const s = await engine.createStack(P, { stackName: name, template, disableRollback: true });
    const d = await inProgress(s.id, 'a');
    const reason = await software.service.signalDeployment(caller, d.id, details);
    const view = await settled(s.id);
    const r = await row(s.id, 'a');
    return { reason, view, r, d: (await software.deployer.find(P, d.id))!, id: d.id };
  }

  it('a status code of 0 or "0", or none, succeeds; outputs become attributes', async () => {
    for (const [i, code] of [0, '0', undefined, null, ''].entries()) {
      const o = await outcome(`code-ok-${i}`, { deploy_status_code: code, result: `r${i}` });
      expect(o.view.status).toBe('COMPLETE');
      expect(o.reason).toBe(`deployment ${o.id} succeeded`);
      expect(o.d).toMatchObject({ status: 'COMPLETE', statusReason: 'Outputs received' });
      expect(o.r.attributes['result']).toBe(`r${i}`);
    }
  });

  it('a non-zero status code fails with Heat reason and event text', async () => {
    const o = await outcome('code-bad', { deploy_status_code: '2', deploy_stderr: 'boom' });
    expect(o.reason).toBe(`deployment ${o.id} failed (2)`);
    expect(o.d.statusReason).toBe('deploy_status_code : Deployment exited with non-zero status code: 2');
    expect(o.r.statusReason).toBe(
      'Error: resources.a: Deployment to server failed: deploy_status_code : Deployment exited with non-zero status code: 2; ' +
        'stderr: boom',
    );
    expect(o.view.status).toBe('FAILED');
  });

  it('a present error_output fails it, with its value as the reason', async () => {
    const o = await outcome('error-output', { result: 'partial', problem: 'disk full' });
    expect(o.reason).toBe(`deployment ${o.id} failed`);
    expect(o.d).toMatchObject({
      status: 'FAILED',
      statusReason: 'problem : disk full',
      outputValues: { result: 'partial', problem: 'disk full', deploy_status_code: null },
    });
    expect(o.r.statusReason).toBe('Error: resources.a: Deployment to server failed: problem : disk full');
  });

  it('a signal through the resource signal route records its event once', async () => {
    const s = await engine.createStack(P, { stackName: 'resource-signal', template });
    const d = await inProgress(s.id, 'a');
    await engine.signalResource(P, s.id, 'a', { result: 'via-resource' });
    expect((await settled(s.id)).status).toBe('COMPLETE');
    const events = await engine.listEvents(P, s.id, {});
    const mine = events.filter((e) => e.reason === `deployment ${d.id} succeeded`);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ resourceName: 'a' });
  });
});

describe('TEMP_URL_SIGNAL', () => {
  it('lives as long as the stack timeout and records its event once', async () => {
    const t = hot({
      server: SERVER,
      config: { type: 'OS::Heat::SoftwareConfig', properties: { config: 'x' } },
      deploy: {
        type: 'OS::Heat::SoftwareDeployment',
        properties: {
          config: { get_resource: 'config' },
          server: { get_resource: 'server' },
          signal_transport: 'TEMP_URL_SIGNAL',
        },
      },
    });
    const before = Math.floor(Date.now() / 1000);
    const s = await engine.createStack(P, { stackName: 'url-life', template: t, timeoutMins: 7 });
    const d = await inProgress(s.id, 'deploy');
    const url = new URL(String((await derivedInputs(d))['deploy_signal_id']));
    const expires = Number(url.searchParams.get('expires'));
    expect(expires).toBeGreaterThanOrEqual(before + 7 * 60);
    expect(expires).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 7 * 60);
    const r = await app.inject({ method: 'PUT', url: `${url.pathname}${url.search}`, payload: {} });
    expect(r.statusCode).toBe(200);
    expect((await settled(s.id)).status).toBe('COMPLETE');
    const events = await engine.listEvents(P, s.id, {});
    expect(events.filter((e) => e.reason === `deployment ${d.id} succeeded`)).toHaveLength(1);
  });

  it('falls back to 24 hours without a stack timeout', async () => {
    const { signalUrlLifetimeSeconds } = await import('../../engine/software/deployer.js');
    expect(signalUrlLifetimeSeconds(null)).toBe(24 * 3600);
    expect(signalUrlLifetimeSeconds(undefined)).toBe(24 * 3600);
    expect(signalUrlLifetimeSeconds(0)).toBe(24 * 3600);
    expect(signalUrlLifetimeSeconds(2)).toBe(120);
  });
});

describe('deployment groups', () => {
  const group = (
    type: string,
    servers: string[],
    value: string,
    updatePolicy?: Record<string, unknown>,
  ): Record<string, unknown> => {
    const resources: Resources = {
      config: {
        type: type.startsWith('OS::Heat::Structured')
          ? 'OS::Heat::StructuredConfig'
          : 'OS::Heat::SoftwareConfig',
        properties: type.startsWith('OS::Heat::Structured')
          ? { config: { say: { get_input: 'v' } }, inputs: [{ name: 'v' }], outputs: [{ name: 'out' }] }
          : { config: 'echo', inputs: [{ name: 'v' }], outputs: [{ name: 'out' }] },
      },
      group: {
        type,
        properties: {
          config: { get_resource: 'config' },
          servers: Object.fromEntries(servers.map((n) => [n, { get_resource: n }])),
          input_values: { v: value },
        },
        ...(updatePolicy ? { update_policy: updatePolicy } : {}),
      },
    };
    for (const n of ['alpha', 'beta', 'gamma', 'delta']) resources[n] = SERVER;
    return hot(resources, {
      stdouts: { value: { get_attr: ['group', 'deploy_stdouts'] } },
      codes: { value: { get_attr: ['group', 'deploy_status_codes'] } },
      outs: { value: { get_attr: ['group', 'out'] } },
      beta_out: { value: { get_attr: ['group', 'out', 'beta'] } },
    });
  };

  /** The group's member deployments IN_PROGRESS for `action`, by member name, once there are `count`. */
  async function members(stackId: string, count: number, action = 'CREATE') {
    return until(`${count} members ${action}`, async () => {
      const child = (await row(stackId, 'group')).physicalId;
      if (!child) return undefined;
      const out: Record<string, SoftwareDeploymentRecord> = {};
      for (const r of await store.listResources(child)) {
        const d = r.current ? await software.deployer.find(P, r.id) : undefined;
        if (d?.status === 'IN_PROGRESS' && d.action === action) out[r.name] = d;
      }
      return Object.keys(out).length === count ? out : undefined;
    });
  }

  async function signalAll(ms: Record<string, SoftwareDeploymentRecord>) {
    for (const [name, d] of Object.entries(ms)) {
      await software.service.signalDeployment(caller, d.id, {
        deploy_stdout: `hi ${name}`,
        out: `o-${name}`,
      });
    }
  }

  for (const type of ['OS::Heat::SoftwareDeploymentGroup', 'OS::Heat::StructuredDeploymentGroup']) {
    it(`${type}: attributes are maps keyed by server name; a removed server's deployment is deleted`, async () => {
      const s = await engine.createStack(P, {
        stackName: `grp-${type.split('::')[2]}`,
        template: group(type, ['alpha', 'beta', 'gamma'], 'one'),
      });
      const created = await members(s.id, 3);
      const gammaServer = created['gamma']!.serverId;
      expect(gammaServer).toBe(await serverIdOf(s.id, 'gamma'));
      if (type.includes('Structured')) {
        const c = await software.service.showConfig(caller, created['alpha']!.configId);
        expect(c.config).toEqual({ say: 'one' });
      }
      await signalAll(created);
      const view = await settled(s.id);
      expect(view.status).toBe('COMPLETE');
      const out = Object.fromEntries((view.outputs ?? []).map((o) => [o.key, o.value]));
      expect(out['stdouts']).toEqual({ alpha: 'hi alpha', beta: 'hi beta', gamma: 'hi gamma' });
      expect(out['codes']).toEqual({ alpha: null, beta: null, gamma: null });
      expect(out['outs']).toEqual({ alpha: 'o-alpha', beta: 'o-beta', gamma: 'o-gamma' });
      expect(out['beta_out']).toBe('o-beta');

      await engine.updateStack(P, s.id, { template: group(type, ['alpha', 'beta'], 'one') });
      const after = await settled(s.id);
      expect(after.status).toBe('COMPLETE');
      expect(await software.deployer.find(P, created['gamma']!.id)).toBeUndefined();
      expect(await software.service.listDeployments(caller, { serverId: gammaServer })).toEqual([]);
      const left = Object.fromEntries((after.outputs ?? []).map((o) => [o.key, o.value]));
      expect(left['stdouts']).toEqual({ alpha: 'hi alpha', beta: 'hi beta' });
      await engine.deleteStack(P, s.id);
      await engine.settle(s.id);
    });
  }

  it('the hidden old names still work and are not listed', async () => {
    const s = await engine.createStack(P, {
      stackName: 'grp-old',
      template: group('OS::Heat::SoftwareDeployments', ['alpha'], 'x'),
    });
    await signalAll(await members(s.id, 1));
    expect((await settled(s.id)).status).toBe('COMPLETE');
    const listed = engine.resourceTypes().map((t) => t.resource_type);
    expect(listed).toContain('OS::Heat::SoftwareDeploymentGroup');
    expect(listed).not.toContain('OS::Heat::SoftwareDeployments');
    expect(listed).not.toContain('OS::Heat::StructuredDeployments');
  });

  it('batch_create deploys max_batch_size members at a time', async () => {
    const s = await engine.createStack(P, {
      stackName: 'grp-batch',
      template: group('OS::Heat::SoftwareDeploymentGroup', ['alpha', 'beta', 'gamma'], 'one', {
        batch_create: { max_batch_size: 2, pause_time: 0 },
      }),
    });
    const first = await members(s.id, 2);
    expect(Object.keys(first).sort()).toEqual(['alpha', 'beta']);
    await new Promise((r) => setTimeout(r, 300));
    const child = (await row(s.id, 'group')).physicalId!;
    expect((await store.listResources(child)).map((r) => r.name).sort()).toEqual(['alpha', 'beta']);
    await signalAll(first);
    const second = await members(s.id, 1);
    expect(Object.keys(second)).toEqual(['gamma']);
    await signalAll(second);
    expect((await settled(s.id)).status).toBe('COMPLETE');
  });

  it('rolling_update re-deploys max_batch_size members at a time, pausing between batches', async () => {
    const type = 'OS::Heat::SoftwareDeploymentGroup';
    const policy = { rolling_update: { max_batch_size: 1, pause_time: 0.2 } };
    const s = await engine.createStack(P, {
      stackName: 'grp-roll',
      template: group(type, ['alpha', 'beta', 'gamma'], 'one', policy),
    });
    await signalAll(await members(s.id, 3));
    expect((await settled(s.id)).status).toBe('COMPLETE');

    await engine.updateStack(P, s.id, { template: group(type, ['alpha', 'beta', 'gamma'], 'two', policy) });
    const order: string[] = [];
    let lastAt = 0;
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = await members(s.id, 1, 'UPDATE');
      const [name, d] = Object.entries(batch)[0]!;
      order.push(name);
      if (lastAt) gaps.push(Date.now() - lastAt);
      expect(d.inputValues).toEqual({ v: 'two' });
      // The others are not being re-deployed meanwhile.
      const child = (await row(s.id, 'group')).physicalId!;
      let busy = 0;
      for (const r of await store.listResources(child)) {
        if ((await software.deployer.find(P, r.id))?.status === 'IN_PROGRESS') busy++;
      }
      expect(busy).toBe(1);
      await signalAll(batch);
      lastAt = Date.now();
    }
    expect(order).toEqual(['alpha', 'beta', 'gamma']);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(180);
    expect((await settled(s.id)).status).toBe('COMPLETE');
  });

  it('refuses a bad update_policy with what, where and what is allowed', async () => {
    const s = await engine.createStack(P, {
      stackName: 'grp-bad-policy',
      template: group('OS::Heat::SoftwareDeploymentGroup', ['alpha'], 'x', {
        batch_create: { max_batch_size: 0 },
      }),
      disableRollback: true,
    });
    expect((await settled(s.id)).status).toBe('FAILED');
    const r = await row(s.id, 'group');
    expect(r.statusReason).toContain('update_policy.batch_create.max_batch_size: 0 is out of range (min: 1');
  });
});
