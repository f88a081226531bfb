import { formatParamUrl } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from './app.js';
import { OPENAPI_URL, hearthVersion, registeredRoutes } from './openapi.js';
import { ACTION_NAMES } from './schemas/actions.js';
import { documentProblems } from './schemas/document-check.js';
import { STACK_ACTIONS } from './routes/actions.js';
import { fakeEngine } from './testing/fake-engine.js';

type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string }[];
  requestBody?: { required: boolean };
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  tags: { name: string }[];
  components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
};

let app: FastifyInstance;
let doc: Doc;

beforeAll(async () => {
  app = buildApi(fakeEngine(), { insecureNoauth: true, enableAbandon: true, enableAdopt: true });
  const res = await app.inject({ url: OPENAPI_URL });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.json();
});
afterAll(async () => {
  await app.close();
});

/** Every operation of the document as `METHOD /path`. */
function operations(): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation],
    ),
  );
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with no structural problem (ids, responses, path parameters, $refs)', () => {
    expect(documentProblems(doc)).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Hearth', version: hearthVersion() });
    expect(hearthVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('documents every registered route, each with the schema Fastify validates it with', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const r of registeredRoutes(app)) {
      if (r.config?.methodFallback) continue;
      for (const method of [r.method].flat()) {
        if (method === 'HEAD') continue;
        const where = `${method} ${r.url}`;
        const id = r.schema?.operationId;
        if (!id) {
          missing.push(`${where}: no schema with an operationId`);
          continue;
        }
        const op = doc.paths[formatParamUrl(r.url)]?.[method.toLowerCase()];
        if (op?.operationId !== id) missing.push(`${where}: not in the document as ${id}`);
        checked++;
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBe(operations().length);
    expect(checked).toBeGreaterThanOrEqual(85);
  });

  it('leaves the OPTIONS and 405 answers out, and they still work', async () => {
    expect(operations().filter(([k]) => k.startsWith('OPTIONS'))).toEqual([]);
    const options = await app.inject({ method: 'OPTIONS', url: '/v1/admin/validate' });
    expect(options.statusCode).toBe(204);
    expect(options.headers.allow).toBe('POST, OPTIONS');
    const notAllowed = await app.inject({ method: 'GET', url: OPENAPI_URL.replace('.json', '.json?x=1') });
    expect(notAllowed.statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: OPENAPI_URL })).statusCode).toBe(405);
  });

  it('requires the X-Auth-Token of every /v1 and /v3 operation, except the public documents', () => {
    expect(doc.components.securitySchemes.authToken).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' }),
    );
    const publicOps = operations()
      .filter(([, op]) => op.security === undefined)
      .map(([k]) => k);
    for (const [key, op] of operations()) {
      if (/^\w+ \/v1\/\{tenant\}\//.test(key)) expect(op.security, key).toEqual([{ authToken: [] }]);
    }
    expect(publicOps).toEqual(
      expect.arrayContaining(['GET /', 'GET /versions', 'GET /v1', 'GET /v1/', `GET ${OPENAPI_URL}`]),
    );
    expect(publicOps.filter((k) => k.includes('{tenant}'))).toEqual([]);
  });

  it('lists a tag for every route family used, and only those', () => {
    const used = new Set(operations().flatMap(([, op]) => (op as { tags?: string[] }).tags ?? []));
    expect(new Set(doc.tags.map((t) => t.name))).toEqual(used);
    for (const family of ['stacks', 'resources', 'events', 'snapshots', 'discovery', 'meta']) {
      expect(used.has(family), family).toBe(true);
    }
  });

  it('marks a request body optional exactly when Heat accepts none', () => {
    const body = (key: string) => operations().find(([k]) => k === key)?.[1].requestBody;
    const stack = '/v1/{tenant}/stacks/{stackName}/{stackId}';
    expect(body('POST /v1/{tenant}/stacks')?.required).toBe(true);
    expect(body(`PUT ${stack}`)?.required).toBe(true);
    expect(body(`PATCH ${stack}`)?.required).toBe(false);
    expect(body(`POST ${stack}/snapshots`)?.required).toBe(false);
    expect(body(`POST ${stack}/resources/{resourceName}/signal`)?.required).toBe(false);
  });

  it('documents the query parameters Heat reads, e.g. the stack list filters', () => {
    const list = doc.paths['/v1/{tenant}/stacks']!.get!;
    const names = (list.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'name',
        'status',
        'tags',
        'sort_keys',
        'sort_dir',
        'limit',
        'marker',
        'with_count',
      ]),
    );
  });

  it('names the same stack actions as the route', () => {
    expect(ACTION_NAMES).toEqual(STACK_ACTIONS);
  });
});
