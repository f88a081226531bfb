/**
 * Test support for authorization: the real API over a real engine and SQLite store, where each request names its
 * caller in an `x-test-caller` header (JSON of a {@link Caller}, or `none`) that replaces whatever the auth hook
 * established. Only tests use it: production callers come from the auth hook alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../engine/engine.js';
import { SoftwareService } from '../../engine/software/service.js';
import type { Caller, RoleName } from '../../identity/caller.js';
import { IdentityService } from '../../identity/service.js';
import { builtinPluginSource } from '../../server/plugins.js';
import { SqlAuditLog } from '../../store/audit-store.js';
import { SqlIdentityStore } from '../../store/identity-store.js';
import { SqlSoftwareStore } from '../../store/software-store.js';
import type { SqlStore } from '../../store/sql-store.js';
import { openSqliteStore } from '../../store/sqlite.js';
import type { AuditLog } from '../audit.js';
import { buildApi } from '../app.js';

/** A caller with a token scoped to `projectId` holding `role` (and the roles it implies). */
export function tokenCaller(projectId: string, role: RoleName, userName = `${role}-of-${projectId}`): Caller {
  const roles: RoleName[] =
    role === 'admin' ? ['admin', 'member', 'reader'] : role === 'member' ? ['member', 'reader'] : ['reader'];
  return { userId: `id-${userName}`, userName, projectId, projectName: projectId, roles, method: 'token' };
}

/** A resource signal token's caller: it may signal exactly one resource. */
export function signalCaller(projectId: string, stackId: string, resourceName: string): Caller {
  return {
    userId: `signal-${stackId}-${resourceName}`,
    userName: `signal-${resourceName}`,
    projectId,
    projectName: projectId,
    roles: [],
    method: 'signal',
    signalScope: { stackId, resourceName },
  };
}

/** Headers naming the caller of one request (`null`: no caller at all). */
export function as(caller: Caller | null): Record<string, string> {
  return { 'x-test-caller': caller === null ? 'none' : JSON.stringify(caller) };
}

/** The API under test with its engine, store and audit log. */
export interface PolicyHarness {
  app: FastifyInstance;
  engine: Engine;
  store: SqlStore;
  audit: AuditLog;
  close(): Promise<void>;
}

/**
 * Builds the real API (real engine, identity and software services, SQLite in a temporary directory) with the
 * `x-test-caller` override; `/v1` runs under noauth (the override decides the caller), `/v3` is the real one.
 */
export async function policyHarness(options: { audit?: AuditLog } = {}): Promise<PolicyHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-policy-'));
  const store = await openSqliteStore(join(dir, 'hearth.db'));
  const engine = new Engine(store, builtinPluginSource());
  await engine.start();
  const audit = options.audit ?? new SqlAuditLog(store.db);
  const app = buildApi(engine, {
    insecureNoauth: true,
    audit,
    identity: new IdentityService(new SqlIdentityStore(store.db)),
    software: new SoftwareService(new SqlSoftwareStore(store.db), { limits: {} }),
  });
  app.addHook('onRequest', async (req) => {
    const header = req.headers['x-test-caller'];
    if (typeof header !== 'string') return;
    if (header === 'none') delete req.caller;
    else req.caller = JSON.parse(header) as Caller;
  });
  return {
    app,
    engine,
    store,
    audit,
    async close() {
      await app.close();
      await engine.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
