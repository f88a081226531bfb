/**
 * The seed's own template, unchanged: Heat's `example-kubelet-template.yaml` (a security group, a kubelet
 * StructuredConfig deployed to an OS::Nova::Server with user_data_format SOFTWARE_CONFIG, a floating IP and its
 * association) on a real `hearth server --container-servers` and the real dockerd, only parameters given (the
 * verified golden image, a key). The agent inside the server has no Docker: the host runs the pod in the server's
 * network namespace. The floating IP answers `hello world!` on port 8080, the security group drops another port,
 * and deleting the stack leaves no container, network endpoint, reservation or iptables rule behind.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '../src/runtime/images/archive.js';
import { buildGoldenImage } from '../src/runtime/images/golden.js';
import { importImage } from '../src/runtime/images/import.js';
import { ImageRegistry } from '../src/runtime/images/registry.js';
import { busyboxRootfs, packRootfs } from '../src/runtime/images/rootfs.js';
import { SERVER_LABEL } from '../src/runtime/servers/network.js';
import { demultiplex } from '../src/runtime/servers/server-host.js';
import { api, BIN, ROOT, runNode, startHearth, waitForStack, type HearthProcess } from './helpers/hearth.js';
import { ADMIN_PASSWORD, call, Keystone, settled } from './helpers/authz.js';
import { ensureDocker, RUNTIME_CACHE, startContainerHearth } from './runtime/docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const TEMPLATE = join(ROOT, 'examples', 'kubelet', 'example-kubelet-template.yaml');
const TEMPLATE_SHA256 = 'e83ea8300c9a4755a92696005405bebeb9c34c3e12abdf149fabfa4c16e619a3';
const TAG = `seedtest/server:${process.pid}`;
const PROJECT = `seedtest${process.pid}`;
const PREFIX = `seedtest-${process.pid}-`;
const iptablesReady = (() => {
  try {
    execFileSync('iptables', ['-w', '5', '-S', 'DOCKER-USER'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let dir = '';
let imageIds: string[] = [];
let server: HearthProcess | undefined;
let endpoint = '';

/** What a TCP connection to `host:port` receives before the peer closes (or why it failed). */
function tcpRead(host: string, port: number, timeoutMs = 2000): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let text = '';
    const done = (ok: boolean, why = '') => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, text: ok ? text : why });
    };
    const timer = setTimeout(() => done(false, 'timeout'), timeoutMs);
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => done(true));
    socket.on('error', (e) => done(false, e.message));
  });
}

async function execIn(container: string, cmd: string[], detach = false): Promise<string> {
  const exec = await docker!.getContainer(container).exec({
    Cmd: cmd,
    AttachStdout: !detach,
    AttachStderr: !detach,
  });
  if (detach) {
    await exec.start({ Detach: true });
    return '';
  }
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return demultiplex(Buffer.concat(chunks));
}

/** The busybox image the template names (`busybox`), built here and imported through the verifying path. */
async function importBusybox(registry: string): Promise<void> {
  const rootfs = join(dir, 'bb-rootfs');
  await busyboxRootfs(rootfs, RUNTIME_CACHE);
  execFileSync('sh', ['-c', 'echo seedtest > "$1/marker"', 'sh', rootfs]);
  await packRootfs(rootfs, join(dir, 'bb-layer.tar'));
  const archive = await writeImageArchive(
    join(dir, 'bb-layer.tar'),
    { tag: 'busybox:latest', cmd: ['/bin/sh'] },
    join(dir, 'busybox.tar'),
  );
  const r = await runNode([
    BIN,
    'image',
    'import',
    archive.path,
    '--sha256',
    archive.sha256,
    '--registry',
    registry,
  ]);
  if (r.code !== 0) throw new Error(`hearth image import busybox failed (${r.code}):\n${r.output}`);
  imageIds.push(archive.id);
}

async function projectContainers(): Promise<Docker.ContainerInfo[]> {
  return docker!.listContainers({ all: true, filters: { label: [`${SERVER_LABEL.project}=${PROJECT}`] } });
}

async function dumpOnFailure(): Promise<void> {
  for (const c of await projectContainers())
    console.error(
      c.Names,
      demultiplex(await docker!.getContainer(c.Id).logs({ stdout: true, stderr: true })).slice(-3000),
    );
  console.error(server?.output().slice(-4000));
}

describe.skipIf(
  !docker || !iptablesReady || !existsSync(join(ROOT, 'dist', 'runtime', 'servers', 'boot.js')),
)("the seed's kubelet template on container servers (real dockerd, iptables)", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seedtest-'));
    const registry = join(dir, 'images.json');
    const built = await buildGoldenImage({
      output: join(dir, 'golden.tar'),
      tag: TAG,
      cacheDir: RUNTIME_CACHE,
      hearthRoot: ROOT,
    });
    const imported = await importImage(docker!, new ImageRegistry(registry), built.path, built.sha256);
    imageIds.push(imported.images[0]!.id);
    await importBusybox(registry);
    server = await startContainerHearth(docker!, registry, PREFIX);
    endpoint = server.endpoint(PROJECT);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    for (const c of await projectContainers())
      await docker!
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    const networks = await docker!.listNetworks();
    for (const n of networks.filter((n) => n.Name.startsWith(PREFIX)))
      await docker!
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
    const { Volumes } = await docker!.listVolumes({
      filters: { label: [`${SERVER_LABEL.project}=${PROJECT}`] },
    });
    for (const v of Volumes ?? [])
      await docker!
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined);
    for (const id of imageIds)
      await docker!
        .getImage(id)
        .remove({ force: true })
        .catch(() => undefined);
    imageIds = [];
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses bad security group rules, pools and addresses precisely, before anything is stored', async () => {
    const template = {
      heat_template_version: '2015-04-30',
      resources: {
        sg: {
          type: 'OS::Neutron::SecurityGroup',
          properties: {
            rules: [
              { protocol: 'tcp', port_range_min: 90, port_range_max: 80 },
              { protocol: 'gre', port_range_min: 1 },
              { remote_ip_prefix: '10.0.0.0/33' },
              { ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' },
            ],
          },
        },
        fip: { type: 'OS::Neutron::FloatingIP', properties: { floating_network: 'no such/pool' } },
        addr: {
          type: 'OS::Neutron::FloatingIP',
          properties: { floating_network: 'public', floating_ip_address: '1.2.3' },
        },
      },
    };
    const r = await api('POST', `${endpoint}/validate`, { template });
    expect(r.status).toBe(400);
    const text = JSON.stringify(r.body);
    expect(text).toContain('rules[0].port_range_min: 90 is greater than port_range_max 80');
    expect(text).toContain('rules[1].port_range_min: ports are matched for tcp, udp (ports) and icmp');
    expect(text).toContain('rules[2].remote_ip_prefix: \\"10.0.0.0/33\\" is not an IP address or CIDR');
    expect(text).toContain(
      'rules[3].remote_ip_prefix: \\"10.0.0.0/8\\" is an IPv4 prefix but the rule\'s ethertype is IPv6',
    );
    const pool = await api('POST', `${endpoint}/validate`, {
      template: { ...template, resources: { fip: template.resources.fip } },
    });
    expect(JSON.stringify(pool.body)).toContain('floating_network: \\"no such/pool\\" is not a pool name');
    const address = await api('POST', `${endpoint}/validate`, {
      template: { ...template, resources: { addr: template.resources.addr } },
    });
    expect(JSON.stringify(address.body)).toContain('floating_ip_address: \\"1.2.3\\" is not an IPv4 address');
    const pods = await api('PUT', `${endpoint}/agent/not-a-server/pods`, { pods: {} });
    expect(pods.status).toBe(404);
    expect(JSON.stringify(pods.body)).toContain('server not-a-server is not a container server of project');
  });

  it('creates the unchanged template: hello world! on the floating IP, other ports dropped; delete leaves nothing', async () => {
    const text = readFileSync(TEMPLATE, 'utf8');
    const sha = execFileSync('sha256sum', [TEMPLATE]).toString().split(' ')[0];
    expect(sha).toBe(TEMPLATE_SHA256);
    const started = Date.now();
    const created = await api('POST', `${endpoint}/stacks`, {
      stack_name: 'seed',
      template: text,
      parameters: { image: TAG, key_name: 'ssh-ed25519 AAAAC3Nza seed@hearth' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: string = created.body.stack.id;
    const stack = await waitForStack(endpoint, 'seed', id, 90_000).catch(async (err: Error) => {
      await dumpOnFailure();
      throw err;
    });
    if (stack.stack_status !== 'CREATE_COMPLETE') await dumpOnFailure();
    expect(stack.stack_status, stack.stack_status_reason).toBe('CREATE_COMPLETE');
    console.info(`seed template CREATE_COMPLETE in ${Date.now() - started} ms`);

    const outputs = await api('GET', `${endpoint}/stacks/seed/${id}/outputs`);
    const value = async (key: string) =>
      (await api('GET', `${endpoint}/stacks/seed/${id}/outputs/${key}`)).body?.output?.output_value;
    expect(outputs.status).toBe(200);
    expect(await value('status_code_deployment')).toBe(0);
    const floating = String(await value('server_floating_ip'));
    expect(floating).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await tcpRead(floating, 8080)).toEqual({ ok: true, text: 'hello world!\n' });

    const resources = (await api('GET', `${endpoint}/stacks/seed/${id}/resources`)).body.resources as {
      resource_name: string;
      physical_resource_id: string;
    }[];
    const physical = (name: string) => resources.find((r) => r.resource_name === name)!.physical_resource_id;
    const serverId = physical('server');
    const container = `hearth-${serverId}`;
    const info = await docker!.getContainer(container).inspect();
    const privateIp = info.NetworkSettings.Networks[`${PREFIX}${PROJECT}`]!.IPAddress;
    expect(info.NetworkSettings.Networks[`${PREFIX}public-public`]?.IPAddress).toBe(floating);

    // the pod: its containers labelled with project, stack, resource and server, in the server's namespace
    const pods = await docker!.listContainers({
      all: true,
      filters: { label: [`${SERVER_LABEL.server}=${serverId}`] },
    });
    expect(pods.length).toBe(2);
    for (const c of pods) {
      expect(c.Labels[SERVER_LABEL.project]).toBe(PROJECT);
      expect(c.Labels[SERVER_LABEL.stack]).toBe(id);
      expect(c.Labels[SERVER_LABEL.resource]).toBe(serverId);
    }
    // … and in the server's cgroup, so that the flavor's CPU and memory limits cover the pods too
    const dockerInfo = (await docker!.info()) as { CgroupDriver?: string; CgroupVersion?: string };
    if (dockerInfo.CgroupDriver === 'cgroupfs' && (dockerInfo.CgroupVersion ?? '1') === '1') {
      const app = await docker!.getContainer(pods[0]!.Id).inspect();
      expect(app.HostConfig.CgroupParent).toBe(`/docker/${info.Id}`);
    }

    // the security group: 8080 open on both addresses; 9090 listens in the server but is dropped
    await execIn(container, ['nc', '-p', '9090', '-l', '-l', '-e', 'echo', 'nine'], true);
    let inside = '';
    for (let i = 0; i < 20 && !inside.includes('nine'); i++) {
      inside = await execIn(container, ['sh', '-c', 'nc 127.0.0.1 9090 </dev/null']);
      if (!inside.includes('nine')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(inside).toBe('nine\n');
    expect((await tcpRead(floating, 9090, 1000)).ok).toBe(false);
    expect((await tcpRead(privateIp, 9090, 1000)).ok).toBe(false);
    expect(await tcpRead(privateIp, 8080)).toEqual({ ok: true, text: 'hello world!\n' });
    const sgId = physical('the_sg');
    const rules = execFileSync('iptables', ['-w', '5', '-S']).toString();
    expect(rules).toContain(`hearth-sg/s=${serverId}`);
    expect(rules).toContain(`hearth-sg/g=${sgId}`);

    // the server restarted: a new network namespace; its agent sends its pods again, the host recreates them
    const podIds = async () =>
      (await docker!.listContainers({ filters: { label: [`${SERVER_LABEL.server}=${serverId}`] } }))
        .map((c) => c.Id)
        .sort();
    const before = await podIds();
    const restarted = Date.now();
    await docker!.getContainer(container).restart({ t: 1 });
    let again = await tcpRead(floating, 8080, 500);
    for (let i = 0; i < 100 && again.text !== 'hello world!\n'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      again = await tcpRead(floating, 8080, 500);
    }
    expect(again).toEqual({ ok: true, text: 'hello world!\n' });
    console.info(`pod serving again ${Date.now() - restarted} ms after the server restarted`);
    const recreated = await podIds();
    expect(recreated.length).toBe(2);
    expect(recreated.filter((id) => before.includes(id))).toEqual([]);

    // what the host refuses in a tenant's server, each pod with its reason (the agent API, as a member)
    const pod = (image: string, port: Record<string, number>, volumes?: unknown) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      spec: {
        containers: [
          {
            name: 'c',
            image,
            command: ['sleep', '600'],
            ports: [{ containerPort: 7070, ...port }],
            ...(volumes ? { volumeMounts: [{ name: 'h', mountPath: '/h' }] } : {}),
          },
        ],
        ...(volumes ? { volumes } : {}),
      },
    });
    const bad = await api('PUT', `${endpoint}/agent/${serverId}/pods`, {
      pods: {
        first: pod('busybox', {}),
        clash: pod('busybox', {}),
        moved: pod('busybox', { containerPort: 7071, hostPort: 80 }),
        host: pod('busybox', { containerPort: 7072 }, [{ name: 'h', hostPath: { path: '/etc' } }]),
        unverified: pod(TAG.replace(/:.*/, ':nope'), { containerPort: 7073 }),
        broken: {
          apiVersion: 'v1',
          kind: 'Pod',
          spec: { containers: [{ name: 'c', image: 'busybox', bogus: 1 }] },
        },
      },
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(200);
    expect(bad.body.invalid.map((i: { pod: string }) => i.pod)).toEqual(['broken']);
    const statuses = (await api('GET', `${endpoint}/agent/${serverId}/pods`)).body.pods as {
      name: string;
      reason?: string;
      message?: string;
      containers: { reason?: string; message?: string }[];
    }[];
    const why = (name: string) => {
      const s = statuses.find((p) => p.name === name)!;
      return `${s.reason ?? s.containers[0]?.reason}: ${s.message ?? s.containers[0]?.message}`;
    };
    expect(why('clash')).toBe('PortConflict: port 7070/tcp of the server is already used by pod first');
    expect(why('moved')).toContain(
      'PortNotAllowed: container c: hostPort 80 differs from containerPort 7071',
    );
    expect(why('host')).toBe('VolumeNotAllowed: volume h: hostPath /etc is outside the allowed roots (none)');
    expect(why('unverified')).toMatch(/^ImageUnverified: /);
    expect(why('broken')).toContain('InvalidManifest: ');
    expect(why('broken')).toContain('bogus');

    const deleted = await api('DELETE', `${endpoint}/stacks/seed/${id}`);
    expect(deleted.status).toBe(204);
    expect((await waitForStack(endpoint, 'seed', id, 60_000)).stack_status).toMatch(
      /DELETE_COMPLETE|NOT_FOUND/,
    );
    expect(await projectContainers()).toEqual([]);
    const networks = (await docker!.listNetworks()).filter((n) => n.Name.startsWith(PREFIX));
    expect(networks.map((n) => n.Name)).toEqual([]);
    const { Volumes } = await docker!.listVolumes({
      filters: { label: [`${SERVER_LABEL.project}=${PROJECT}`] },
    });
    expect(Volumes ?? []).toEqual([]);
    const after = execFileSync('iptables', ['-w', '5', '-S']).toString();
    for (const gone of [
      serverId,
      sgId,
      serverId.replace(/-/g, '').slice(0, 20),
      sgId.replace(/-/g, '').slice(0, 20),
    ])
      expect(after).not.toContain(gone);
    console.info(`seed template create + checks + delete in ${Date.now() - started} ms`);
  }, 150_000);

  it('a pod the host refuses in a server fails its deployment with the reason, and nothing is left', async () => {
    const template = {
      heat_template_version: '2015-04-30',
      resources: {
        server: {
          type: 'OS::Nova::Server',
          properties: { image: TAG, flavor: 'm1.tiny', user_data_format: 'SOFTWARE_CONFIG' },
        },
        config: {
          type: 'OS::Heat::StructuredConfig',
          properties: {
            group: 'kubelet',
            config: {
              version: 'v1beta2',
              containers: [
                {
                  name: 'web',
                  image: 'busybox',
                  command: ['sleep', '600'],
                  ports: [{ hostPort: 80, containerPort: 8080 }],
                },
              ],
            },
          },
        },
        deployment: {
          type: 'OS::Heat::SoftwareDeployment',
          properties: { config: { get_resource: 'config' }, server: { get_resource: 'server' } },
        },
      },
    };
    const created = await api('POST', `${endpoint}/stacks`, { stack_name: 'moved', template });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: string = created.body.stack.id;
    const stack = await waitForStack(endpoint, 'moved', id, 60_000);
    expect(stack.stack_status).toBe('CREATE_FAILED');
    expect(stack.stack_status_reason).toContain(
      'PortNotAllowed: container web: hostPort 80 differs from containerPort 8080',
    );
    expect((await api('DELETE', `${endpoint}/stacks/moved/${id}`)).status).toBe(204);
    expect((await waitForStack(endpoint, 'moved', id, 60_000)).stack_status).toMatch(
      /DELETE_COMPLETE|NOT_FOUND/,
    );
    expect(await projectContainers()).toEqual([]);
  }, 90_000);
});

describe('the pods route with identity on (host credentials)', () => {
  let secure: HearthProcess | undefined;

  afterAll(async () => {
    await secure?.stop();
  });

  it("a server's credential reaches only its own server's pods; without container servers: 503", async () => {
    secure = await startHearth({ noauth: false, adminPassword: ADMIN_PASSWORD });
    const signed = await new Keystone(secure.url).signIn('admin', ADMIN_PASSWORD, 'admin');
    const v1 = secure.endpoint(signed.projectId);
    const created = await call('POST', `${v1}/stacks`, {
      token: signed.token,
      body: {
        stack_name: 'hosts',
        template: {
          heat_template_version: '2018-08-31',
          resources: { a: { type: 'OS::Heat::DeployedServer' }, b: { type: 'OS::Heat::DeployedServer' } },
          outputs: {
            a: { value: { get_attr: ['a', 'os_collect_config'] } },
            b: { value: { get_attr: ['b', 'os_collect_config'] } },
          },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const stackUrl = `${v1}/stacks/hosts/${created.body.stack.id}`;
    expect((await settled(stackUrl, signed.token)).stack_status).toBe('CREATE_COMPLETE');
    const output = async (key: string) =>
      (await call('GET', `${stackUrl}/outputs/${key}`, { token: signed.token })).body.output.output_value as {
        hearth: { server_id: string; token: string };
      };
    const a = (await output('a')).hearth;
    const b = (await output('b')).hearth;
    const asA = (method: string, server: string, body?: unknown) =>
      call(method, `${v1}/agent/${server}/pods`, { token: a.token, ...(body ? { body } : {}) });
    for (const r of [await asA('GET', b.server_id), await asA('PUT', b.server_id, { pods: {} })])
      expect(r.status, JSON.stringify(r.body)).toBe(403);
    const own = await asA('PUT', a.server_id, { pods: {} });
    expect(own.status).toBe(503);
    expect(own.body.error.message).toContain('hearth server --container-servers');
    const bad = await asA('PUT', a.server_id, { pods: { 'Not A Name': {} } });
    expect(bad.status).toBe(400);
    const forged = await call('GET', `${v1}/agent/${a.server_id}/pods`, {
      token: `${a.token.slice(0, -1)}x`,
    });
    expect(forged.status).toBe(401);
  });
});
