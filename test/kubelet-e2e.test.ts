/**
 * The kubelet hook end to end with real processes: `hearth server`, `hearth agent` and the real dockerd. A
 * StructuredConfig `group: kubelet` (a Kubernetes v1 Pod) deployed to a DeployedServer becomes a pod serving HTTP
 * on its hostPort; a new image replaces it; a crashing container fails the deployment with its exit code; deleting
 * the stack removes the pod. Images are built locally from busybox and imported with `hearth image import`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerIdOf } from '../src/agent/hooks/kubelet.js';
import { LABEL } from '../src/runtime/pods/labels.js';
import { api, BIN, freePort, startHearth, waitForStack, type HearthProcess } from './helpers/hearth.js';
import { spawnKubeletAgent } from './helpers/kubelet-agent.js';
import { ensureDocker, importBusyboxImages, removeLabelled } from './runtime/docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const V1 = 'hearth-test/busybox:kubelet-v1';
const V2 = 'hearth-test/busybox:kubelet-v2';

/** The stack: a server, a kubelet config (one web container serving /marker) and its deployment. */
function template(image: string, hostPort: number, command = ['httpd', '-f', '-p', '8080', '-h', '/']) {
  return {
    heat_template_version: '2018-08-31',
    resources: {
      server: { type: 'OS::Heat::DeployedServer' },
      pod_config: {
        type: 'OS::Heat::StructuredConfig',
        properties: {
          group: 'kubelet',
          config: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'web' },
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'web',
                  image,
                  command,
                  ports: [{ name: 'http', containerPort: 8080, hostPort }],
                  resources: { limits: { memory: '32Mi' } },
                  readinessProbe: { httpGet: { path: '/marker', port: 'http' }, periodSeconds: 1 },
                },
              ],
            },
          },
          outputs: [{ name: 'containers' }, { name: 'pod' }],
        },
      },
      pod: {
        type: 'OS::Heat::SoftwareDeployment',
        properties: {
          config: { get_resource: 'pod_config' },
          server: { get_resource: 'server' },
          input_values: { deploy_timeout: 30 },
        },
      },
    },
    outputs: {
      agent_config: { value: { get_attr: ['server', 'os_collect_config'] } },
      containers: { value: { get_attr: ['pod', 'containers'] } },
    },
  };
}

describe.skipIf(!docker)('kubelet hook end to end (hearth server + hearth agent + dockerd)', () => {
  let server: HearthProcess;
  let endpoint: string;
  let work: string;
  let registry: string;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let runner = '';
  let stackUrl = '';
  const hostPort = { value: 0 };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hearth-kubelet-e2e-'));
    registry = join(work, 'images.json');
    await importBusyboxImages(registry, [
      [V1, 'v1'],
      [V2, 'v2'],
    ]);
    hostPort.value = await freePort();
    server = await startHearth();
    endpoint = server.endpoint();
  }, 90_000);

  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
    if (docker && runner) await removeLabelled(docker, `${LABEL.runner}=${runner}`);
    await server?.stop();
  });

  /** The output `name` of the stack. */
  async function output(name: string): Promise<any> {
    const r = await api('GET', `${stackUrl}/outputs/${name}`);
    return r.body?.output?.output_value;
  }

  /** This agent's containers, as Docker reports them. */
  async function containers(): Promise<Docker.ContainerInfo[]> {
    return docker!.listContainers({ all: true, filters: { label: [`${LABEL.runner}=${runner}`] } });
  }

  async function httpMarker(): Promise<string> {
    const r = await fetch(`http://127.0.0.1:${hostPort.value}/marker`, { signal: AbortSignal.timeout(2000) });
    return (await r.text()).trim();
  }

  async function settle(): Promise<any> {
    const [, name, id] = /\/stacks\/([^/]+)\/([^/]+)$/.exec(stackUrl)!;
    return waitForStack(endpoint, name!, id!, 60_000);
  }

  it('create: the pod runs, is ready and serves HTTP on its hostPort; containers are outputs', async () => {
    const r = await api('POST', `${endpoint}/stacks`, {
      stack_name: 'pods',
      template: template(V1, hostPort.value),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    stackUrl = `${endpoint}/stacks/pods/${r.body.stack.id}`;
    let config: any;
    for (let i = 0; i < 200 && !config; i++) {
      config = await output('agent_config');
      if (!config) await new Promise((res) => setTimeout(res, 100));
    }
    expect(config?.hearth?.server_id).toBeTruthy();
    runner = runnerIdOf(config.hearth.server_id);
    const configFile = join(work, 'agent.json');
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    agent = spawnKubeletAgent({ configFile, work, infraImage: V1, registry });
    agent.stdout?.on('data', (d: Buffer) => (agentLog += d.toString()));
    agent.stderr?.on('data', (d: Buffer) => (agentLog += d.toString()));

    const stack = await settle();
    expect(stack.stack_status, `${stack.stack_status_reason}\n${agentLog}`).toBe('CREATE_COMPLETE');
    expect(await httpMarker()).toBe('v1');
    const outputs = await output('containers');
    const [key] = Object.keys(outputs);
    expect(key).toMatch(/\/web$/);
    expect(outputs[key!]).toMatchObject({ state: 'running', ready: true, restarts: 0 });
    expect(outputs[key!].memory_limit_bytes).toBe(32 * 1024 * 1024);
    expect(readdirSync(join(work, 'state', 'kubelet', 'manifests'))).toEqual([`${key!.split('/')[0]}.json`]);
  }, 90_000);

  it('update to a new image replaces the pod', async () => {
    const before = (await containers()).map((c) => c.Id);
    const r = await api('PUT', stackUrl, { template: template(V2, hostPort.value) });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const stack = await settle();
    expect(stack.stack_status, `${stack.stack_status_reason}\n${agentLog}`).toBe('UPDATE_COMPLETE');
    expect(await httpMarker()).toBe('v2');
    const after = await containers();
    expect(after.some((c) => before.includes(c.Id))).toBe(false);
    const v2 = await docker!.getImage(V2).inspect();
    expect(after.filter((c) => c.Labels[LABEL.role] === 'app').map((c) => c.ImageID)).toEqual([v2.Id]);
  }, 90_000);

  it('a crashing container fails the deployment with its exit code', async () => {
    const r = await api('PUT', stackUrl, {
      template: template(V2, hostPort.value, ['sh', '-c', 'echo starting; exit 3']),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const stack = await settle();
    expect(stack.stack_status).toBe('UPDATE_FAILED');
    expect(stack.stack_status_reason).toContain('non-zero status code: 3');
    expect(stack.stack_status_reason).toContain('exited with code 3');
  }, 90_000);

  it('deleting the stack removes the pod and its manifest', async () => {
    const r = await api('DELETE', stackUrl);
    expect(r.status).toBe(204);
    await settle();
    const deadline = Date.now() + 20_000;
    while ((await containers()).length > 0 && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 200));
    expect(await containers()).toEqual([]);
    const dir = join(work, 'state', 'kubelet', 'manifests');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  }, 60_000);
});

/** A pod serving /marker on `hostPort`, for every server of a SoftwareDeploymentGroup. */
function groupTemplate(image: string, hostPort: number) {
  const servers = ['a', 'b', 'c'];
  return {
    heat_template_version: '2018-08-31',
    resources: {
      ...Object.fromEntries(servers.map((s) => [`server_${s}`, { type: 'OS::Heat::DeployedServer' }])),
      pod_config: {
        type: 'OS::Heat::StructuredConfig',
        properties: {
          group: 'kubelet',
          config: {
            version: 'v1beta2',
            containers: [
              {
                name: 'web',
                image,
                command: ['httpd', '-f', '-p', '8080', '-h', '/'],
                ports: [{ containerPort: 8080, hostPort }],
              },
            ],
          },
          outputs: [{ name: 'containers' }],
        },
      },
      pods: {
        type: 'OS::Heat::SoftwareDeploymentGroup',
        update_policy: { rolling_update: { max_batch_size: 1, min_in_service: 2, pause_time: 0 } },
        properties: {
          config: { get_resource: 'pod_config' },
          servers: Object.fromEntries(servers.map((s) => [s, { get_resource: `server_${s}` }])),
        },
      },
    },
    outputs: Object.fromEntries(
      servers.map((s) => [`config_${s}`, { value: { get_attr: [`server_${s}`, 'os_collect_config'] } }]),
    ),
  };
}

describe.skipIf(!docker)('kubelet rolling update over three servers (three agents on this host)', () => {
  let server: HearthProcess;
  let endpoint: string;
  let work: string;
  let registry: string;
  let stackUrl = '';
  const agents: ChildProcess[] = [];
  const runners: string[] = [];
  let logs = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hearth-kubelet-roll-'));
    registry = join(work, 'images.json');
    await importBusyboxImages(registry, [
      [V1, 'v1'],
      [V2, 'v2'],
    ]);
    server = await startHearth();
    endpoint = server.endpoint();
  }, 90_000);

  afterAll(async () => {
    for (const a of agents) if (a.exitCode === null) a.kill('SIGKILL');
    for (const r of runners) if (docker) await removeLabelled(docker, `${LABEL.runner}=${r}`);
    await server?.stop();
  });

  it('rolls one server at a time and never has fewer than min_in_service pods serving', async () => {
    const port = await freePort();
    const r = await api('POST', `${endpoint}/stacks`, {
      stack_name: 'roll',
      template: groupTemplate(V1, port),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    stackUrl = `${endpoint}/stacks/roll/${r.body.stack.id}`;
    for (const [i, s] of ['a', 'b', 'c'].entries()) {
      let config: any;
      for (let n = 0; n < 200 && !config; n++) {
        config = (await api('GET', `${stackUrl}/outputs/config_${s}`)).body?.output?.output_value;
        if (!config) await new Promise((res) => setTimeout(res, 100));
      }
      runners.push(runnerIdOf(config.hearth.server_id));
      const file = join(work, `agent-${s}.json`);
      writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
      // Each agent publishes the same hostPort on its own loopback address: three hosts on one machine.
      const child = spawn(
        process.execPath,
        [
          BIN,
          'agent',
          '--config',
          file,
          '--state-dir',
          join(work, `state-${s}`),
          '--kubelet-infra-image',
          V1,
          '--kubelet-host-ip',
          `127.0.0.${i + 2}`,
          '--image-registry',
          registry,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
      agents.push(child);
    }
    const [, , id] = /\/stacks\/([^/]+)\/([^/]+)$/.exec(stackUrl)!;
    let stack = await waitForStack(endpoint, 'roll', id!, 60_000);
    expect(stack.stack_status, `${stack.stack_status_reason}\n${logs}`).toBe('CREATE_COMPLETE');

    const updateStartedNano = Date.now() * 1e6;
    const since = Math.floor(Date.now() / 1000) - 1;
    const up = await api('PUT', stackUrl, { template: groupTemplate(V2, port) });
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    stack = await waitForStack(endpoint, 'roll', id!, 90_000);
    expect(stack.stack_status, `${stack.stack_status_reason}\n${logs}`).toBe('UPDATE_COMPLETE');
    for (const i of [2, 3, 4]) {
      const got = await fetch(`http://127.0.0.${i}:${port}/marker`);
      expect((await got.text()).trim()).toBe('v2');
    }

    // Docker's own record: start and die times of every app container of the three runners.
    const until = Math.ceil(Date.now() / 1000) + 1;
    const stream = await docker!.getEvents({
      since,
      until,
      filters: { type: ['container'], event: ['start', 'die'], label: [`${LABEL.role}=app`] },
    });
    const text = await new Promise<string>((res) => {
      let acc = '';
      stream.on('data', (d: Buffer) => (acc += d.toString()));
      stream.on('end', () => res(acc));
    });
    const events = text
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            Action: string;
            timeNano: number;
            Actor: { Attributes: Record<string, string> };
          },
      )
      .filter(
        (e) => e.timeNano >= updateStartedNano && runners.includes(e.Actor.Attributes[LABEL.runner] ?? ''),
      )
      .sort((x, y) => x.timeNano - y.timeNano);
    const deaths = events.filter((e) => e.Action === 'die');
    expect(deaths).toHaveLength(3);
    // Serving = running app containers: 3 before the update; each start adds one, each death removes one.
    let serving = 3;
    let lowest = serving;
    for (const e of events) {
      serving += e.Action === 'start' ? 1 : -1;
      lowest = Math.min(lowest, serving);
    }
    expect(lowest).toBeGreaterThanOrEqual(2);
    expect(serving).toBe(3);
    // One server at a time: each server's old pod died only after the previous server's new pod started.
    const order = deaths.map((e) => e.Actor.Attributes[LABEL.runner]);
    expect(new Set(order).size).toBe(3);
  }, 150_000);
});
