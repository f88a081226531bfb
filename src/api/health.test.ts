import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { builtinPluginSource } from '../server/plugins.js';
import { startServer } from '../server/start.js';
import { temporaryDirectory } from '../store/fixtures.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../store/testing/databases.js';
import { buildApi } from './app.js';
import { HearthMetrics } from './metrics.js';

const TEMPLATE = {
  heat_template_version: '2021-04-16',
  resources: { a: { type: 'OS::Heat::None' }, b: { type: 'OS::Heat::None', depends_on: ['a'] } },
};

describe.each(TEST_DIALECTS)('health, readiness and metrics (%s)', (dialect) => {
  let opened: TestStore;
  let engine: Engine;
  let app: FastifyInstance;

  beforeEach(async () => {
    opened = await openTestStore(dialect);
    engine = new Engine(opened.store, builtinPluginSource());
    await engine.start();
    const metrics = new HearthMetrics(opened.store);
    app = buildApi(engine, { insecureNoauth: true, health: { store: opened.store, metrics } });
  });
  afterEach(async () => {
    await app.close();
    await engine.close();
    await opened.dispose().catch(() => undefined);
  });

  it('answers /healthz and /readyz without a token', async () => {
    const live = await app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', migrations: 'current' } });
  });

  it('answers /readyz 503 naming the migrations the database lacks', async () => {
    await opened.store.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', '0006_software_servers' as never)
      .execute();
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'unavailable',
      checks: { store: 'ok', migrations: 'pending' },
      pending_migrations: ['0006_software_servers'],
    });
  });

  it('answers /readyz 503 when the database is gone', async () => {
    await opened.store.close();
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'unavailable',
      checks: { store: 'unreachable', migrations: 'unknown' },
      reason: expect.stringMatching(/^The database does not answer: ./),
    });
  });

  it('exposes request and resource-action latency, stacks by status, event-loop lag and process metrics', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/p1/stacks',
      payload: { stack_name: 'metrics', template: TEMPLATE },
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { stack: { id: string } }).stack.id;
    await engine.settle(id);
    const scrape = await app.inject({ method: 'GET', url: '/metrics' });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = scrape.body;
    expect(text).toMatch(
      /hearth_http_request_duration_seconds_count\{method="POST",route="\/v1\/:tenant\/stacks",status="201"\} 1/,
    );
    expect(text).toMatch(
      /hearth_resource_action_duration_seconds_count\{type="OS::Heat::None",action="CREATE",status="COMPLETE"\} 2/,
    );
    expect(text).toMatch(/hearth_stacks\{status="COMPLETE"\} 1/);
    expect(text).toMatch(/hearth_nodejs_eventloop_lag_seconds \d/);
    expect(text).toMatch(/hearth_process_cpu_user_seconds_total \d/);
    expect(text).not.toContain(id);
  });
});

describe.each(TEST_DIALECTS)('hearth server --db (%s)', (dialect) => {
  it('serves /healthz, /readyz and /metrics over HTTP on the store of its URL', async () => {
    const opened = await openTestStore(dialect);
    await opened.store.close();
    const dir = temporaryDirectory();
    const server = await startServer({
      listen: '127.0.0.1:0',
      dataDir: dir.path,
      db: opened.database.url,
      insecureNoauth: true,
    });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/hearth_http_request_duration_seconds_count\{method="GET",route="\/readyz"/);
    } finally {
      await server.close();
      await opened.database.drop();
      dir.remove();
    }
  });
});
