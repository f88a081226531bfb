/**
 * `hearth agent` with identity on (a real `hearth server` without `--insecure-noauth`): each host's credential
 * (the `os_collect_config` of its DeployedServer) reads and signals that one server's deployments and nothing
 * else; forged credentials and the credential of a deleted server are 401. And bad hook output (not JSON, more
 * than 1 MB) or bad calls end with clear errors, never a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, call, Keystone, settled } from './helpers/authz.js';
import {
  installHook,
  killAllAgents,
  newHostFromConfig,
  startAgent,
  type AgentHost,
} from './helpers/agent-host.js';
import { startHearth, type HearthProcess } from './helpers/hearth.js';

interface OsCollectConfig {
  hearth: { endpoint: string; server_id: string; token: string };
}

let server: HearthProcess;
let admin: string;
let endpoint: string;

/** Creates a stack as the admin; returns its canonical URL. */
async function createStack(name: string, template: unknown): Promise<string> {
  const r = await call('POST', `${endpoint}/stacks`, { token: admin, body: { stack_name: name, template } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return `${endpoint}/stacks/${name}/${r.body.stack.id}`;
}

/** A stack output, once it has a value. */
async function output(stackUrl: string, name: string): Promise<any> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await call('GET', `${stackUrl}/outputs/${name}`, { token: admin });
    const value = r.body?.output?.output_value;
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`output ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The deployment of a deployment resource of a stack (its physical id), once the resource has made it. */
async function deploymentOf(stackUrl: string, resource: string): Promise<any> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await call('GET', `${stackUrl}/resources/${resource}`, { token: admin });
    const id = r.body?.resource?.physical_resource_id;
    if (id) {
      const d = await call('GET', `${endpoint}/software_deployments/${id}`, { token: admin });
      if (d.status === 200) return d.body.software_deployment;
    }
    if (Date.now() > deadline) throw new Error(`no deployment for ${resource}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const script = (text: string) => ({
  type: 'OS::Heat::SoftwareConfig',
  properties: { group: 'script', config: text },
});

beforeAll(async () => {
  server = await startHearth({ noauth: false, adminPassword: ADMIN_PASSWORD });
  const signed = await new Keystone(server.url).signIn('admin', ADMIN_PASSWORD, 'admin');
  admin = signed.token;
  endpoint = server.endpoint(signed.projectId);
});

afterAll(async () => {
  killAllAgents();
  await server?.stop();
});

describe('host credentials with identity on', () => {
  let stackUrl: string;
  let configA: OsCollectConfig;
  let configB: OsCollectConfig;
  let hostB: AgentHost;
  let depA: any;
  let depB: any;
  const asA = (method: string, url: string, body?: unknown) =>
    call(method, url, { token: configA.hearth.token, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    stackUrl = await createStack('hosts', {
      heat_template_version: '2018-08-31',
      resources: {
        server_a: { type: 'OS::Heat::DeployedServer' },
        server_b: { type: 'OS::Heat::DeployedServer' },
        config: script('#!/bin/sh\necho "on $deploy_server_id"\n'),
        deploy_a: {
          type: 'OS::Heat::SoftwareDeployment',
          properties: { config: { get_resource: 'config' }, server: { get_resource: 'server_a' } },
        },
        deploy_b: {
          type: 'OS::Heat::SoftwareDeployment',
          properties: { config: { get_resource: 'config' }, server: { get_resource: 'server_b' } },
        },
      },
      outputs: {
        config_a: { value: { get_attr: ['server_a', 'os_collect_config'] } },
        config_b: { value: { get_attr: ['server_b', 'os_collect_config'] } },
      },
    });
    configA = await output(stackUrl, 'config_a');
    configB = await output(stackUrl, 'config_b');
    startAgent(newHostFromConfig(configA));
    hostB = newHostFromConfig(configB);
    depA = await deploymentOf(stackUrl, 'deploy_a');
    depB = await deploymentOf(stackUrl, 'deploy_b');
    // A's deployment completes; B has no agent yet, so B's stays IN_PROGRESS while A's credential is tried on it.
    const deadline = Date.now() + 20_000;
    while ((await deploymentOf(stackUrl, 'deploy_a')).status === 'IN_PROGRESS') {
      if (Date.now() > deadline) throw new Error('deployment of server A did not finish');
      await new Promise((res) => setTimeout(res, 50));
    }
  });

  it('the credential is scoped to its own server and reads its deployments', async () => {
    expect(configA.hearth.token).toMatch(/^hth1\./);
    expect(configA.hearth.endpoint).toBe(endpoint);
    const own = await asA('GET', `${endpoint}/agent/${configA.hearth.server_id}/deployments`);
    expect(own.status).toBe(200);
    expect(own.body.deployments.map((c: { id: string }) => c.id)).toEqual([expect.any(String) as string]);
  });

  it("A's credential is refused B's deployments list, signal and progress (403)", async () => {
    const b = `${endpoint}/agent/${configB.hearth.server_id}/deployments`;
    const answers = [
      await asA('GET', b),
      await asA('GET', `${b}?version=x&wait=1`),
      await asA('POST', `${b}/${depB.id}/signal`, { deploy_status_code: 0 }),
      await asA('POST', `${b}/${depB.id}/progress`, { lines: ['forged'] }),
    ];
    for (const r of answers) expect(r.status, JSON.stringify(r.body)).toBe(403);
    // Through its own server's URL, B's deployment does not exist for A.
    const own = `${endpoint}/agent/${configA.hearth.server_id}/deployments/${depB.id}`;
    expect((await asA('POST', `${own}/signal`, { deploy_status_code: 0 })).status).toBe(404);
    expect((await asA('POST', `${own}/progress`, { lines: ['forged'] })).status).toBe(404);
    const after = await call('GET', `${endpoint}/software_deployments/${depB.id}`, { token: admin });
    expect(after.body.software_deployment.status).toBe('IN_PROGRESS');
  });

  it("A's credential is refused the stack, resource and software REST routes (403)", async () => {
    const urls: [string, string, unknown?][] = [
      ['GET', `${endpoint}/stacks`],
      ['GET', stackUrl],
      ['GET', `${stackUrl}/resources`],
      ['GET', `${stackUrl}/resources/deploy_b`],
      ['GET', `${stackUrl}/events`],
      ['POST', `${stackUrl}/resources/deploy_b/signal`, { deploy_status_code: 0 }],
      ['DELETE', stackUrl],
      ['GET', `${endpoint}/software_configs`],
      ['GET', `${endpoint}/software_configs/${depB.config_id}`],
      ['GET', `${endpoint}/software_deployments`],
      ['GET', `${endpoint}/software_deployments/${depA.id}`],
      ['GET', `${endpoint}/software_deployments/${depB.id}`],
      ['PUT', `${endpoint}/software_deployments/${depB.id}`, { status: 'COMPLETE' }],
      ['GET', `${endpoint}/software_deployments/metadata/${configB.hearth.server_id}`],
      ['POST', `${endpoint}/software_configs`, { name: 'x', config: 'x' }],
    ];
    for (const [method, url, body] of urls) {
      const r = await asA(method, url, body);
      expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBe(403);
    }
  });

  it('a forged or altered credential is 401', async () => {
    const token = configA.hearth.token;
    const mac = token.slice(token.lastIndexOf('.') + 1);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const forged = [
      flipped,
      token.replace(configA.hearth.server_id, configB.hearth.server_id),
      `hth1.${configA.hearth.server_id}.${mac}`,
      'hth1.garbage',
    ];
    for (const bad of forged) {
      for (const serverId of [configA.hearth.server_id, configB.hearth.server_id]) {
        const r = await call('GET', `${endpoint}/agent/${serverId}/deployments`, { token: bad });
        expect(r.status, bad).toBe(401);
      }
    }
  });

  it("B's own agent completes the stack; after the stack is deleted A's credential is 401", async () => {
    startAgent(hostB);
    const stack = await settled(stackUrl, admin);
    expect(stack.stack_status, stack.stack_status_reason).toBe('CREATE_COMPLETE');
    const finished = `${endpoint}/agent/${configA.hearth.server_id}/deployments/${depA.id}/signal`;
    const again = await asA('POST', finished, { deploy_status_code: 0 });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('not IN_PROGRESS');
    expect((await call('DELETE', stackUrl, { token: admin })).status).toBe(204);
    expect((await settled(stackUrl, admin)).stack_status).toMatch(/DELETE_COMPLETE|NOT_FOUND/);
    const r = await asA('GET', `${endpoint}/agent/${configA.hearth.server_id}/deployments`);
    expect(r.status).toBe(401);
  });
});

describe('bad hook output and bad calls, with identity on', () => {
  let stackUrl: string;
  let config: OsCollectConfig;
  let host: AgentHost;

  beforeAll(async () => {
    stackUrl = await createStack('bad-output', {
      heat_template_version: '2018-08-31',
      resources: {
        server: { type: 'OS::Heat::DeployedServer' },
        huge: script(
          '#!/bin/sh\necho THE-START\nhead -c 1200000 /dev/zero | tr "\\0" x\necho\necho THE-END\n',
        ),
        notjson: {
          type: 'OS::Heat::SoftwareConfig',
          properties: { group: 'notjson', config: 'anything' },
        },
        deploy_huge: {
          type: 'OS::Heat::SoftwareDeployment',
          properties: { config: { get_resource: 'huge' }, server: { get_resource: 'server' } },
        },
        deploy_notjson: {
          type: 'OS::Heat::SoftwareDeployment',
          depends_on: ['deploy_huge'],
          properties: { config: { get_resource: 'notjson' }, server: { get_resource: 'server' } },
        },
      },
      outputs: { config: { value: { get_attr: ['server', 'os_collect_config'] } } },
    });
    config = await output(stackUrl, 'config');
    host = newHostFromConfig(config);
    installHook(host, 'notjson', '#!/bin/sh\ncat >/dev/null\necho "this is not JSON"\n');
    startAgent(host);
  });

  it('a malformed progress body is a 400 saying what is wrong', async () => {
    const dep = await deploymentOf(stackUrl, 'deploy_huge');
    const url = `${endpoint}/agent/${config.hearth.server_id}/deployments/${dep.id}/progress`;
    for (const body of [{ lines: 'one line' }, { lines: [1, 2] }, ['a list']]) {
      const r = await call('POST', url, { token: config.hearth.token, body });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(/lines|object/);
    }
  });

  it('more than 1 MB of stdout is trimmed from the left, keeping the tail', async () => {
    const stack = await settled(stackUrl, admin);
    expect(stack.stack_status).toBe('CREATE_FAILED');
    const dep = await deploymentOf(stackUrl, 'deploy_huge');
    expect(dep.status, dep.status_reason).toBe('COMPLETE');
    const stdout: string = dep.output_values.deploy_stdout;
    expect(stdout.endsWith('x\nTHE-END\n')).toBe(true);
    expect(stdout).not.toContain('THE-START');
    expect(Buffer.byteLength(stdout)).toBeLessThan(950_000);
    expect(Buffer.byteLength(stdout)).toBeGreaterThan(900_000);
  });

  it('a hook whose stdout is not JSON fails its deployment, saying why', async () => {
    const stack = await settled(stackUrl, admin);
    expect(stack.stack_status_reason).toContain('deploy_notjson');
    const dep = await deploymentOf(stackUrl, 'deploy_notjson');
    expect(dep.status).toBe('FAILED');
    expect(dep.status_reason).toContain('non-zero status code: 1');
    expect(dep.output_values.deploy_stdout).toBe('this is not JSON\n');
    expect(dep.output_values.deploy_stderr).toContain('not a JSON object');
    expect(host.log).not.toContain(config.hearth.token);
  });
});
