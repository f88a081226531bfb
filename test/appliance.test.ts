/**
 * The Hearth appliance end to end on the real dockerd (examples/appliance): its images built from the recipe
 * (busybox + Debian packages for PostgreSQL, RabbitMQ and HAProxy; node + hearth for the server; reused across runs
 * when their inputs did not change), imported through the verifying path, then `appliance.yaml` created on a real
 * `hearth server --container-servers`. Through the appliance's HAProxy URL: /healthz, a token for its admin user,
 * a small stack created (by one of its engines) and listed with the CLI, its notifications on its RabbitMQ; the api
 * group scaled out (the new api joins HAProxy, HAProxy's container untouched); an api stopped (no request lost) and
 * started again; then the appliance stack deleted, leaving no container, network or volume behind. Prints the
 * figures (sizes, times).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_LABEL } from '../src/runtime/servers/network.js';
import {
  api,
  BIN,
  freePort,
  ROOT,
  runNode,
  startHearth,
  waitForStack,
  type HearthProcess,
} from './helpers/hearth.js';
import { ensureDocker, removeLabelled } from './runtime/docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const APPLIANCE = join(ROOT, 'examples', 'appliance');
/** Built images, reused while their inputs are unchanged (content hashes in `<name>.build.json`). */
const IMAGES = process.env['HEARTH_APPLIANCE_IMAGES'] ?? join(tmpdir(), 'hearth-appliance-images');
const PROJECT = `appl${process.pid}`;
const PREFIX = `appl-${process.pid}-`;
const ADMIN_PASSWORD = `appl-admin-${process.pid}`;
const SMALL = `
heat_template_version: 2018-08-31
resources:
  secret:
    type: OS::Heat::RandomString
    properties: {length: 12}
  test:
    type: OS::Heat::TestResource
    properties: {value: {get_resource: secret}, wait_secs: 1}
outputs:
  value: {value: {get_attr: [test, output]}}
`;

/** A row of `hearth -f json image build --recipe` (keyed by column header). */
interface BuiltImage {
  Name: string;
  Tag: string;
  File: string;
  sha256: string;
  ID: string;
  'Size MB': number;
  Cached: boolean;
  Seconds: number;
}

let dir = '';
let server: HearthProcess | undefined;
const figures: string[] = [];

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs` with `what`. */
async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} not within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs the hearth CLI with `env` added; its exit code, stdout and stderr. */
function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv['HEARTH_ENDPOINT'];
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function projectContainers(): Promise<Docker.ContainerInfo[]> {
  return docker!.listContainers({ all: true, filters: { label: [`${SERVER_LABEL.project}=${PROJECT}`] } });
}

describe.skipIf(!docker || !existsSync(join(ROOT, 'dist', 'cli')))(
  'the Hearth appliance (real dockerd)',
  () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hearth-appliance-'));
      const registry = join(dir, 'images.json');
      const started = Date.now();
      const build = await cli([
        '-f',
        'json',
        'image',
        'build',
        '--recipe',
        join(APPLIANCE, 'images.yaml'),
        '--output-dir',
        IMAGES,
      ]);
      expect(build.code, build.stderr).toBe(0);
      const images = JSON.parse(build.stdout) as BuiltImage[];
      expect(images.map((i) => i.Name).sort()).toEqual(['haproxy', 'postgres', 'rabbitmq', 'server']);
      figures.push(
        `images built in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
          images
            .map((i) => `${i.Name} ${i['Size MB']} MB${i.Cached ? ' (cached)' : ` (${i.Seconds} s)`}`)
            .join(', '),
      );
      const importStarted = Date.now();
      for (const image of images) {
        const r = await runNode([
          BIN,
          'image',
          'import',
          image.File,
          '--sha256',
          image.sha256,
          '--registry',
          registry,
        ]);
        expect(r.code, `import ${image.Name}: ${r.output}`).toBe(0);
      }
      figures.push(`imported (verified) in ${((Date.now() - importStarted) / 1000).toFixed(1)} s`);
      server = await startHearth({
        extraArgs: ['--container-servers', '--container-network-prefix', PREFIX],
        env: { HEARTH_IMAGE_REGISTRY: registry },
      });
    }, 240_000);

    afterAll(async () => {
      await server?.stop();
      if (docker) {
        await removeLabelled(docker, `${SERVER_LABEL.project}=${PROJECT}`);
        await docker
          .getNetwork(`${PREFIX}${PROJECT}`)
          .remove()
          .catch(() => undefined);
      }
      if (dir) await rm(dir, { recursive: true, force: true });
      console.log(`appliance figures:\n  ${figures.join('\n  ')}`);
    });

    it('deploys Hearth in its HA shape, serves a stack through HAProxy, and leaves nothing behind', async () => {
      const endpoint = server!.endpoint(PROJECT);
      const port = await freePort();
      const template = await readFile(join(APPLIANCE, 'appliance.yaml'), 'utf8');
      const createStarted = Date.now();
      const created = await api('POST', `${endpoint}/stacks`, {
        stack_name: 'appliance',
        template,
        parameters: { admin_password: ADMIN_PASSWORD, api_port: port },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id: string = created.body.stack.id;
      const stack = await waitForStack(endpoint, 'appliance', id, 120_000);
      expect(stack.stack_status, stack.stack_status_reason).toBe('CREATE_COMPLETE');
      figures.push(`appliance CREATE_COMPLETE in ${((Date.now() - createStarted) / 1000).toFixed(1)} s`);

      // nine containers, each with its name on the project network, all running; the volumes they own
      const containers = await projectContainers();
      const names = containers.map((c) => c.Labels[SERVER_LABEL.name]).sort();
      expect(names).toEqual([
        'api-0',
        'api-1',
        'api-2',
        'db',
        'engine-0',
        'engine-1',
        'engine-2',
        'lb',
        'mq',
      ]);
      expect(containers.every((c) => c.Labels[SERVER_LABEL.stack] !== undefined)).toBe(true);
      const volumes = containers.flatMap((c) => c.Mounts.map((m) => m.Name).filter((n): n is string => !!n));
      expect(volumes.length).toBe(2); // PostgreSQL's data and RabbitMQ's

      const shown = await api('GET', `${endpoint}/stacks/appliance/${id}`);
      const outputs = Object.fromEntries(
        (shown.body.stack.outputs as { output_key: string; output_value: unknown }[]).map((o) => [
          o.output_key,
          o.output_value,
        ]),
      );
      const url = `http://127.0.0.1:${port}`;
      expect(outputs['api_url']).toBe(url);
      expect(outputs['auth_url']).toBe(`${url}/v3`);
      expect(outputs['dashboard_url']).toBe(`${url}/dashboard/`);
      expect(outputs['api_addresses']).toHaveLength(3);
      expect(outputs['engine_addresses']).toHaveLength(3);

      // HAProxy answers once an api is up (the apis wait for PostgreSQL); then every api and engine is healthy
      await eventually('the appliance /healthz through HAProxy', 90_000, async () => {
        const r = await fetch(`${url}/healthz`);
        return r.status === 200 ? true : undefined;
      });
      figures.push(
        `appliance /healthz 200 through HAProxy ${((Date.now() - createStarted) / 1000).toFixed(1)} s after create`,
      );
      for (const [address, p] of [
        ...(outputs['api_addresses'] as string[]).map((a) => [a, 8004] as const),
        ...(outputs['engine_addresses'] as string[]).map((a) => [a, 8005] as const),
      ])
        await eventually(`/healthz of ${address}:${p}`, 60_000, async () =>
          (await fetch(`http://${address}:${p}/healthz`)).status === 200 ? true : undefined,
        );

      // a consumer on the appliance's RabbitMQ (address and password from the appliance stack's resources)
      const mq = await api('GET', `${endpoint}/stacks/appliance/${id}/resources/mq`);
      const mqPassword = await api('GET', `${endpoint}/stacks/appliance/${id}/resources/mq_password`);
      const mqAddress = mq.body.resource.attributes.network_ip as string;
      const password = mqPassword.body.resource.attributes.value as string;
      const connection = await eventually('a connection to the appliance RabbitMQ', 60_000, () =>
        connect(`amqp://hearth:${password}@${mqAddress}:5672`),
      );
      const received: string[] = [];
      try {
        connection.on('error', () => undefined);
        const channel = await connection.createChannel();
        await channel.assertExchange('heat', 'topic', { durable: true });
        const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
        await channel.bindQueue(queue, 'heat', '#');
        await channel.consume(
          queue,
          (m) => {
            if (m)
              received.push(
                String((JSON.parse(m.content.toString('utf8')) as { event_type: string }).event_type),
              );
          },
          { noAck: true },
        );

        // the admin of the appliance signs in through HAProxy and creates a stack there
        const auth = await fetch(`${url}/v3/auth/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            auth: {
              identity: {
                methods: ['password'],
                password: { user: { name: 'admin', domain: { name: 'Default' }, password: ADMIN_PASSWORD } },
              },
              scope: { project: { name: 'admin', domain: { name: 'Default' } } },
            },
          }),
        });
        expect(auth.status).toBe(201);
        const token = auth.headers.get('x-subject-token')!;
        const projectId = ((await auth.json()) as { token: { project: { id: string } } }).token.project.id;
        const headers = {
          'content-type': 'application/json',
          'x-auth-token': token,
          accept: 'application/json',
        };
        const heat = `${url}/v1/${projectId}`;
        const smallStarted = Date.now();
        const small = await fetch(`${heat}/stacks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ stack_name: 'small', template: SMALL }),
        });
        expect(small.status, await small.clone().text()).toBe(201);
        const smallId = ((await small.json()) as { stack: { id: string } }).stack.id;
        const done = await eventually('the small stack to finish', 60_000, async () => {
          const r = await fetch(`${heat}/stacks/small/${smallId}`, { headers });
          const body = (await r.json()) as { stack: { stack_status: string; stack_status_reason: string } };
          return body.stack.stack_status.endsWith('IN_PROGRESS') ? undefined : body.stack;
        });
        expect(done.stack_status, done.stack_status_reason).toBe('CREATE_COMPLETE');
        figures.push(
          `small stack CREATE_COMPLETE through the appliance in ${((Date.now() - smallStarted) / 1000).toFixed(1)} s`,
        );
        await eventually('the stack notifications on the appliance RabbitMQ', 30_000, async () =>
          received.includes('orchestration.stack.create.end') ? true : undefined,
        );

        // the CLI, pointed at the appliance with OS_* variables, lists it
        const listed = await cli(['stack', 'list', '-f', 'json'], {
          OS_AUTH_URL: `${url}/v3`,
          OS_USERNAME: 'admin',
          OS_PASSWORD: ADMIN_PASSWORD,
          OS_PROJECT_NAME: 'admin',
          OS_USER_DOMAIN_NAME: 'Default',
          OS_PROJECT_DOMAIN_NAME: 'Default',
        });
        expect(listed.code, listed.stderr).toBe(0);
        const rows = JSON.parse(listed.stdout) as { 'Stack Name': string; 'Stack Status': string }[];
        expect(rows).toEqual([
          expect.objectContaining({ 'Stack Name': 'small', 'Stack Status': 'CREATE_COMPLETE' }),
        ]);
      } finally {
        await connection.close().catch(() => undefined);
      }

      // scaled out, the new api joins HAProxy (found by its name) without touching HAProxy's container
      const lbBefore = (await projectContainers()).find((c) => c.Labels[SERVER_LABEL.name] === 'lb')!.Id;
      const scaleStarted = Date.now();
      const scaled = await api('PATCH', `${endpoint}/stacks/appliance/${id}`, {
        parameters: { api_replicas: 4 },
      });
      expect(scaled.status, JSON.stringify(scaled.body)).toBe(202);
      const updated = await waitForStack(endpoint, 'appliance', id, 60_000);
      expect(updated.stack_status, updated.stack_status_reason).toBe('UPDATE_COMPLETE');
      await eventually('api-3 serving through HAProxy', 60_000, async () => {
        const r = await fetch(`${url}/healthz`);
        return r.headers.get('x-hearth-backend') === 'api-3' ? true : undefined;
      });
      figures.push(
        `api_replicas 3 → 4: api-3 serving through HAProxy ${((Date.now() - scaleStarted) / 1000).toFixed(1)} s after the update`,
      );
      const after = await projectContainers();
      expect(after.find((c) => c.Labels[SERVER_LABEL.name] === 'lb')!.Id).toBe(lbBefore);
      expect(after.filter((c) => c.Labels[SERVER_LABEL.name]?.startsWith('api-'))).toHaveLength(4);

      // an api stopped: HAProxy retries elsewhere (redispatch), then takes it back once it is started again
      const api0 = containers.find((c) => c.Labels[SERVER_LABEL.name] === 'api-0')!;
      await docker!.getContainer(api0.Id).stop({ t: 5 });
      const servedBy: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await fetch(`${url}/healthz`);
        expect(r.status, `request ${i} with api-0 stopped`).toBe(200);
        servedBy.push(r.headers.get('x-hearth-backend') ?? '');
      }
      expect(servedBy).not.toContain('api-0');
      expect(new Set(servedBy)).toEqual(new Set(['api-1', 'api-2', 'api-3']));
      await docker!.getContainer(api0.Id).start();
      const backStarted = Date.now();
      await eventually('api-0 serving through HAProxy again', 60_000, async () => {
        const r = await fetch(`${url}/healthz`);
        return r.headers.get('x-hearth-backend') === 'api-0' ? true : undefined;
      });
      figures.push(
        `api-0 stopped: 12/12 requests answered by the others; started again: back in HAProxy in ${((Date.now() - backStarted) / 1000).toFixed(1)} s`,
      );

      // deleting the appliance removes every container, the project network and the volumes
      const deleteStarted = Date.now();
      const deleted = await api('DELETE', `${endpoint}/stacks/appliance/${id}`);
      expect(deleted.status).toBe(204);
      const gone = await waitForStack(endpoint, 'appliance', id, 60_000);
      expect(['DELETE_COMPLETE', 'NOT_FOUND']).toContain(gone.stack_status);
      figures.push(`appliance DELETE_COMPLETE in ${((Date.now() - deleteStarted) / 1000).toFixed(1)} s`);
      expect(await projectContainers()).toEqual([]);
      const networks = await docker!.listNetworks({
        filters: { label: [`${SERVER_LABEL.project}=${PROJECT}`] },
      });
      expect(networks.map((n) => n.Name)).toEqual([]);
      for (const volume of volumes)
        await expect(docker!.getVolume(volume).inspect(), `volume ${volume}`).rejects.toThrow(
          /no such volume/i,
        );
    }, 240_000);
  },
);
