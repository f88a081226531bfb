/**
 * Real-client compatibility: Debian's `openstack` command (python3-openstackclient + python3-heatclient)
 * authenticates against Hearth's Keystone v3 subset with a password, finds the orchestration endpoint in the
 * catalog, and drives a whole stack lifecycle. Every command's output is parsed (`-f json`) and checked.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, freePort } from './helpers/hearth.js';

const OPENSTACK = '/usr/bin/openstack';
const PASSWORD = 'correct horse battery staple';

/** A `hearth server` with identity (no `--insecure-noauth`). */
interface Server {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [BIN, 'server', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HEARTH_BOOTSTRAP_ADMIN_PASSWORD: PASSWORD },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hearth server exited (${child.exitCode}):\n${out}`);
    try {
      if ((await fetch(`${url}/v3`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`hearth server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `openstack ARGS` with password credentials; resolves with exit code and output. */
function openstack(
  server: Server,
  home: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(OPENSTACK, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: home,
        LANG: 'C.UTF-8',
        OS_AUTH_URL: `${server.url}/v3`,
        OS_IDENTITY_API_VERSION: '3',
        OS_USERNAME: 'admin',
        OS_PASSWORD: PASSWORD,
        OS_PROJECT_NAME: 'admin',
        OS_USER_DOMAIN_NAME: 'Default',
        OS_PROJECT_DOMAIN_NAME: 'Default',
        OS_INTERFACE: 'public',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const TEMPLATE_V1 = `heat_template_version: 2021-04-16
description: openstack client test
parameters:
  length:
    type: number
    default: 8
    constraints:
      - range: {min: 4, max: 32}
resources:
  secret:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: length}
  marker:
    type: OS::Heat::Value
    properties:
      value: first
outputs:
  secret_length:
    description: how long the random string is
    value: {get_param: length}
  marker:
    value: {get_attr: [marker, value]}
`;

const TEMPLATE_V2 = TEMPLATE_V1.replace('value: first', 'value: second');

const FAILING = `heat_template_version: 2021-04-16
resources:
  broken:
    type: OS::Heat::TestResource
    properties:
      fail: true
`;

describe.skipIf(!existsSync(OPENSTACK))('the openstack client against hearth', () => {
  let server: Server;
  let dir: string;
  const os = (...args: string[]) => openstack(server, dir, args, dir);
  const json = async (...args: string[]): Promise<any> => {
    const r = await os(...args, '-f', 'json');
    if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} → ${r.code}\n${r.stderr}\n${r.stdout}`);
    // `--wait` makes the client print event lines before the document (as it does against Heat).
    const start = r.stdout.search(/^[[{]/m);
    return JSON.parse(start >= 0 ? r.stdout.slice(start) : r.stdout);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-osc-'));
    writeFileSync(join(dir, 'v1.yaml'), TEMPLATE_V1);
    writeFileSync(join(dir, 'v2.yaml'), TEMPLATE_V2);
    writeFileSync(join(dir, 'failing.yaml'), FAILING);
    server = await startServer(join(dir, 'data'));
  }, 30_000);
  afterAll(async () => server?.stop());

  it('issues a token with a password', async () => {
    const token = await json('token', 'issue');
    expect(token.id).toMatch(/^\S{20,}$/);
    expect(token.project_id).toMatch(/^[0-9a-f]{32}$/);
    expect(token.user_id).toMatch(/^[0-9a-f]{32}$/);
  }, 60_000);

  it('validates a template', async () => {
    const v = await json('orchestration', 'template', 'validate', '-t', 'v1.yaml');
    expect(v.Description).toBe('openstack client test');
    expect(v.Parameters.length).toMatchObject({ Type: 'Number', Default: 8 });
  }, 60_000);

  it('creates, lists, shows, updates and deletes a stack', async () => {
    const created = await json(
      'stack',
      'create',
      '--wait',
      '-t',
      'v1.yaml',
      '--parameter',
      'length=12',
      'osc-stack',
    );
    expect(created.stack_name).toBe('osc-stack');
    expect(created.stack_status).toBe('CREATE_COMPLETE');

    const list = await json('stack', 'list');
    expect(list.map((s: any) => s['Stack Name'])).toContain('osc-stack');
    expect(list.find((s: any) => s['Stack Name'] === 'osc-stack')['Stack Status']).toBe('CREATE_COMPLETE');

    const shown = await json('stack', 'show', 'osc-stack');
    expect(shown.id).toBe(created.id);
    expect(shown.parameters.length).toBe('12');

    const outputs = await json('stack', 'output', 'show', '--all', 'osc-stack');
    expect(JSON.parse(outputs.secret_length).output_value).toBe(12);
    expect(JSON.parse(outputs.marker).output_value).toBe('first');

    const resources = await json('stack', 'resource', 'list', 'osc-stack');
    expect(resources.map((r: any) => `${r.resource_name}:${r.resource_status}`).sort()).toEqual([
      'marker:CREATE_COMPLETE',
      'secret:CREATE_COMPLETE',
    ]);

    const events = await json('stack', 'event', 'list', 'osc-stack');
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(
      events.some((e: any) => e.resource_status === 'CREATE_COMPLETE' && e.resource_name === 'osc-stack'),
    ).toBe(true);

    const plan = await json('stack', 'update', '--dry-run', '-t', 'v2.yaml', '--existing', 'osc-stack');
    // The client prints each change kind as a JSON-encoded list of resources.
    const names = (kind: string) =>
      (JSON.parse(plan[kind]) as { resource_name: string }[]).map((r) => r.resource_name);
    expect(names('updated')).toEqual(['marker']);
    expect(names('unchanged')).toEqual(['secret']);
    expect([...names('added'), ...names('deleted'), ...names('replaced')]).toEqual([]);

    const updated = await json('stack', 'update', '--wait', '-t', 'v2.yaml', '--existing', 'osc-stack');
    expect(updated.stack_status).toBe('UPDATE_COMPLETE');
    const marker = await json('stack', 'output', 'show', 'osc-stack', 'marker');
    expect(marker.output_value).toBe('second');

    const del = await os('stack', 'delete', '--yes', '--wait', 'osc-stack');
    expect(del.code, del.stderr).toBe(0);
    const after = await json('stack', 'list');
    expect(after.map((s: any) => s['Stack Name'])).not.toContain('osc-stack');
  }, 180_000);

  it('lists the failures of a failed stack', async () => {
    const r = await os('stack', 'create', '--wait', '-t', 'failing.yaml', 'osc-failing');
    expect(r.code).not.toBe(0);
    const failures = await os('stack', 'failures', 'list', 'osc-failing');
    expect(failures.code, failures.stderr).toBe(0);
    expect(failures.stdout).toContain('osc-failing.broken');
    expect(failures.stdout).toContain('CREATE_FAILED');
    expect(failures.stdout).toContain('Test Resource failed');
  }, 120_000);

  it('refuses a wrong password with 401', async () => {
    const r = await openstack(server, dir, ['--os-password', 'wrong', 'stack', 'list'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/401|authentication/i);
  }, 60_000);
});
