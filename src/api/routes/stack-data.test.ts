/**
 * `GET …/environment` never shows a hidden parameter's value (through a real server: engine, SQLite, HTTP).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start.js';
import { hiddenParameterNames, maskHiddenParameters } from './stack-data.js';

const TEMPLATE = `heat_template_version: 2021-04-16
parameters:
  password: { type: string, hidden: true }
  token: { type: string, hidden: true, default: from-default }
  region: { type: string }
resources:
  none: { type: OS::Heat::None }
`;

describe('hidden parameters in the stored environment', () => {
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-env-'));
    server = await startServer({ listen: '127.0.0.1:0', dataDir: dir, insecureNoauth: true });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('are masked in parameters and parameter_defaults; other values stay', async () => {
    const base = `${server.url}/v1/p`;
    const created = await fetch(`${base}/stacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        stack_name: 'secret-env',
        template: TEMPLATE,
        parameters: { password: 's3cr3t-value', region: 'north' },
        environment: { parameter_defaults: { token: 'default-s3cr3t' } },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { stack } = (await created.json()) as { stack: { id: string } };
    const res = await fetch(`${base}/stacks/secret-env/${stack.id}/environment`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain('s3cr3t');
    const env = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(env.parameters).toMatchObject({ password: '******', region: 'north' });
    expect(env.parameter_defaults).toMatchObject({ token: '******' });
  });
});

describe('hiddenParameterNames / maskHiddenParameters', () => {
  it('reads hidden flags and leaves environments without hidden parameters as they are', () => {
    const names = hiddenParameterNames({
      parameters: { a: { hidden: true }, b: { hidden: true }, c: { hidden: false }, d: {} },
    });
    expect([...names].sort()).toEqual(['a', 'b']);
    expect(hiddenParameterNames({})).toEqual(new Set());
    const env = { parameters: { a: 1, c: 2 } };
    expect(maskHiddenParameters(env, new Set())).toBe(env);
    expect(maskHiddenParameters(env, names)).toEqual({ parameters: { a: '******', c: 2 } });
  });
});
