import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatParamUrl } from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDashboard } from './dashboard.js';
import { OPENAPI_URL, hearthVersion, installOpenApi, registeredRoutes } from './openapi.js';
import { ACTION_NAMES } from './schemas/actions.js';
import { documentProblems } from './schemas/document-check.js';
import { STACK_ACTIONS } from './routes/actions.js';
import { as, policyHarness, tokenCaller, type PolicyHarness } from './testing/callers.js';

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

let h: PolicyHarness;
let app: FastifyInstance;
let doc: Doc;

/** Every route registered on `api` (but OPTIONS and 405 answers) that has no operation in `document`. */
function undocumented(api: FastifyInstance, document: Doc): { missing: string[]; checked: number } {
  const missing: string[] = [];
  let checked = 0;
  for (const r of registeredRoutes(api)) {
    if (r.config?.methodFallback) continue;
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      const where = `${method} ${r.url}`;
      const id = r.schema?.operationId;
      if (!id) {
        missing.push(`${where}: no schema with an operationId`);
        continue;
      }
      const op = document.paths[formatParamUrl(r.url)]?.[method.toLowerCase()];
      if (op?.operationId !== id) missing.push(`${where}: not in the document as ${id}`);
      checked++;
    }
  }
  return { missing, checked };
}

beforeAll(async () => {
  // The whole API: Heat's routes, identity (/v3), software configs, audit, the dashboard stream.
  h = await policyHarness();
  app = h.app;
  const res = await app.inject({ url: OPENAPI_URL });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.json();
});
afterAll(async () => {
  await h?.close();
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
    const { missing, checked } = undocumented(app, doc);
    expect(missing).toEqual([]);
    expect(checked).toBe(operations().length);
    expect(checked).toBeGreaterThanOrEqual(120);
  });

  it("documents the routes plugins register too (the dashboard's static files)", async () => {
    const root = mkdtempSync(join(tmpdir(), 'hearth-openapi-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    const plain = Fastify();
    installOpenApi(plain);
    registerDashboard(plain, { root, insecureNoauth: true });
    try {
      const res = await plain.inject({ url: OPENAPI_URL });
      const dashboardDoc = res.json() as Doc;
      expect(documentProblems(dashboardDoc)).toEqual([]);
      expect(undocumented(plain, dashboardDoc).missing).toEqual([]);
      expect(dashboardDoc.paths['/dashboard/{*}']?.get?.operationId).toBe('getDashboardFile');
      expect((await plain.inject({ url: '/dashboard/' })).statusCode).toBe(200);
    } finally {
      await plain.close();
      rmSync(root, { recursive: true, force: true });
    }
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

  it('requires the X-Auth-Token of every /v1 and /v3 operation, except the public documents, sign-in and signed signal URLs', () => {
    expect(doc.components.securitySchemes.authToken).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' }),
    );
    const publicOps = operations()
      .filter(([, op]) => op.security === undefined)
      .map(([k]) => k);
    for (const [key, op] of operations()) {
      if (/^\w+ \/v1\/\{tenant\}\//.test(key)) expect(op.security, key).toEqual([{ authToken: [] }]);
    }
    expect(publicOps.filter((k) => /^\w+ \/(v1|v3)\/./.test(k)).sort()).toEqual([
      'POST /v3/auth/tokens',
      'PUT /v1/signal/deployments/{deploymentId}',
    ]);
    expect(publicOps).toEqual(
      expect.arrayContaining([
        'GET /',
        'GET /versions',
        'GET /v1',
        'GET /v1/',
        'GET /v3/',
        `GET ${OPENAPI_URL}`,
      ]),
    );
  });

  it('lists a tag for every route family used, and only those', () => {
    const used = new Set(operations().flatMap(([, op]) => (op as { tags?: string[] }).tags ?? []));
    expect(new Set(doc.tags.map((t) => t.name))).toEqual(used);
    for (const family of ['stacks', 'resources', 'events', 'identity', 'software-configs', 'audit', 'meta']) {
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

  it('answers a caller without the right with 401/403 before looking at a malformed body', async () => {
    const reader = tokenCaller('A', 'reader');
    const create = await app.inject({
      method: 'POST',
      url: '/v1/A/stacks',
      headers: as(reader),
      payload: [1],
    });
    expect(create.statusCode).toBe(403);
    const member = tokenCaller('A', 'member');
    const malformed = await app.inject({
      method: 'POST',
      url: '/v1/A/stacks',
      headers: as(member),
      payload: [1],
    });
    expect(malformed.statusCode).toBe(400);
    const anonymous = await app.inject({ method: 'POST', url: '/v3/projects', payload: { project: 5 } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error).toMatchObject({ code: 401 });
  });

  it("answers a malformed sign-in in Keystone's shape without echoing the password", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v3/auth/tokens',
      payload: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'u', password: 12345678 } } },
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json())).toEqual(['error']);
    expect(res.body).not.toContain('12345678');
  });
});
