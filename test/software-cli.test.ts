/**
 * `hearth software config|deployment …` against a real `hearth server` process: every verb, its default output
 * format (as `openstack software …`), its errors, and project isolation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../src/cli/main.js';
import { api, startHearth, type HearthProcess } from './helpers/hearth.js';

let server: HearthProcess;
let dir: string;
let out: string[];
let err: string[];

const SCRIPT = '#!/bin/sh\necho "hello $name"\n';

async function run(project: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  out = [];
  err = [];
  process.exitCode = 0;
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {} };
  await main(['node', 'hearth', '--endpoint', server.endpoint(project), ...args], io);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const hearth = (...args: string[]) => run('project-a', ...args);

beforeAll(async () => {
  server = await startHearth();
  dir = mkdtempSync(join(tmpdir(), 'hearth-software-cli-'));
  writeFileSync(join(dir, 'script.sh'), SCRIPT);
  writeFileSync(
    join(dir, 'definition.yaml'),
    [
      'inputs:',
      '  - name: name',
      '    default: world',
      '  - name: count',
      '    type: Number',
      '    default: "3"',
      'outputs:',
      '  - name: result',
      'options:',
      '  verbose: true',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'bad-definition.yaml'), '- just\n- a list\n');
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  process.exitCode = 0;
});

describe('hearth software config', () => {
  let configId: string;

  it('creates a config from a script and a definition file, printing JSON like openstack', async () => {
    const res = await hearth(
      'software',
      'config',
      'create',
      'greeter',
      '--config-file',
      join(dir, 'script.sh'),
      '--definition-file',
      join(dir, 'definition.yaml'),
      '--group',
      'script',
    );
    expect(res).toMatchObject({ code: 0, err: '' });
    const created = JSON.parse(res.out);
    expect(Object.keys(created)).toEqual([
      'id',
      'name',
      'group',
      'config',
      'inputs',
      'outputs',
      'options',
      'creation_time',
    ]);
    expect(created).toMatchObject({
      name: 'greeter',
      group: 'script',
      config: SCRIPT,
      inputs: [
        { name: 'name', type: 'String', default: 'world' },
        { name: 'count', type: 'Number', default: 3 },
      ],
      outputs: [{ name: 'result', type: 'String', error_output: false }],
      options: { verbose: true },
    });
    configId = created.id;
  });

  it('lists configs (table by default, -f json, --limit)', async () => {
    await hearth('software', 'config', 'create', 'second');
    const table = await hearth('software', 'config', 'list');
    expect(table.out.split('\n')[1]).toMatch(/^\| id +\| name +\| group +\| creation_time +\|$/);
    expect(table.out).toContain('greeter');
    const json = JSON.parse((await hearth('software', 'config', 'list', '-f', 'json')).out);
    expect(json.map((c: { name: string }) => c.name)).toEqual(['second', 'greeter']);
    expect(Object.keys(json[0])).toEqual(['id', 'name', 'group', 'creation_time']);
    const limited = JSON.parse(
      (await hearth('software', 'config', 'list', '--limit', '1', '-f', 'json')).out,
    );
    expect(limited.map((c: { name: string }) => c.name)).toEqual(['second']);
    const after = JSON.parse(
      (await hearth('software', 'config', 'list', '--marker', limited[0].id, '-f', 'json')).out,
    );
    expect(after.map((c: { name: string }) => c.name)).toEqual(['greeter']);
  });

  it('shows a config as YAML, or only its config text', async () => {
    const shown = parseYaml((await hearth('software', 'config', 'show', configId)).out);
    expect(shown).toMatchObject({ id: configId, name: 'greeter', config: SCRIPT });
    const only = await hearth('software', 'config', 'show', configId, '--config-only');
    expect(only.out).toBe(SCRIPT.trimEnd());
  });

  it('fails clearly: unknown config, bad definition file, missing file', async () => {
    expect(await hearth('software', 'config', 'show', 'nope')).toMatchObject({
      code: 1,
      err: 'ERROR: Configuration not found: nope',
    });
    const bad = await hearth(
      'software',
      'config',
      'create',
      'x',
      '--definition-file',
      join(dir, 'bad-definition.yaml'),
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('must be a map with "inputs", "outputs" and "options"');
    const missing = await hearth('software', 'config', 'create', 'x', '--config-file', join(dir, 'none.sh'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('--config-file: cannot read');
  });

  it("refuses bad inputs with the server's message and place", async () => {
    writeFileSync(join(dir, 'typo.yaml'), 'inputs:\n  - name: a\n    type: Strin\n');
    const res = await hearth(
      'software',
      'config',
      'create',
      'x',
      '--definition-file',
      join(dir, 'typo.yaml'),
    );
    expect(res.code).toBe(1);
    expect(res.err).toContain('Property error: type: "Strin" is not an allowed value');
    expect(res.err).toContain('(HTTP 400 ValueError)');
  });
});

describe('hearth software deployment', () => {
  let sourceId: string;
  let deploymentId: string;
  let derivedId: string;

  beforeAll(async () => {
    const res = await api('POST', `${server.endpoint('project-a')}/software_configs`, {
      name: 'source',
      group: 'script',
      config: SCRIPT,
      inputs: [{ name: 'name', default: 'world' }],
      outputs: [{ name: 'result' }],
    });
    sourceId = res.body.software_config.id;
  });

  it('creates a deployment with a derived config, printing sorted YAML', async () => {
    const res = await hearth(
      'software',
      'deployment',
      'create',
      'greet-srv',
      '--config',
      sourceId,
      '--server',
      'srv-1',
      '--input-value',
      'name=hearth',
      '--input-value',
      'extra=1',
      '--action',
      'CREATE',
    );
    expect(res).toMatchObject({ code: 0, err: '' });
    const created = parseYaml(res.out);
    expect(Object.keys(created)).toEqual([...Object.keys(created)].sort());
    expect(created).toMatchObject({
      server_id: 'srv-1',
      action: 'CREATE',
      status: 'IN_PROGRESS',
      status_reason: 'None',
      input_values: null,
    });
    deploymentId = created.id;
    derivedId = created.config_id;
    expect(derivedId).not.toBe(sourceId);
  });

  it("shows the server's metadata: the derived config with every input's value", async () => {
    const res = await hearth('software', 'deployment', 'metadata', 'show', 'srv-1');
    const metadata = JSON.parse(res.out);
    expect(metadata).toHaveLength(1);
    expect(metadata[0]).toMatchObject({
      id: derivedId,
      name: 'greet-srv',
      group: 'script',
      config: SCRIPT,
      outputs: [{ name: 'result', type: 'String', error_output: false }],
      options: {},
    });
    expect(metadata[0].inputs.map((i: { name: string; value: unknown }) => [i.name, i.value])).toEqual([
      ['name', 'hearth'],
      ['extra', '1'],
      ['deploy_server_id', 'srv-1'],
      ['deploy_action', 'CREATE'],
      ['deploy_signal_transport', 'NO_SIGNAL'],
    ]);
  });

  it('lists and shows deployments', async () => {
    const list = JSON.parse(
      (await hearth('software', 'deployment', 'list', '--server', 'srv-1', '-f', 'json')).out,
    );
    expect(list).toEqual([
      { id: deploymentId, config_id: derivedId, server_id: 'srv-1', action: 'CREATE', status: 'IN_PROGRESS' },
    ]);
    const long = JSON.parse((await hearth('software', 'deployment', 'list', '--long', '-f', 'json')).out);
    expect(Object.keys(long[0])).toEqual([
      'id',
      'config_id',
      'server_id',
      'action',
      'status',
      'creation_time',
      'status_reason',
    ]);
    expect(
      JSON.parse((await hearth('software', 'deployment', 'list', '--server', 'none', '-f', 'json')).out),
    ).toEqual([]);
    const table = await hearth('software', 'deployment', 'show', deploymentId);
    expect(table.out).toMatch(/\| Field +\| Value +\|/);
    expect(table.out).toMatch(/\| updated_time +\| None +\|/);
    const shown = JSON.parse(
      (await hearth('software', 'deployment', 'show', deploymentId, '--long', '-f', 'json')).out,
    );
    expect(Object.keys(shown)).toEqual([
      'id',
      'server_id',
      'config_id',
      'creation_time',
      'updated_time',
      'status',
      'status_reason',
      'input_values',
      'action',
      'output_values',
    ]);
  });

  it('shows outputs once the host has reported them (deploy_stdout trimmed to its last lines)', async () => {
    const stdout = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');
    const put = await api('PUT', `${server.endpoint('project-a')}/software_deployments/${deploymentId}`, {
      output_values: { result: 'ok', deploy_stdout: stdout, deploy_stderr: '', deploy_status_code: 0 },
      status: 'COMPLETE',
      status_reason: 'Outputs received',
    });
    expect(put.status).toBe(200);
    const one = await hearth('software', 'deployment', 'output', 'show', deploymentId, 'result');
    expect(one.out).toBe('output_value:\n\n  result: ok');
    const all = await hearth('software', 'deployment', 'output', 'show', deploymentId, '--all');
    expect(all.out).toBe(
      [
        'output_values:\n',
        '  result: ok',
        '  deploy_stdout: |',
        '    ...',
        ...Array.from({ length: 10 }, (_, i) => `    line ${i + 3}`),
        '    (truncated, view all with --long)',
        '  deploy_stderr: |',
        '',
        '  deploy_status_code: 0',
      ].join('\n'),
    );
    const long = await hearth('software', 'deployment', 'output', 'show', deploymentId, '--all', '--long');
    expect(long.out).toContain('    line 1\n    line 2\n');
  });

  it('fails clearly: no output named, unknown output, unknown deployment, unsupported transport', async () => {
    expect(await hearth('software', 'deployment', 'output', 'show', deploymentId)).toMatchObject({
      code: 2,
      err: 'ERROR: Error: either <output-name> or --all argument is needed.',
    });
    expect(await hearth('software', 'deployment', 'output', 'show', deploymentId, 'nope')).toMatchObject({
      code: 1,
      err: `ERROR: Output nope does not exist in deployment ${deploymentId}`,
    });
    expect(await hearth('software', 'deployment', 'show', 'nope')).toMatchObject({
      code: 1,
      err: 'ERROR: Software Deployment not found: nope',
    });
    const transport = await hearth(
      'software',
      'deployment',
      'create',
      'x',
      '--server',
      's',
      '--signal-transport',
      'TEMP_URL_SIGNAL',
    );
    expect(transport.code).toBe(2);
    expect(transport.err).toContain('TEMP_URL_SIGNAL needs a Swift TempURL');
    expect(
      await hearth('software', 'deployment', 'create', 'x', '--server', 's', '--config', 'nope'),
    ).toMatchObject({
      code: 1,
      err: 'ERROR: Software configuration not found: nope',
    });
  });

  it("keeps another project's deployments and configs out of sight", async () => {
    const other = (...args: string[]) => run('project-b', ...args);
    expect(JSON.parse((await other('software', 'deployment', 'list', '-f', 'json')).out)).toEqual([]);
    expect(JSON.parse((await other('software', 'config', 'list', '-f', 'json')).out)).toEqual([]);
    expect(JSON.parse((await other('software', 'deployment', 'metadata', 'show', 'srv-1')).out)).toEqual([]);
    expect((await other('software', 'deployment', 'delete', deploymentId)).code).toBe(1);
    expect((await other('software', 'config', 'delete', sourceId)).err).toBe(
      `Software config with ID ${sourceId} not found\nERROR: Unable to delete 1 of the 1 software configs.`,
    );
  });

  it('deletes deployments with their derived config, and configs, reporting failures', async () => {
    const referenced = await hearth('software', 'config', 'delete', derivedId);
    expect(referenced.code).toBe(1);
    expect(referenced.err).toContain('can not be deleted as it is referenced');
    expect(await hearth('software', 'deployment', 'delete', deploymentId, 'nope')).toMatchObject({
      code: 1,
      err: 'Deployment with ID nope not found\nERROR: Unable to delete 1 of the 2 deployments.',
    });
    expect((await api('GET', `${server.endpoint('project-a')}/software_configs/${derivedId}`)).status).toBe(
      404,
    );
    expect(await hearth('software', 'config', 'delete', sourceId, 'nope')).toMatchObject({
      code: 1,
      err: 'Software config with ID nope not found\nERROR: Unable to delete 1 of the 2 software configs.',
    });
    expect((await hearth('software', 'config', 'delete', sourceId)).code).toBe(1);
  });
});
