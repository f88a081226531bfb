/**
 * Container servers end to end on the real dockerd: a golden image built from this checkout's dist/ and imported
 * through the verifying path, a real `hearth server --container-servers` process, OS::Nova::Server templates
 * (mapped by the default environment) with boot-time user_data and a SoftwareDeployment applied by the agent inside
 * the container, and delete leaving neither container nor project network behind.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoldenImage } from '../src/runtime/images/golden.js';
import { importImage } from '../src/runtime/images/import.js';
import { ImageRegistry } from '../src/runtime/images/registry.js';
import { demultiplex } from '../src/runtime/servers/server-host.js';
import { SERVER_LABEL } from '../src/runtime/servers/network.js';
import { api, ROOT, waitForStack, type HearthProcess } from './helpers/hearth.js';
import { ensureDocker, RUNTIME_CACHE, startContainerHearth } from './runtime/docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const TAG = `hearth-test/server:${process.pid}`;
const PROJECT = `srv${process.pid}`;
const PREFIX = `hearth-t${process.pid}-`;
const NETWORK = `${PREFIX}${PROJECT}`;

let dir = '';
let imageId = '';
let server: HearthProcess | undefined;
let endpoint = '';

async function createStack(name: string, template: string): Promise<{ id: string; stack: any }> {
  const created = await api('POST', `${endpoint}/stacks`, { stack_name: name, template });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id: string = created.body.stack.id;
  const stack = await waitForStack(endpoint, name, id, 30_000).catch(async (err: Error) => {
    const list = await docker!.listContainers({
      all: true,
      filters: { label: [`${SERVER_LABEL.project}=${PROJECT}`] },
    });
    for (const c of list)
      console.error(
        c.Names,
        demultiplex(await docker!.getContainer(c.Id).logs({ stdout: true, stderr: true })),
      );
    console.error(server?.output().slice(-3000));
    throw err;
  });
  return { id, stack };
}

async function output(name: string, id: string, key: string): Promise<unknown> {
  const r = await api('GET', `${endpoint}/stacks/${name}/${id}/outputs/${key}`);
  return r.body?.output?.output_value;
}

async function execIn(container: string, cmd: string[]): Promise<string> {
  const exec = await docker!
    .getContainer(container)
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return demultiplex(Buffer.concat(chunks));
}

async function gone(kind: 'container' | 'network', name: string): Promise<boolean> {
  const target = kind === 'container' ? docker!.getContainer(name) : docker!.getNetwork(name);
  return target.inspect().then(
    () => false,
    () => true,
  );
}

describe.skipIf(!docker || !existsSync(join(ROOT, 'dist', 'runtime', 'servers', 'boot.js')))(
  'container servers (real dockerd)',
  () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hearth-servers-'));
      const built = await buildGoldenImage({
        output: join(dir, 'golden.tar'),
        tag: TAG,
        cacheDir: RUNTIME_CACHE,
        hearthRoot: ROOT,
      });
      const registry = join(dir, 'images.json');
      const imported = await importImage(docker!, new ImageRegistry(registry), built.path, built.sha256);
      imageId = imported.images[0]!.id;
      server = await startContainerHearth(docker!, registry, PREFIX);
      endpoint = server.endpoint(PROJECT);
    }, 90_000);

    afterAll(async () => {
      await server?.stop();
      const left = await docker!.listContainers({
        all: true,
        filters: { label: [`${SERVER_LABEL.project}=${PROJECT}`] },
      });
      await Promise.all(
        left.map((c) =>
          docker!
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
      await docker!
        .getNetwork(NETWORK)
        .remove()
        .catch(() => undefined);
      if (imageId)
        await docker!
          .getImage(imageId)
          .remove({ force: true })
          .catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('refuses an unknown flavor and an unverified image with the allowed values', async () => {
      const template = (image: string, flavor: string): string =>
        `heat_template_version: 2018-08-31\nresources:\n  s:\n    type: OS::Nova::Server\n    properties: {image: "${image}", flavor: ${flavor}}\n`;
      const flavor = await api('POST', `${endpoint}/validate`, { template: template(TAG, 'm1.huge') });
      expect(flavor.status).toBe(400);
      expect(JSON.stringify(flavor.body)).toContain(
        'flavor \\"m1.huge\\" is not known; known flavors: m1.tiny, m1.small',
      );
      const format = await api('POST', `${endpoint}/validate`, {
        template: template('Not An Image!', 'm1.tiny'),
      });
      expect(JSON.stringify(format.body)).toContain('is not an image reference');
    });

    it('boots a server from user_data, deploys a script to its agent, and removes container and network', async () => {
      const template = `
heat_template_version: 2018-08-31
resources:
  server:
    type: OS::Nova::Server
    properties:
      image: ${TAG}
      flavor: m1.tiny
      key_name: ssh-ed25519 AAAAC3Nza test@hearth
      user_data_format: SOFTWARE_CONFIG
      user_data: |
        #!/bin/sh
        echo booted > /tmp/booted
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{name: who}]
      outputs: [{name: result}]
      config: |
        #!/bin/sh
        echo "$(cat /tmp/booted) $who" > $heat_outputs_path.result
  deployment:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: config}
      server: {get_resource: server}
      input_values: {who: hearth}
outputs:
  result: {value: {get_attr: [deployment, result]}}
  address: {value: {get_attr: [server, first_address]}}
  networks: {value: {get_attr: [server, networks]}}
  container: {value: {get_attr: [server, instance_name]}}
  port: {value: {get_attr: [server, addresses, private, 0, port]}}
`;
      const { id, stack } = await createStack('srv', template);
      expect(stack.stack_status, stack.stack_status_reason).toBe('CREATE_COMPLETE');
      expect(await output('srv', id, 'result')).toBe('booted hearth\n');
      const address = String(await output('srv', id, 'address'));
      const net = await docker!.getNetwork(NETWORK).inspect();
      const subnet = String(net.IPAM?.Config?.[0]?.Subnet).split('.').slice(0, 2).join('.');
      expect(address.startsWith(`${subnet}.`)).toBe(true);
      // keyed by the network name (none given: Nova's usual "private") and by the Docker network, as Heat does
      expect(await output('srv', id, 'networks')).toEqual({ private: [address], [NETWORK]: [address] });
      const container = String(await output('srv', id, 'container'));
      const info = await docker!.getContainer(container).inspect();
      expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024);
      expect(info.Config.Labels[SERVER_LABEL.project]).toBe(PROJECT);
      expect(await output('srv', id, 'port')).toBe(info.NetworkSettings.Networks[NETWORK]!.EndpointID);
      expect(await execIn(container, ['cat', '/root/.ssh/authorized_keys'])).toBe(
        'ssh-ed25519 AAAAC3Nza test@hearth\n',
      );

      const deleted = await api('DELETE', `${endpoint}/stacks/srv/${id}`);
      expect(deleted.status).toBe(204);
      expect((await waitForStack(endpoint, 'srv', id)).stack_status).toMatch(/DELETE_COMPLETE|NOT_FOUND/);
      expect(await gone('container', container)).toBe(true);
      expect(await gone('network', NETWORK)).toBe(true);
    }, 90_000);

    it('applies #cloud-config write_files and runcmd once, reporting the keys it does not support', async () => {
      const template = `
heat_template_version: 2018-08-31
resources:
  init:
    type: OS::Heat::CloudConfig
    properties:
      cloud_config:
        write_files: [{path: /etc/motd.d/hello, content: "hi\\n", permissions: "0600"}]
        runcmd: ["echo ran >> /tmp/runcmd"]
        packages: [curl]
  script:
    type: OS::Heat::SoftwareConfig
    properties: {group: ungrouped, config: "#!/bin/sh\\necho part > /tmp/part\\n"}
  mime:
    type: OS::Heat::MultipartMime
    properties:
      parts: [{config: {get_resource: init}}, {config: {get_resource: script}}]
  server:
    type: OS::Nova::Server
    properties:
      image: ${TAG}
      flavor: m1.small
      user_data_format: RAW
      user_data: {get_resource: mime}
outputs:
  container: {value: {get_attr: [server, instance_name]}}
`;
      const { id, stack } = await createStack('cc', template);
      expect(stack.stack_status, stack.stack_status_reason).toBe('CREATE_COMPLETE');
      const events = await api('GET', `${endpoint}/stacks/cc/${id}/events?resource_name=server`);
      const reasons = (events.body.events as { resource_status_reason: string }[]).map(
        (e) => e.resource_status_reason,
      );
      expect(reasons).toContain(
        'user_data not applied: cloud-config key "packages" (supported: write_files, runcmd, users)',
      );
      const container = String(await output('cc', id, 'container'));
      let files = '';
      for (let i = 0; i < 100 && !files.includes('part'); i++) {
        files = await execIn(container, [
          'sh',
          '-c',
          'cat /etc/motd.d/hello /tmp/runcmd /tmp/part 2>/dev/null',
        ]);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(files).toBe('hi\nran\npart\n');
      await docker!.getContainer(container).restart();
      await new Promise((r) => setTimeout(r, 1000));
      expect(await execIn(container, ['cat', '/tmp/runcmd'])).toBe('ran\n');
      expect((await api('DELETE', `${endpoint}/stacks/cc/${id}`)).status).toBe(204);
      await waitForStack(endpoint, 'cc', id);
      expect(await gone('container', container)).toBe(true);
    }, 60_000);
  },
);
