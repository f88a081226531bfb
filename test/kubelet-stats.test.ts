/**
 * Container figures as deployment outputs, refreshed (issue 6 item 3), with real processes: `hearth server`,
 * `hearth agent` and the real dockerd. A pod's container is killed on the host (Docker restarts it, by policy);
 * the `containers` output and the resource's attribute keep the figures of the last sample until
 * `hearth stack resource signal STACK pod --data '{"refresh":"stats"}'` asks the agent for fresh ones — the
 * deployment stays COMPLETE. An agent started with a stats interval refreshes them by itself.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerIdOf } from '../src/agent/hooks/kubelet.js';
import { LABEL } from '../src/runtime/pods/labels.js';
import { api, BIN, runNode, startHearth, waitForStack, type HearthProcess } from './helpers/hearth.js';
import { spawnKubeletAgent } from './helpers/kubelet-agent.js';
import { ensureDocker, importBusyboxImages, removeLabelled } from './runtime/docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const IMAGE = 'hearth-test/busybox:stats';

/** A server, a kubelet config (one httpd container, restarted always) declaring `containers`, its deployment. */
const TEMPLATE = {
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
          spec: {
            restartPolicy: 'Always',
            containers: [
              {
                name: 'web',
                image: IMAGE,
                command: ['httpd', '-f', '-p', '8080', '-h', '/'],
                resources: { limits: { memory: '32Mi' } },
              },
            ],
          },
        },
        outputs: [{ name: 'containers' }],
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

/** Resolves after `ms`. */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!docker)('container figures refreshed (hearth server + hearth agent + dockerd)', () => {
  let server: HearthProcess;
  let endpoint: string;
  let work: string;
  let registry: string;
  let configFile: string;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let runner = '';
  let stackUrl = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hearth-kubelet-stats-'));
    registry = join(work, 'images.json');
    await importBusyboxImages(registry, [[IMAGE, 'stats']]);
    server = await startHearth();
    endpoint = server.endpoint();
  }, 90_000);

  afterAll(async () => {
    await stopAgent();
    if (docker && runner) await removeLabelled(docker, `${LABEL.runner}=${runner}`);
    await server?.stop();
  });

  function startAgent(statsSeconds: number): void {
    agent = spawnKubeletAgent({
      configFile,
      work,
      infraImage: IMAGE,
      registry,
      extraArgs: ['--kubelet-stats-interval', String(statsSeconds)],
    });
    agent.stdout?.on('data', (d: Buffer) => (agentLog += d.toString()));
    agent.stderr?.on('data', (d: Buffer) => (agentLog += d.toString()));
  }

  async function stopAgent(): Promise<void> {
    const child = agent;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
  }

  async function output(name: string): Promise<any> {
    return (await api('GET', `${stackUrl}/outputs/${name}`)).body?.output?.output_value;
  }

  /** The `containers` attribute as the resource shows it. */
  async function attribute(): Promise<any> {
    const r = await api('GET', `${stackUrl}/resources/pod?with_attr=containers`);
    return r.body?.resource?.attributes?.containers;
  }

  /** Kills the app container's process on the host (not through Docker: its restart policy applies). */
  async function killWeb(): Promise<number> {
    const [web] = await docker!.listContainers({
      filters: { label: [`${LABEL.runner}=${runner}`, `${LABEL.role}=app`] },
    });
    const info = await docker!.getContainer(web!.Id).inspect();
    process.kill(info.State.Pid, 'SIGKILL');
    for (let i = 0; i < 100; i++) {
      const now = await docker!.getContainer(web!.Id).inspect();
      if (now.RestartCount > info.RestartCount && now.State.Running) return now.RestartCount;
      await pause(100);
    }
    throw new Error('Docker did not restart the killed container');
  }

  /** Polls `read` until `accept` holds (or 15 s pass); returns the last value. */
  async function until<T>(read: () => Promise<T>, accept: (v: T) => boolean): Promise<T> {
    let value = await read();
    for (let i = 0; i < 150 && !accept(value); i++) {
      await pause(100);
      value = await read();
    }
    return value;
  }

  it('creates the pod: the containers output has restarts 0 and the figures', async () => {
    const r = await api('POST', `${endpoint}/stacks`, { stack_name: 'stats', template: TEMPLATE });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    stackUrl = `${endpoint}/stacks/stats/${r.body.stack.id}`;
    let config: any;
    for (let i = 0; i < 200 && !config; i++) {
      config = await output('agent_config');
      if (!config) await pause(100);
    }
    runner = runnerIdOf(config.hearth.server_id);
    configFile = join(work, 'agent.json');
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    startAgent(0);
    const stack = await waitForStack(endpoint, 'stats', r.body.stack.id, 60_000);
    expect(stack.stack_status, `${stack.stack_status_reason}\n${agentLog}`).toBe('CREATE_COMPLETE');
    const containers = await output('containers');
    const [key] = Object.keys(containers);
    expect(key).toMatch(/\/web$/);
    expect(containers[key!]).toMatchObject({ state: 'running', restarts: 0 });
    expect(containers[key!].memory_limit_bytes).toBe(32 * 1024 * 1024);
    expect(containers[key!].memory_bytes).toBeGreaterThan(0);
  }, 90_000);

  it('on demand: a {"refresh":"stats"} signal brings the new restart count; the deployment stays COMPLETE', async () => {
    const restarts = await killWeb();
    expect(restarts).toBeGreaterThanOrEqual(1);
    await pause(1500); // no periodic refresh runs (interval 0): the figures stay those of the settle
    expect(Object.values(await output('containers'))[0]).toMatchObject({ restarts: 0 });

    const signal = await runNode([
      BIN,
      '--endpoint',
      endpoint,
      'stack',
      'resource',
      'signal',
      'stats',
      'pod',
      '--data',
      '{"refresh":"stats"}',
    ]);
    expect(signal.code, signal.output).toBe(0);
    const fresh = await until(output.bind(null, 'containers'), (c: any) => {
      const web = Object.values(c ?? {})[0] as any;
      return web?.restarts >= restarts;
    });
    const web = Object.values(fresh)[0] as any;
    expect(web, agentLog).toMatchObject({ state: 'running', restarts });
    expect(web.cpu_seconds).toBeGreaterThanOrEqual(0);
    expect(Object.values(await attribute())[0]).toMatchObject({ restarts });

    const resource = (await api('GET', `${stackUrl}/resources/pod`)).body.resource;
    expect(resource.resource_status).toBe('CREATE_COMPLETE');
    const deployment = (await api('GET', `${endpoint}/software_deployments/${resource.physical_resource_id}`))
      .body.software_deployment;
    expect(deployment.status).toBe('COMPLETE');
    expect(deployment.output_values.containers).toEqual(fresh);
    const events = (await api('GET', `${stackUrl}/resources/pod/events`)).body.events as any[];
    expect(events.map((e) => e.resource_status_reason)).toContain(
      `deployment ${resource.physical_resource_id}: fresh container figures asked of its server`,
    );
  }, 60_000);

  it('periodically: an agent with --kubelet-stats-interval 1 refreshes the figures by itself', async () => {
    await stopAgent();
    startAgent(1);
    const restarts = await killWeb();
    const fresh = await until(output.bind(null, 'containers'), (c: any) => {
      const web = Object.values(c ?? {})[0] as any;
      return web?.restarts >= restarts;
    });
    expect(Object.values(fresh)[0], agentLog).toMatchObject({ state: 'running', restarts });
    expect(Object.values(await attribute())[0]).toMatchObject({ restarts });
    expect((await api('GET', stackUrl)).body.stack.stack_status).toBe('CREATE_COMPLETE');
  }, 60_000);

  it('refuses bad input: a stats report that is not {containers: {…}}, a refresh of an unknown resource', async () => {
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    const resource = (await api('GET', `${stackUrl}/resources/pod`)).body.resource;
    const url = `${endpoint}/agent/${config.hearth.server_id}/deployments/${resource.physical_resource_id}/stats`;
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': config.hearth.token },
      body: JSON.stringify({ containers: [1] }),
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).error.message).toBe(
      'Invalid body field "containers": received [1]; allowed: an object.',
    );
    const missing = await runNode([
      BIN,
      '--endpoint',
      endpoint,
      'stack',
      'resource',
      'signal',
      'stats',
      'nope',
      '--data',
      '{"refresh":"stats"}',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain('nope');
  }, 30_000);
});
