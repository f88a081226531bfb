/**
 * `hearth agent` end to end, with real processes: one `hearth server` and one `hearth agent` process per host,
 * each with its own state directory. First deployments made through the REST API (a placeholder config, the
 * deployment, then its derived config carrying the signal inputs — what the deployment resource does), then a
 * template of DeployedServers and a SoftwareDeploymentGroup, watched live with `hearth stack event list --follow`.
 * With identity on: `agent-identity.test.ts`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAgent,
  killAllAgents,
  newHost as newAgentHost,
  newHostFromConfig,
  startAgent,
  type AgentHost,
} from './helpers/agent-host.js';
import { api, BIN, startHearth, waitForStack, type HearthProcess } from './helpers/hearth.js';

const PROJECT = 'test';
let server: HearthProcess;
let endpoint: string;

const newHost = (serverId: string): AgentHost => newAgentHost(endpoint, serverId);

/** Creates a deployment of `script` to a server, as the deployment resource does, and returns its id. */
async function deploy(
  serverId: string,
  name: string,
  script: string,
  inputs: Record<string, unknown> = {},
  outputs: string[] = [],
): Promise<string> {
  const placeholder = await api('POST', `${endpoint}/software_configs`, {
    name,
    group: 'script',
    config: '',
  });
  expect(placeholder.status).toBe(200);
  const created = await api('POST', `${endpoint}/software_deployments`, {
    config_id: placeholder.body.software_config.id,
    server_id: serverId,
    action: 'CREATE',
    status: 'IN_PROGRESS',
    status_reason: 'Deploy data available',
  });
  expect(created.status).toBe(200);
  const id: string = created.body.software_deployment.id;
  await setConfig(id, serverId, name, script, inputs, outputs);
  return id;
}

/** Gives deployment `id` a new derived config (what an update of its inputs does). */
async function setConfig(
  id: string,
  serverId: string,
  name: string,
  script: string,
  inputs: Record<string, unknown>,
  outputs: string[],
  status?: string,
): Promise<void> {
  const derived = await api('POST', `${endpoint}/software_configs`, {
    name,
    group: 'script',
    config: script,
    inputs: [
      ...Object.entries(inputs).map(([k, v]) => ({ name: k, type: 'String', value: v })),
      { name: 'deploy_server_id', type: 'String', value: serverId },
      { name: 'deploy_action', type: 'String', value: 'CREATE' },
      { name: 'deploy_signal_transport', type: 'String', value: 'HEAT_SIGNAL' },
      {
        name: 'deploy_signal_id',
        type: 'String',
        value: `${endpoint}/agent/${serverId}/deployments/${id}/signal`,
      },
      { name: 'deploy_signal_verb', type: 'String', value: 'POST' },
    ],
    outputs: outputs.map((o) => ({ name: o, type: 'String' })),
  });
  expect(derived.status).toBe(200);
  const put = await api('PUT', `${endpoint}/software_deployments/${id}`, {
    config_id: derived.body.software_config.id,
    ...(status ? { status, status_reason: 'Deploy data available' } : {}),
  });
  expect(put.status).toBe(200);
}

/** Waits until a deployment leaves IN_PROGRESS. */
async function settled(id: string, timeoutMs = 20_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api('GET', `${endpoint}/software_deployments/${id}`);
    const d = r.body.software_deployment;
    if (d.status !== 'IN_PROGRESS') return d;
    if (Date.now() > deadline) {
      throw new Error(`deployment ${id} still IN_PROGRESS; agents:\n${hosts.map((h) => h.log).join('\n')}`);
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}

function count(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

const hosts: AgentHost[] = [];

beforeAll(async () => {
  server = await startHearth();
  endpoint = server.endpoint(PROJECT);
  for (const id of ['srv-a', 'srv-b', 'srv-c']) {
    const host = newHost(id);
    hosts.push(host);
    startAgent(host);
  }
});

afterAll(async () => {
  killAllAgents();
  await server?.stop();
});

describe('hearth agent against deployments made through the REST API', () => {
  it('applies a script deployment on each of three hosts, inputs in, outputs back', async () => {
    const ids = await Promise.all(
      hosts.map((h) =>
        deploy(
          h.serverId,
          `hello-${h.serverId}`,
          '#!/bin/sh\necho "hello $who"\necho "$who-$deploy_server_id" > "$heat_outputs_path/result"\n' +
            'printf legacy > "$heat_outputs_path.legacy"\n',
          { who: h.serverId },
          ['result', 'legacy'],
        ),
      ),
    );
    const done = await Promise.all(ids.map((id) => settled(id)));
    done.forEach((d, i) => {
      expect(d.status, JSON.stringify(d)).toBe('COMPLETE');
      expect(d.output_values.result).toBe(`${hosts[i]!.serverId}-${hosts[i]!.serverId}\n`);
      expect(d.output_values.legacy).toBe('legacy');
      expect(d.output_values.deploy_stdout).toBe(`hello ${hosts[i]!.serverId}\n`);
      expect(d.output_values.deploy_status_code).toBe(0);
    });
  });

  it('a failing script fails its deployment with the exit code and stderr', async () => {
    const id = await deploy('srv-a', 'failing', '#!/bin/sh\necho starting\necho "disk full" >&2\nexit 3\n');
    const d = await settled(id);
    expect(d.status).toBe('FAILED');
    expect(d.status_reason).toContain('Deployment exited with non-zero status code: 3');
    expect(d.output_values.deploy_stderr).toBe('disk full\n');
    expect(d.output_values.deploy_status_code).toBe(3);
  });

  it('an agent SIGKILLed mid-deploy and restarted finishes the deployment exactly once', async () => {
    const host = hosts[1]!;
    const runs = join(host.dir, 'runs.log');
    const id = await deploy(
      host.serverId,
      'slow',
      `#!/bin/sh\necho run >> "${runs}"\nsleep 2\necho finished\necho ok > "$heat_outputs_path/result"\n`,
      {},
      ['result'],
    );
    const deadline = Date.now() + 10_000;
    while (count(runs) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(count(runs)).toBe(1);
    await killAgent(host, 'SIGKILL');
    startAgent(host);
    const d = await settled(id);
    expect(d.status, JSON.stringify(d)).toBe('COMPLETE');
    expect(d.output_values.result).toBe('ok\n');
    expect(d.output_values.deploy_stdout).toBe('finished\n');
    // A third agent start changes nothing: the marker says it ran.
    await killAgent(host, 'SIGTERM');
    startAgent(host);
    await new Promise((r) => setTimeout(r, 1000));
    expect(count(runs)).toBe(1);
  });

  it('an update of one input re-runs only that deployment', async () => {
    const [a, b] = [hosts[0]!, hosts[2]!];
    const runsA = join(a.dir, 'update-runs.log');
    const runsB = join(b.dir, 'update-runs.log');
    const script = (file: string) => `#!/bin/sh\necho "$value" >> "${file}"\n`;
    const idA = await deploy(a.serverId, 'update-me', script(runsA), { value: 'one' });
    const idB = await deploy(b.serverId, 'update-me', script(runsB), { value: 'one' });
    await Promise.all([settled(idA), settled(idB)]);
    await setConfig(idA, a.serverId, 'update-me', script(runsA), { value: 'two' }, [], 'IN_PROGRESS');
    const d = await settled(idA);
    expect(d.status).toBe('COMPLETE');
    expect(readFileSync(runsA, 'utf8')).toBe('one\ntwo\n');
    expect(readFileSync(runsB, 'utf8')).toBe('one\n');
  });

  it('a new deployment reaches a waiting agent at once (long-poll)', async () => {
    const host = hosts[2]!;
    const started = Date.now();
    const id = await deploy(host.serverId, 'quick', '#!/bin/sh\necho quick\n');
    const d = await settled(id);
    expect(d.status).toBe('COMPLETE');
    // Not a timed assertion on speed: only that it did not wait for a 30 s poll.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('the agent API refuses signals for finished or foreign deployments, and bad waits', async () => {
    const id = await deploy('srv-c', 'done-already', '#!/bin/sh\ntrue\n');
    await settled(id);
    const again = await api('POST', `${endpoint}/agent/srv-c/deployments/${id}/signal`, {
      deploy_status_code: 0,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('not IN_PROGRESS');
    const foreign = await api('POST', `${endpoint}/agent/srv-a/deployments/${id}/signal`, {});
    expect(foreign.status).toBe(404);
    const wait = await api('GET', `${endpoint}/agent/srv-c/deployments?wait=61&version=x`);
    expect(wait.status).toBe(400);
    const progress = await api('POST', `${endpoint}/agent/srv-c/deployments/${id}/progress`, { lines: [1] });
    expect(progress.status).toBe(400);
  });

  it('logs JSON lines and never the host credential', () => {
    for (const host of hosts) {
      const lines = host.log.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(host.log).not.toContain('unused-under-noauth');
    }
  });
});

/**
 * Runs `hearth stack event list STACK --follow --wait --nested-depth 2` as a real process, noting for each line
 * the stack's status at the moment it was printed.
 */
function followEvents(stack: string, stackId: string) {
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--endpoint',
      endpoint,
      'stack',
      'event',
      'list',
      stack,
      '--follow',
      '--wait',
      '--nested-depth',
      '2',
      '--poll',
      '0.2',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '' } },
  );
  let out = '';
  const seen: { line: string; status: Promise<string> }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const line of d.toString().split('\n').filter(Boolean)) {
      const status = api('GET', `${endpoint}/stacks/${stack}/${stackId}?resolve_outputs=false`).then(
        (r) => r.body?.stack?.stack_status as string,
      );
      seen.push({ line, status });
    }
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exitCode = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    exitCode,
    output: () => out,
    firstSeen: (text: string) => seen.find((s) => s.line.includes(text)),
    statusWhenSeen: (text: string) => seen.find((s) => s.line.includes(text))?.status,
  };
}

/** Whether the server has the software resource types (another part of issue 5; these tests wait for them). */
async function hasSoftwareTypes(): Promise<boolean> {
  const r = await api('GET', `${endpoint}/resource_types`);
  const types = (r.body?.resource_types ?? []) as string[];
  return ['OS::Heat::DeployedServer', 'OS::Heat::SoftwareDeploymentGroup'].every((t) => types.includes(t));
}

describe('hearth agent with DeployedServer and a SoftwareDeploymentGroup', () => {
  it('deploys a group of scripts across three servers whose outputs feed stack outputs', async (ctx) => {
    if (!(await hasSoftwareTypes())) return ctx.skip();
    const template = {
      heat_template_version: '2018-08-31',
      resources: {
        ...Object.fromEntries(
          ['a', 'b', 'c'].map((n) => [`server_${n}`, { type: 'OS::Heat::DeployedServer' }]),
        ),
        config: {
          type: 'OS::Heat::SoftwareConfig',
          properties: {
            group: 'script',
            inputs: [{ name: 'greeting' }],
            outputs: [{ name: 'result' }],
            config:
              '#!/bin/sh\necho "step 1"\nsleep 2\necho "$greeting from $deploy_server_id" > "$heat_outputs_path/result"\n',
          },
        },
        group: {
          type: 'OS::Heat::SoftwareDeploymentGroup',
          properties: {
            config: { get_resource: 'config' },
            servers: Object.fromEntries(['a', 'b', 'c'].map((n) => [n, { get_resource: `server_${n}` }])),
            input_values: { greeting: 'hi' },
          },
        },
      },
      outputs: {
        results: { value: { get_attr: ['group', 'result'] } },
        ...Object.fromEntries(
          ['a', 'b', 'c'].map((n) => [
            `config_${n}`,
            { value: { get_attr: [`server_${n}`, 'os_collect_config'] } },
          ]),
        ),
      },
    };
    const created = await api('POST', `${endpoint}/stacks`, { stack_name: 'agents', template });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const stackId = created.body.stack.id;
    // Each host gets its own credential: the os_collect_config attribute of its DeployedServer.
    const outputs: Record<string, unknown> = {};
    const deadline = Date.now() + 20_000;
    for (const n of ['a', 'b', 'c']) {
      while (!outputs[n] && Date.now() < deadline) {
        const r = await api('GET', `${endpoint}/stacks/agents/${stackId}/outputs/config_${n}`);
        outputs[n] = r.body?.output?.output_value;
        if (!outputs[n]) await new Promise((res) => setTimeout(res, 100));
      }
    }
    // The user's view: `hearth stack event list --follow` (the real CLI process) while the hosts deploy.
    const follow = followEvents('agents', stackId);
    const templHosts = ['a', 'b', 'c'].map((n) => {
      const host = newHostFromConfig(outputs[n] as { hearth: { server_id: string } });
      startAgent(host);
      return host;
    });
    const stack = await waitForStack(endpoint, 'agents', stackId, 30_000);
    expect(stack.stack_status, stack.stack_status_reason).toBe('CREATE_COMPLETE');
    const results = await api('GET', `${endpoint}/stacks/agents/${stackId}/outputs/results`);
    expect(Object.keys(results.body.output.output_value).sort()).toEqual(['a', 'b', 'c']);
    const events = await api('GET', `${endpoint}/stacks/agents/${stackId}/events?nested_depth=2`);
    const reasons = (events.body.events as { resource_status_reason: string }[]).map(
      (e) => e.resource_status_reason,
    );
    expect(reasons.some((r) => r.includes('progress: step 1'))).toBe(true);
    // The progress line showed in --follow while the script still ran (it sleeps 2 s after it).
    expect(follow.firstSeen('progress: step 1'), follow.output()).toBeDefined();
    expect(await follow.statusWhenSeen('progress: step 1')).toBe('CREATE_IN_PROGRESS');
    expect(await follow.exitCode).toBe(0);
    expect(follow.output()).toMatch(/CREATE_COMPLETE/);
    for (const h of templHosts) await killAgent(h, 'SIGTERM');
  });

  it('a failing script fails the stack with its exit code and stderr; an input update re-runs only that deployment', async (ctx) => {
    if (!(await hasSoftwareTypes())) return ctx.skip();
    const runs = mkdtempSync(join(tmpdir(), 'hearth-agent-runs-'));
    const counting = (name: string) => ({
      type: 'OS::Heat::SoftwareConfig',
      properties: {
        group: 'script',
        inputs: [{ name: 'value' }],
        config: `#!/bin/sh\necho "$value" >> ${join(runs, name)}\n`,
      },
    });
    const deployment = (config: string, value: string) => ({
      type: 'OS::Heat::SoftwareDeployment',
      properties: {
        config: { get_resource: config },
        server: { get_resource: 'server' },
        input_values: { value },
      },
    });
    const template = (first: string) => ({
      heat_template_version: '2018-08-31',
      resources: {
        server: { type: 'OS::Heat::DeployedServer' },
        one: counting('one'),
        two: counting('two'),
        deploy_one: deployment('one', first),
        deploy_two: deployment('two', 'fixed'),
      },
      outputs: { config: { value: { get_attr: ['server', 'os_collect_config'] } } },
    });
    const created = await api('POST', `${endpoint}/stacks`, {
      stack_name: 'reruns',
      template: template('1'),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const stackId = created.body.stack.id;
    let config: { hearth: { server_id: string } } | undefined;
    for (const deadline = Date.now() + 20_000; !config && Date.now() < deadline;) {
      const r = await api('GET', `${endpoint}/stacks/reruns/${stackId}/outputs/config`);
      config = r.body?.output?.output_value ?? undefined;
      if (!config) await new Promise((res) => setTimeout(res, 100));
    }
    const host = newHostFromConfig(config!);
    startAgent(host);
    expect((await waitForStack(endpoint, 'reruns', stackId, 30_000)).stack_status).toBe('CREATE_COMPLETE');
    const updated = await api('PATCH', `${endpoint}/stacks/reruns/${stackId}`, { template: template('2') });
    expect(updated.status, JSON.stringify(updated.body)).toBe(202);
    expect((await waitForStack(endpoint, 'reruns', stackId, 30_000)).stack_status).toBe('UPDATE_COMPLETE');
    expect(readFileSync(join(runs, 'one'), 'utf8')).toBe('1\n2\n');
    expect(readFileSync(join(runs, 'two'), 'utf8')).toBe('fixed\n');

    const failing = await api('POST', `${endpoint}/stacks`, {
      stack_name: 'failing',
      template: {
        heat_template_version: '2018-08-31',
        resources: {
          server: { type: 'OS::Heat::DeployedServer' },
          bad: {
            type: 'OS::Heat::SoftwareConfig',
            properties: { group: 'script', config: '#!/bin/sh\necho "disk is full" >&2\nexit 4\n' },
          },
          deploy: {
            type: 'OS::Heat::SoftwareDeployment',
            properties: { config: { get_resource: 'bad' }, server: { get_resource: 'server' } },
          },
        },
        outputs: { config: { value: { get_attr: ['server', 'os_collect_config'] } } },
      },
    });
    expect(failing.status, JSON.stringify(failing.body)).toBe(201);
    const failingId = failing.body.stack.id;
    let failingConfig: { hearth: { server_id: string } } | undefined;
    for (const deadline = Date.now() + 20_000; !failingConfig && Date.now() < deadline;) {
      const r = await api('GET', `${endpoint}/stacks/failing/${failingId}/outputs/config`);
      failingConfig = r.body?.output?.output_value ?? undefined;
      if (!failingConfig) await new Promise((res) => setTimeout(res, 100));
    }
    const failingHost = newHostFromConfig(failingConfig!);
    startAgent(failingHost);
    const stack = await waitForStack(endpoint, 'failing', failingId, 30_000);
    expect(stack.stack_status).toBe('CREATE_FAILED');
    expect(stack.stack_status_reason).toContain('non-zero status code: 4');
    expect(stack.stack_status_reason).toContain('disk is full');
    await killAgent(host, 'SIGTERM');
    await killAgent(failingHost, 'SIGTERM');
  });
});
