/**
 * Test harness of the software configuration types: the real engine over a real SQLite file with the software
 * runtime attached, and the real API (`app.inject`) — what `hearth server` wires, minus the listening socket.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../api/app.js';
import { Engine } from '../../engine/engine.js';
import { builtinPluginSource } from '../../server/plugins.js';
import { softwareRuntime, type SoftwareRuntime } from '../../server/software.js';
import type { SqlStore } from '../../store/sql-store.js';
import { openSqliteStore } from '../../store/sqlite.js';

/** A running harness. */
export interface SoftwareHarness {
  readonly store: SqlStore;
  readonly engine: Engine;
  readonly software: SoftwareRuntime;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the engine with the software runtime on a fresh SQLite file, and the noauth API over it. */
export async function startSoftwareHarness(): Promise<SoftwareHarness> {
  const store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'hearth-sw-')), 'db.sqlite'));
  const secret = randomBytes(32);
  const software = softwareRuntime(store.db, secret, { publicUrl: 'http://hearth.test:8004' });
  const engine = new Engine(store, builtinPluginSource({ software: software.deployer }), {
    signalSecret: secret,
  });
  software.attach(engine);
  await engine.start();
  const app = buildApi(engine, {
    insecureNoauth: true,
    software: software.service,
    deployer: software.deployer,
  });
  return {
    store,
    engine,
    software,
    app,
    async close() {
      await app.close();
      await engine.close();
      await store.close();
    },
  };
}
