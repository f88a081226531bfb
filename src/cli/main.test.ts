import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../api/app.js';
import { fakeEngine, type FakeEngine } from '../api/testing/fake-engine.js';
import { HeatError } from '../template/errors.js';
import { resolveEndpoint } from './client.js';
import { errorLines } from './io.js';
import { ApiError } from './client.js';
import { main } from './main.js';
import { formatEventLine } from './wait.js';

let engine: FakeEngine;
let app: FastifyInstance;
let endpoint: string;
let out: string[];
let err: string[];

const io = () => ({ out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {} });
const run = (...args: string[]) => main(['node', 'hearth', '--endpoint', endpoint, ...args], io());

beforeAll(async () => {
  engine = fakeEngine();
  app = buildApi(engine, { insecureNoauth: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/admin`;
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  out = [];
  err = [];
  process.exitCode = 0;
});

describe('hearth CLI over the real HTTP API', () => {
  it('creates a stack, uploading files, parameters, tags and options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hearth-cli-'));
    await writeFile(
      join(dir, 't.yaml'),
      'heat_template_version: 2018-08-31\nresources:\n  a: {type: x.yaml}\n',
    );
    await writeFile(join(dir, 'x.yaml'), 'heat_template_version: 2018-08-31\n');
    await writeFile(join(dir, 'key.pub'), 'ssh-rsa AAA');
    await run(
      'stack',
      'create',
      'cli1',
      '-t',
      join(dir, 't.yaml'),
      '--parameter',
      'a=1',
      '--parameter',
      'b=x=y',
      '--parameter-file',
      `key=${join(dir, 'key.pub')}`,
      '--timeout',
      '7',
      '--tags',
      'p,q',
      '--wait',
      '-f',
      'json',
    );
    // With -f json, progress goes to stderr and stdout is exactly the data.
    expect(err.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    expect(process.exitCode).toBe(0);
    expect(engine.calls.created.at(-1)).toMatchObject({
      stackName: 'cli1',
      files: { 'x.yaml': 'heat_template_version: 2018-08-31\n' },
      parameters: { a: '1', b: 'x=y', key: 'ssh-rsa AAA' },
      timeoutMins: 7,
      tags: ['p', 'q'],
      disableRollback: true,
    });
    expect(err.some((l) => /\[cli1\.a\]: CREATE_COMPLETE {2}state changed$/.test(l))).toBe(true);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ stack_name: 'cli1', stack_status: 'CREATE_COMPLETE' });
  });

  it('lists stacks and shows outputs in the asked format', async () => {
    await run('stack', 'list', '-f', 'value');
    expect(out.join('\n')).toMatch(/ cli1 CREATE_COMPLETE /);
    out = [];
    await run('stack', 'output', 'show', 'cli1', 'out', '-f', 'json');
    expect(JSON.parse(out.join('\n'))).toMatchObject({ output_key: 'out', output_value: 42 });
  });

  it('prints the Heat message and each located problem, exiting 1', async () => {
    engine.failNext(
      'validateTemplate',
      new HeatError('InvalidTemplateReference', 'bad ref', {
        path: ['resources', 'v'],
        position: { file: 'template.yaml', line: 4, column: 7 },
      }),
    );
    const dir = await mkdtemp(join(tmpdir(), 'hearth-cli-'));
    await writeFile(join(dir, 't.yaml'), 'heat_template_version: 2018-08-31\n');
    await run('template', 'validate', '-t', join(dir, 't.yaml'));
    expect(process.exitCode).toBe(1);
    expect(err).toEqual([
      'ERROR: bad ref (HTTP 400 InvalidTemplateReference)',
      '  template.yaml:4:7: bad ref',
    ]);
  });

  it('answers unknown stacks and usage errors with non-zero exits', async () => {
    await run('stack', 'show', 'missing');
    expect(process.exitCode).toBe(1);
    expect(err[0]).toContain('The Stack (missing) could not be found.');
    process.exitCode = 0;
    await run('stack', 'create', 'x');
    expect(process.exitCode).toBe(2);
    expect(err.join('\n')).toMatch(/--template/);
  });

  it('deletes with --yes --wait', async () => {
    await run('stack', 'delete', 'cli1', '--yes', '--wait');
    expect(err).toEqual([]);
    expect(engine.calls.deleted).toHaveLength(1);
  });
});

describe('CLI helpers', () => {
  it('resolves the endpoint from the option, the environment, or the project', () => {
    expect(resolveEndpoint({ endpoint: 'http://x/v1/p/' }, {})).toBe('http://x/v1/p');
    expect(resolveEndpoint({}, { HEARTH_ENDPOINT: 'http://e/v1/q' })).toBe('http://e/v1/q');
    expect(resolveEndpoint({ project: 'demo' }, {})).toBe('http://127.0.0.1:8004/v1/demo');
  });

  it('formats events like openstack stack event list', () => {
    const e = {
      id: '1',
      event_time: '2026-11-25T16:18:22Z',
      resource_status: 'CREATE_COMPLETE',
      resource_status_reason: 'state changed',
    };
    expect(formatEventLine('s2', { ...e, resource_name: 'rnd' })).toBe(
      '2026-11-25 16:18:22Z [s2.rnd]: CREATE_COMPLETE  state changed',
    );
    expect(formatEventLine('s2', { ...e, resource_name: 's2' })).toBe(
      '2026-11-25 16:18:22Z [s2]: CREATE_COMPLETE  state changed',
    );
  });

  it('prints problems with positions or paths and hints', () => {
    const lines = errorLines(
      new ApiError(400, 'StackValidationFailed', 'first', [
        { message: 'first', file: 't.yaml', line: 1, column: 2 },
        { message: 'second', path: 'resources.r', hint: 'did you mean "get_param"?' },
      ]),
    );
    expect(lines).toEqual([
      'ERROR: first (HTTP 400 StackValidationFailed)',
      '  t.yaml:1:2: first',
      '  resources.r: second (did you mean "get_param"?)',
    ]);
  });
});
