/**
 * The kubelet hook's lifecycle and bad input with real processes (`hearth server`, `hearth agent`, the real
 * dockerd): an update to a new image, a failing update rolled back (the previous image's pod serves again); a
 * missing and an unverified image fail the deployment clearly and leave no container behind; invalid manifests
 * (unknown field, bad port, hostPath outside the allowed roots) and a host port another pod holds fail it with the
 * precise reason.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerIdOf } from '../src/agent/hooks/kubelet.js';
import { LABEL } from '../src/runtime/pods/labels.js';
import { api, freePort, startHearth, type HearthProcess } from './helpers/hearth.js';
import { spawnKubeletAgent } from './helpers/kubelet-agent.js';
import { ensureDocker, importBusyboxImages, removeLabelled } from './runtime/docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const V1 = 'hearth-test/busybox:life-v1';
const V2 = 'hearth-test/busybox:life-v2';
/** Imported (so in the registry), then removed from the engine: missing. */
const GONE = 'hearth-test/busybox:life-gone';
/** On the engine but never imported: unverified. */
const UNVERIFIED = 'hearth-test/busybox:life-unverified';

/**
 * A web container serving /marker (on `hostPort` when given), ready once it answers. Replacing a deployment
 * creates the new pod before the old one goes, so pods that are replaced publish no host port.
 */
function web(image: string, hostPort?: number, command = ['httpd', '-f', '-p', '8080', '-h', '/']) {
  return {
    name: 'web',
    image,
    command,
    ports: [{ name: 'http', containerPort: 8080, ...(hostPort ? { hostPort } : {}) }],
    readinessProbe: { httpGet: { path: '/marker', port: 'http' }, periodSeconds: 1 },
  };
}

/** The stack: a server and one kubelet deployment per pod spec given (`pod`, `pod2`, …). */
function template(...specs: Record<string, unknown>[]) {
  const resources: Record<string, unknown> = { server: { type: 'OS::Heat::DeployedServer' } };
  specs.forEach((spec, i) => {
    const suffix = i === 0 ? '' : String(i + 1);
    resources[`pod_config${suffix}`] = {
      type: 'OS::Heat::StructuredConfig',
      properties: {
        group: 'kubelet',
        config: { apiVersion: 'v1', kind: 'Pod', spec: { restartPolicy: 'Never', ...spec } },
        outputs: [{ name: 'containers' }],
      },
    };
    resources[`pod${suffix}`] = {
      type: 'OS::Heat::SoftwareDeployment',
      properties: {
        config: { get_resource: `pod_config${suffix}` },
        server: { get_resource: 'server' },
        input_values: { deploy_timeout: 30 },
      },
    };
  });
  return {
    heat_template_version: '2018-08-31',
    resources,
    outputs: { agent_config: { value: { get_attr: ['server', 'os_collect_config'] } } },
  };
}

describe.skipIf(!docker)('kubelet lifecycle and bad input (hearth server + hearth agent + dockerd)', () => {
  let server: HearthProcess;
  let endpoint: string;
  let work: string;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let runner = '';
  let stackUrl = '';
  let port = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hearth-kubelet-life-'));
    const registry = join(work, 'images.json');
    await importBusyboxImages(registry, [
      [V1, 'v1'],
      [V2, 'v2'],
      [GONE, 'gone'],
    ]);
    await docker!.getImage(GONE).remove({ force: true });
    const [repo, tag] = UNVERIFIED.split(':');
    await docker!.getImage(V1).tag({ repo, tag });
    port = await freePort();
    server = await startHearth();
    endpoint = server.endpoint();

    const r = await api('POST', `${endpoint}/stacks`, {
      stack_name: 'life',
      template: template({ containers: [web(V1)] }),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    stackUrl = `${endpoint}/stacks/life/${r.body.stack.id}`;
    let config: any;
    for (let i = 0; i < 200 && !config; i++) {
      config = (await api('GET', `${stackUrl}/outputs/agent_config`)).body?.output?.output_value;
      if (!config) await new Promise((res) => setTimeout(res, 100));
    }
    runner = runnerIdOf(config.hearth.server_id);
    const configFile = join(work, 'agent.json');
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    mkdirSync(join(work, 'allowed'));
    agent = spawnKubeletAgent({
      configFile,
      work,
      infraImage: V1,
      registry,
      extraArgs: ['--kubelet-host-path-root', join(work, 'allowed')],
    });
    agent.stdout?.on('data', (d: Buffer) => (agentLog += d.toString()));
    agent.stderr?.on('data', (d: Buffer) => (agentLog += d.toString()));
    const stack = await settle();
    expect(stack.stack_status, `${stack.stack_status_reason}\n${agentLog}`).toBe('CREATE_COMPLETE');
    expect(await podMarker()).toBe('v1');
  }, 120_000);

  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
    if (docker && runner) await removeLabelled(docker, `${LABEL.runner}=${runner}`);
    await docker
      ?.getImage(UNVERIFIED)
      .remove()
      .catch(() => undefined);
    await server?.stop();
  });

  /** Waits until the stack leaves every IN_PROGRESS state (a rollback included). */
  async function settle(timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = (await api('GET', `${stackUrl}?resolve_outputs=false`)).body?.stack;
      const rollingBack = s?.stack_status === 'UPDATE_FAILED' && s?.disable_rollback === false;
      if (s && !String(s.stack_status).endsWith('IN_PROGRESS') && !rollingBack) return s;
      if (Date.now() > deadline) return s;
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** Updates the stack with these pods and waits for it. */
  async function update(specs: Record<string, unknown>[], extra: Record<string, unknown> = {}): Promise<any> {
    const r = await api('PUT', stackUrl, { template: template(...specs), ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    return settle();
  }

  async function httpMarker(): Promise<string> {
    const r = await fetch(`http://127.0.0.1:${port}/marker`, { signal: AbortSignal.timeout(2000) });
    return (await r.text()).trim();
  }

  /** What the one running app container's pod serves at /marker (through the pod's address). */
  async function podMarker(): Promise<string> {
    const all = await containers();
    const apps = all.filter((c) => c.Labels[LABEL.role] === 'app' && c.State === 'running');
    expect(apps).toHaveLength(1);
    const infra = all.find(
      (c) => c.Labels[LABEL.role] === 'infra' && c.Labels[LABEL.pod] === apps[0]!.Labels[LABEL.pod],
    );
    const info = await docker!.getContainer(infra!.Id).inspect();
    const ip = Object.values(info.NetworkSettings.Networks).find((n) => n.IPAddress)?.IPAddress;
    const r = await fetch(`http://${ip}:8080/marker`, { signal: AbortSignal.timeout(2000) });
    return (await r.text()).trim();
  }

  /** The pods this agent's containers belong to. */
  async function podNames(): Promise<string[]> {
    return [...new Set((await containers()).map((c) => c.Labels[LABEL.pod] ?? ''))].sort();
  }

  /** Updates to `specs`, expecting a failure that starts no container: only the pods of before remain. */
  async function failingUpdate(specs: Record<string, unknown>[]): Promise<any> {
    const before = await podNames();
    const stack = await update(specs, { disable_rollback: true });
    expect(stack.stack_status).toBe('UPDATE_FAILED');
    expect(before).toEqual(expect.arrayContaining(await podNames()));
    return stack;
  }

  /** This agent's containers (any state). */
  async function containers(): Promise<Docker.ContainerInfo[]> {
    return docker!.listContainers({ all: true, filters: { label: [`${LABEL.runner}=${runner}`] } });
  }

  it('updates to a new image, and rolls a failing update back: the previous image serves again', async () => {
    let stack = await update([{ containers: [web(V2)] }]);
    expect(stack.stack_status, `${stack.stack_status_reason}\n${agentLog}`).toBe('UPDATE_COMPLETE');
    expect(await podMarker()).toBe('v2');

    stack = await update([{ containers: [web(V1, undefined, ['sh', '-c', 'exit 3'])] }], {
      disable_rollback: false,
    });
    expect(stack.stack_status, `${stack.stack_status_reason}\n${agentLog}`).toBe('ROLLBACK_COMPLETE');
    expect(await podMarker()).toBe('v2');
    const v2 = await docker!.getImage(V2).inspect();
    const running = (await containers()).filter(
      (c) => c.Labels[LABEL.role] === 'app' && c.State === 'running',
    );
    expect(running.map((c) => c.ImageID)).toEqual([v2.Id]);
  }, 120_000);

  it('a missing image fails the deployment clearly and leaves no container behind', async () => {
    const stack = await failingUpdate([{ containers: [web(GONE)] }]);
    expect(stack.stack_status_reason).toContain(`container web (${GONE}): ImageMissing`);
    expect(stack.stack_status_reason).toContain('Hearth never pulls');
  }, 90_000);

  it('an unverified image fails the deployment clearly and leaves no container behind', async () => {
    const stack = await failingUpdate([{ containers: [web(UNVERIFIED)] }]);
    expect(stack.stack_status_reason).toContain(`container web (${UNVERIFIED}): ImageUnverified`);
    expect(stack.stack_status_reason).toContain('is not a verified image');
  }, 90_000);

  it.each([
    [
      'an unknown field',
      { containers: [{ ...web(V1), imagePolicy: 'x' }] },
      'spec.containers[0].imagePolicy: unknown field',
    ],
    [
      'a bad port',
      { containers: [web(V1, 70000)] },
      'spec.containers[0].ports[0].hostPort: must be an integer from 1 to 65535, got 70000',
    ],
    [
      'a hostPath outside the allowed roots',
      {
        containers: [{ ...web(V1), volumeMounts: [{ name: 'etc', mountPath: '/host-etc' }] }],
        volumes: [{ name: 'etc', hostPath: { path: '/etc' } }],
      },
      'VolumeNotAllowed: volume etc: hostPath /etc is outside the allowed roots',
    ],
  ])(
    'a manifest with %s fails the deployment with the precise reason',
    async (_, spec, reason) => {
      const stack = await failingUpdate([spec]);
      expect(stack.stack_status_reason).toContain(reason);
    },
    90_000,
  );

  it('a host port another pod holds fails the new deployment; the running pod keeps serving', async () => {
    let stack = await update([{ containers: [web(V2, port)] }], { disable_rollback: true });
    expect(stack.stack_status, `${stack.stack_status_reason}\n${agentLog}`).toBe('UPDATE_COMPLETE');
    stack = await update([{ containers: [web(V2, port)] }, { containers: [web(V1, port)] }], {
      disable_rollback: true,
    });
    expect(stack.stack_status).toBe('UPDATE_FAILED');
    expect(stack.stack_status_reason).toContain(`PortConflict: hostPort ${port}/tcp is already used by pod`);
    expect(await httpMarker()).toBe('v2');
    const pods = new Set((await containers()).map((c) => c.Labels[LABEL.pod]));
    expect(pods.size).toBe(1);
  }, 90_000);
});
