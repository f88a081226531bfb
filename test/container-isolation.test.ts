/**
 * Isolation of tenants' containers on the real dockerd, through DockerInc::Docker::Container stacks on a real
 * `hearth server --container-servers` (busybox image imported with verification): containers of one project reach
 * each other (by address, by `name` and by link alias), another project's container reaches neither by TCP nor by
 * ping; every container carries its project, stack and resource ids as labels; and a server killed while a
 * container is being created converges on restart to exactly one container for the resource.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importImage } from '../src/runtime/images/import.js';
import { ImageRegistry } from '../src/runtime/images/registry.js';
import { SERVER_LABEL } from '../src/runtime/servers/network.js';
import { demultiplex } from '../src/runtime/servers/server-host.js';
import { api, freePort, startHearth, waitForStack, type HearthProcess } from './helpers/hearth.js';
import { busyboxArchive, ensureDocker, removeLabelled } from './runtime/docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const TAG = `hearth-test/busybox:isolation`;
const PREFIX = `hearth-i${process.pid}-`;
const ALICE = `alice${process.pid}`;
const BOB = `bob${process.pid}`;

let dir = '';
let registry = '';
let server: HearthProcess | undefined;

async function createStack(
  project: string,
  name: string,
  template: string,
): Promise<{ id: string; stack: any }> {
  const endpoint = server!.endpoint(project);
  const created = await api('POST', `${endpoint}/stacks`, { stack_name: name, template });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id: string = created.body.stack.id;
  return { id, stack: await waitForStack(endpoint, name, id, 30_000) };
}

async function outputs(project: string, name: string, id: string): Promise<Record<string, any>> {
  const r = await api('GET', `${server!.endpoint(project)}/stacks/${name}/${id}`);
  return Object.fromEntries(
    (r.body.stack.outputs as { output_key: string; output_value: unknown }[]).map((o) => [
      o.output_key,
      o.output_value,
    ]),
  );
}

/** Runs `cmd` in `container`; its output and exit code. */
async function execIn(container: string, cmd: string[]): Promise<{ code: number; output: string }> {
  const exec = await docker!
    .getContainer(container)
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const { ExitCode } = await exec.inspect();
  return { code: ExitCode ?? -1, output: demultiplex(Buffer.concat(chunks)) };
}

/** `nc` to host:port from inside `container` (2 s connect timeout): what the echo server said, or nc's error. */
async function tcpFrom(container: string, host: string): Promise<string> {
  const r = await execIn(container, ['sh', '-c', `nc -w 2 ${host} 8080 </dev/null`]);
  return r.output.trim();
}

/** What the echo server on the host's `port` says. */
async function hostTcp(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(3000, () => socket.destroy(new Error(`no answer on 127.0.0.1:${port}`)));
    socket.on('data', (d) => (text += d.toString()));
    socket.on('end', () => resolve(text.trim()));
    socket.on('error', reject);
  });
}

const SERVICE = ['sh', '-c', 'echo first; echo last; exec nc -ll -p 8080 -e echo hello'];

function aliceTemplate(hostPort: number): string {
  return `
heat_template_version: 2018-08-31
resources:
  web:
    type: DockerInc::Docker::Container
    properties:
      image: ${TAG}
      name: web
      cmd: ${JSON.stringify(SERVICE)}
      port_specs: ["8080"]
      port_bindings: {"8080": ${hostPort}}
      memory: 67108864
      restart_policy: {Name: on-failure, MaximumRetryCount: 3}
  client:
    type: DockerInc::Docker::Container
    depends_on: web
    properties:
      image: ${TAG}
      cmd: [sleep, "3600"]
      env: [ROLE=client]
      links: {web: backend}
outputs:
  web_ip: {value: {get_attr: [web, network_ip]}}
  web_gateway: {value: {get_attr: [web, network_gateway]}}
  web_id: {value: {get_resource: web}}
  client_id: {value: {get_resource: client}}
  logs_head: {value: {get_attr: [web, logs_head]}}
  logs_tail: {value: {get_attr: [web, logs_tail]}}
  restart: {value: {get_attr: [web, info, HostConfig, RestartPolicy]}}
  memory: {value: {get_attr: [web, info, HostConfig, Memory]}}
  tcp_ports: {value: {get_attr: [web, network_tcp_ports]}}
`;
}

const SLEEPER = (name: string): string => `
heat_template_version: 2018-08-31
resources:
  ${name}:
    type: DockerInc::Docker::Container
    properties: {image: ${TAG}, cmd: [sleep, "3600"]}
outputs:
  id: {value: {get_resource: ${name}}}
`;

describe.skipIf(!docker)('container isolation and adoption (real dockerd)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-isolation-'));
    registry = join(dir, 'images.json');
    const archive = await busyboxArchive(TAG, 'isolation');
    await importImage(docker!, new ImageRegistry(registry), archive.path, archive.sha256);
    server = await startHearth({
      extraArgs: ['--container-servers', '--container-network-prefix', PREFIX],
      env: { HEARTH_IMAGE_REGISTRY: registry },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    for (const project of [ALICE, BOB]) {
      await removeLabelled(docker!, `${SERVER_LABEL.project}=${project}`);
      await docker!
        .getNetwork(`${PREFIX}${project}`)
        .remove()
        .catch(() => undefined);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses what a tenant must not have, naming the property', async () => {
    const bad = async (properties: string): Promise<string> => {
      const template = `heat_template_version: 2018-08-31\nresources:\n  c:\n    type: DockerInc::Docker::Container\n    properties: {image: ${TAG}, ${properties}}\n`;
      const r = await api('POST', `${server!.endpoint(ALICE)}/validate`, { template });
      expect(r.status).toBe(400);
      return String(r.body.error.message);
    };
    expect(await bad('privileged: true')).toContain(
      'resources.c.properties.privileged: privileged containers are not allowed on a shared host',
    );
    expect(await bad('volumes: {"/data": {bind: /etc, ro: false}}')).toContain(
      'resources.c.properties.volumes: "/data": host bind mounts are not allowed',
    );
    expect(await bad('port_bindings: {"80/tcp": 70000}')).toContain(
      'resources.c.properties.port_bindings.80/tcp: 70000 is not a port; expected 1-65535',
    );
    expect(await bad('restart_policy: {Name: sometimes}')).toContain(
      'resources.c.properties.restart_policy.Name: "sometimes" is not a restart policy; allowed: no, always',
    );
    expect(await bad('docker_endpoint: "tcp://10.0.0.1:2375"')).toContain(
      "resources.c.properties.docker_endpoint: containers run on Hearth's own dockerd",
    );
  });

  it("reaches the own project's containers only, with every container labelled", async () => {
    const hostPort = await freePort();
    const alice = await createStack(ALICE, 'app', aliceTemplate(hostPort));
    expect(alice.stack.stack_status, alice.stack.stack_status_reason).toBe('CREATE_COMPLETE');
    const bob = await createStack(BOB, 'probe', SLEEPER('intruder'));
    expect(bob.stack.stack_status, bob.stack.stack_status_reason).toBe('CREATE_COMPLETE');

    // stack check refreshes the attributes read from Docker (logs among them)
    const check = await api('POST', `${server!.endpoint(ALICE)}/stacks/app/${alice.id}/actions`, {
      check: null,
    });
    expect(check.status).toBe(200);
    expect((await waitForStack(server!.endpoint(ALICE), 'app', alice.id)).stack_status).toBe(
      'CHECK_COMPLETE',
    );
    const out = await outputs(ALICE, 'app', alice.id);
    const bobOut = await outputs(BOB, 'probe', bob.id);
    expect(out['logs_head']).toBe('first');
    expect(out['logs_tail']).toBe('last');
    expect(out['restart']).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(out['memory']).toBe(64 * 1024 * 1024);
    // the published port answers on the host
    expect(out['tcp_ports']).toBe(String(hostPort));
    expect(await hostTcp(hostPort)).toBe('hello');

    // labels: project, stack and resource ids; the container is named after the resource id
    for (const [project, stackId, container] of [
      [ALICE, alice.id, out['web_id']],
      [ALICE, alice.id, out['client_id']],
      [BOB, bob.id, bobOut['id']],
    ] as const) {
      const info = await docker!.getContainer(String(container)).inspect();
      const labels = info.Config.Labels;
      expect(labels[SERVER_LABEL.project]).toBe(project);
      expect(labels[SERVER_LABEL.stack]).toBe(stackId);
      expect(labels[SERVER_LABEL.kind]).toBe('container');
      expect(info.Name).toBe(`/hearth-${labels[SERVER_LABEL.resource]}`);
      expect(Object.keys(info.NetworkSettings.Networks)).toEqual([`${PREFIX}${project}`]);
    }

    const webIp = String(out['web_ip']);
    const client = String(out['client_id']);
    const intruder = String(bobOut['id']);
    expect(webIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // same project: by address, by name (network alias) and by link alias
    expect(await tcpFrom(client, webIp)).toBe('hello');
    expect(await tcpFrom(client, 'web')).toBe('hello');
    expect(await tcpFrom(client, 'backend')).toBe('hello');
    expect((await execIn(client, ['ping', '-c', '1', '-W', '2', webIp])).code).toBe(0);
    // other project: neither TCP nor ICMP, and the name does not resolve
    expect(await tcpFrom(intruder, webIp)).toBe('nc: timed out');
    expect((await execIn(intruder, ['ping', '-c', '1', '-W', '2', webIp])).code).not.toBe(0);
    expect(await tcpFrom(intruder, 'web')).toBe("nc: bad address 'web'");
    // the intruder's own network is another subnet with another gateway
    const bobNet = await docker!.getNetwork(`${PREFIX}${BOB}`).inspect();
    expect(bobNet.IPAM?.Config?.[0]?.Gateway).not.toBe(out['web_gateway']);

    for (const [project, name, id] of [
      [ALICE, 'app', alice.id],
      [BOB, 'probe', bob.id],
    ] as const) {
      expect((await api('DELETE', `${server!.endpoint(project)}/stacks/${name}/${id}`)).status).toBe(204);
      await waitForStack(server!.endpoint(project), name, id);
      const left = await docker!.listContainers({
        all: true,
        filters: { label: [`${SERVER_LABEL.stack}=${id}`] },
      });
      expect(left).toEqual([]);
    }
    await expect(docker!.getNetwork(`${PREFIX}${BOB}`).inspect()).rejects.toThrow();
  }, 60_000);

  it('adopts the container by name and label after the server is killed mid-create', async () => {
    const endpoint = server!.endpoint(ALICE);
    const dockerEvents = await docker!.getEvents({
      filters: { type: ['container'], event: ['create'], label: [`${SERVER_LABEL.project}=${ALICE}`] },
    });
    const created = new Promise<void>((resolve) => dockerEvents.once('data', () => resolve()));
    const r = await api('POST', `${endpoint}/stacks`, { stack_name: 'crash', template: SLEEPER('box') });
    expect(r.status).toBe(201);
    const id: string = r.body.stack.id;
    await created;
    await server!.stop('SIGKILL');
    (dockerEvents as unknown as { destroy(): void }).destroy();

    server = await startHearth({
      dataDir: server!.dataDir,
      extraArgs: ['--container-servers', '--container-network-prefix', PREFIX],
      env: { HEARTH_IMAGE_REGISTRY: registry },
    });
    const stack = await waitForStack(server.endpoint(ALICE), 'crash', id, 30_000);
    expect(stack.stack_status, stack.stack_status_reason).toBe('CREATE_COMPLETE');
    const containers = await docker!.listContainers({
      all: true,
      filters: { label: [`${SERVER_LABEL.stack}=${id}`] },
    });
    expect(containers).toHaveLength(1);
    expect(containers[0]!.State).toBe('running');
    const out = await outputs(ALICE, 'crash', id);
    expect(containers[0]!.Names).toEqual([`/${out['id']}`]);
    // the kill came between Docker's create and the resource's COMPLETE: the create ran again, and adopted
    const events = await api('GET', `${server.endpoint(ALICE)}/stacks/crash/${id}/events?resource_name=box`);
    const statuses = (events.body.events as { resource_status: string }[]).map((e) => e.resource_status);
    expect(statuses.sort()).toEqual(['CREATE_COMPLETE', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS']);
  }, 60_000);
});
