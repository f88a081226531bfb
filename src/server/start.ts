/**
 * The composition root of `hearth server`: one process with the embedded SQLite store, the engine with the
 * built-in plugins, and the Heat v1 API.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApi } from '../api/app.js';
import { Engine } from '../engine/engine.js';
import type { EngineLimits } from '../engine/limits.js';
import type { SoftwareLimits } from '../engine/software/service.js';
import { builtinPluginSource } from './plugins.js';
import { softwareRuntime } from './software.js';
import { containerServerRuntime, type ContainerServerOptions } from './container-servers.js';
import { SqlAuditLog } from '../store/audit-store.js';
import { createStore } from '../store/index.js';
import { openStoreWhenReachable } from '../store/unavailable.js';
import { HearthMetrics } from '../api/metrics.js';
import { registerHealthRoutes } from '../api/health.js';
import { registerComponents } from '../api/schemas/components.js';
import { TASK_PROTOCOL } from '../engine/tasks.js';
import { PROCESS_DEPLOYMENT_CHANGES } from '../engine/software/deployment-changes.js';
import type { TaskWorker } from '../engine/worker.js';
import { patientStore } from '../store/patient-store.js';
import { ProcessRegistry, type ProcessRole } from '../store/process-registry.js';
import { loadOrCreateSharedSecret } from '../store/shared-secret.js';
import type { SqlStore } from '../store/sql-store.js';
import { SqlTaskQueue } from '../store/task-store.js';
import { SqlResourceTaskQueue } from '../store/resource-task-store.js';
import { HEARTH_VERSION } from './version.js';
import Fastify from 'fastify';
import { pino } from 'pino';
import { IdentityService } from '../identity/service.js';
import { SqlIdentityStore } from '../store/identity-store.js';
import { checkNotifyOptions, OutboxPublisher, type NotifyOptions } from '../notify/index.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** `HOST:PORT` (port 0 = any free port). */
  listen: string;
  /** Directory of the SQLite database (unless `db` names another) and of the server secret. */
  dataDir: string;
  /** Store URL (`sqlite:PATH`, `postgres://…`, `mysql://…`); default: SQLite in `dataDir`. */
  db?: string;
  /** Told while the database is unreachable at start (the server retries with backoff). */
  onDatabaseWait?: (message: string) => void;
  /** Trust the tenant in the URL (Heat's noauth flavour). */
  insecureNoauth: boolean;
  /** Heat's `enable_stack_abandon`: allow `DELETE …/abandon`. */
  enableAbandon?: boolean;
  /** Heat's `enable_stack_adopt`: allow `POST /stacks` with `adopt_stack_data`. */
  enableAdopt?: boolean;
  /** Log requests and engine events (pino, JSON on stdout); `{ level }` picks the level (default info). */
  log?: boolean | { level: string };
  limits?: Partial<EngineLimits>;
  /** Software configs/deployments per project (Heat's defaults: 4096 each; -1 unlimited). */
  softwareLimits?: Partial<SoftwareLimits>;
  /** Largest accepted request body (Heat's `max_json_body_size`); default 1 MiB. */
  maxBodyBytes?: number;
  /** Audit records kept per project (the newest); default 10000. */
  auditRetention?: number;
  /**
   * Compare every update with its preview and append the results to `<dataDir>/preview-checks.jsonl` (tests).
   * Default: the HEARTH_VERIFY_PREVIEWS environment variable (`1`).
   */
  verifyPreviews?: boolean;
  /** Base URL clients reach the API at (signal URLs, service catalog); default: the listen address. */
  publicUrl?: string;
  /** On first start, create project `admin` and user `admin` (role admin) with this password. */
  bootstrapAdminPassword?: string;
  /** Token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Run OS::Nova::Server (and DockerInc::Docker::Container) as Docker containers (docs/servers.md). */
  containerServers?: ContainerServerOptions;
  /**
   * `server` (default): API and engine in one process. `api`: the API only, actions become tasks for engines.
   * `engine`: claims and runs tasks, serving only `/healthz`, `/readyz` and `/metrics` on `listen`.
   * See docs/scale-out.md.
   */
  role?: ProcessRole;
  /** Engine role: lease length (ms) and poll period (ms) of the task worker; most stacks run at once. */
  worker?: { leaseMs?: number; pollMs?: number; capacity?: number };
  /**
   * Engine role: run the provider calls of distributable resources as resource tasks any engine claims (default
   * true); false keeps every call of a stack's action in the engine running it.
   */
  distributeResources?: boolean;
  /** How long a call waits for an unreachable database before failing (ms); default 5 s (engine: 120 s). */
  databasePatienceMs?: number;
  /** Told about the engine worker's problems (lost leases, database away) and role events. */
  onLog?: (message: string) => void;
  /**
   * Publish stack and resource events to this AMQP exchange (`--notify-url`, `--notify-exchange`): the store writes
   * each event's notification to its outbox in the event's transaction; this process publishes the outbox.
   */
  notify?: NotifyOptions;
}

/** Reads the server secret of a data directory, creating it (mode 0600) on first start. */
function loadOrCreateSecret(path: string): Buffer {
  if (existsSync(path)) return readFileSync(path);
  const secret = randomBytes(32);
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8004`. */
  url: string;
  engine: Engine;
  /** The registered process (id, role, version). */
  process: ProcessRegistry['self'];
  /** Engine role: the task worker. */
  worker?: TaskWorker;
  close(): Promise<void>;
}

/** Parses `HOST:PORT`. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen must be HOST:PORT, got "${listen}"`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`--listen port must be 0-65535, got ${port}`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port };
}

/** Starts the embedded server: store, engine (resuming unfinished work), API. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  options = {
    ...options,
    verifyPreviews: options.verifyPreviews ?? process.env['HEARTH_VERIFY_PREVIEWS'] === '1',
  };
  const { host, port } = parseListen(options.listen);
  const role = options.role ?? 'server';
  if (options.notify) checkNotifyOptions(options.notify);
  mkdirSync(options.dataDir, { recursive: true });
  const openStore = (url: string) => createStore(url, { outbox: options.notify !== undefined });
  const rawStore = await openStoreWhenReachable(options.db ?? join(options.dataDir, 'hearth.db'), openStore, {
    onRetry: (_attempt, _delay, message) => options.onDatabaseWait?.(message),
  });
  const registry = new ProcessRegistry(rawStore.db, role, HEARTH_VERSION, TASK_PROTOCOL);
  try {
    await registry.register();
  } catch (e) {
    await rawStore.close();
    throw e;
  }
  try {
    return await startRegistered(options, { host, port, role }, rawStore, registry);
  } catch (e) {
    // A failed start leaves nothing open (the process can then exit with its error).
    await registry.deregister();
    await rawStore.close().catch(() => undefined);
    throw e;
  }
}

/** The rest of {@link startServer}, once the store is open and the process registered. */
async function startRegistered(
  options: ServerOptions,
  at: { host: string; port: number; role: ProcessRole },
  rawStore: SqlStore,
  registry: ProcessRegistry,
): Promise<RunningServer> {
  const { host, port, role } = at;
  const logger = options.log
    ? pino({
        level: options.log === true ? 'info' : options.log.level,
        base: { role, process_id: registry.self.id },
      })
    : null;
  const log = (message: string, fields: Record<string, unknown> = {}): void => {
    logger?.warn(fields, message);
    options.onLog?.(message);
  };
  // An engine's store calls stop waiting once its worker is fenced (leases possibly lost: no late writes).
  let fenced = (): boolean => false;
  const store = patientStore(rawStore, {
    giveUp: () => fenced(),
    maxWaitMs: options.databasePatienceMs ?? (role === 'engine' ? 120_000 : 5_000),
    onOutage: (event, error) =>
      log(
        event === 'waiting'
          ? `database unreachable (${error instanceof Error ? error.message : String(error)}); waiting`
          : 'database reachable again',
      ),
  });
  const metrics = new HearthMetrics(rawStore);
  const publisher = options.notify
    ? new OutboxPublisher(rawStore, { ...options.notify, log: (message) => log(message) })
    : undefined;
  if (publisher) {
    publisher.start();
    metrics.watchOutbox(publisher);
  }
  // Split roles share the signing secret through the database; the embedded server keeps it in its data dir.
  const secret =
    role === 'server'
      ? loadOrCreateSecret(join(options.dataDir, 'signal.key'))
      : await loadOrCreateSharedSecret(rawStore.db);
  const tasks = role === 'server' ? undefined : new SqlTaskQueue(rawStore.db);
  // Deployments change in other processes too: hosts' long-polls re-read the database every second.
  if (role !== 'server') PROCESS_DEPLOYMENT_CHANGES.crossProcessSliceMs = 1000;
  const software = softwareRuntime(store.db, secret, {
    ...(options.softwareLimits ? { limits: options.softwareLimits } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  const containers = options.containerServers
    ? containerServerRuntime({ log, ...options.containerServers }, software.deployer)
    : undefined;
  const engine = new Engine(
    store,
    builtinPluginSource({
      software: software.deployer,
      ...(containers ? { containerPlugins: containers.plugins } : {}),
    }),
    {
      limits: options.limits,
      signalSecret: secret,
      role: role === 'server' ? 'embedded' : role,
      ...(tasks ? { tasks } : {}),
    },
  );
  software.attach(engine);
  if (options.verifyPreviews) {
    const file = join(options.dataDir, 'preview-checks.jsonl');
    engine.verifyPreviews((r) => appendFileSync(file, `${JSON.stringify(r)}\n`));
  }
  // Signal URLs (wait condition handles, deployments) need the public URL before resumed work builds any:
  // known now unless the port is chosen at listen time (port 0), then the engine starts after listening.
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const setSignalBase = (listenUrl: string): void => {
    engine.signals.setPublicUrl(options.publicUrl ?? listenUrl);
    software.setPublicUrl(options.publicUrl ?? listenUrl);
  };
  if (role === 'engine') {
    // Engines build signal URLs for agents and wait conditions: they name the API (its load balancer).
    setSignalBase(options.publicUrl ?? 'http://127.0.0.1:8004');
    return startEngineRole(
      options,
      { host, shownHost, port },
      {
        engine,
        rawStore,
        registry,
        metrics,
        tasks: tasks!,
        log,
        publisher,
        setFence: (check) => (fenced = check),
      },
    );
  }
  if (port !== 0) {
    setSignalBase(`http://${shownHost}:${port}`);
    await engine.start();
  }
  if (tasks) metrics.watchTasks(() => tasks.stats());
  const identity = new IdentityService(new SqlIdentityStore(store.db), {
    ...(options.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}),
  });
  if (options.bootstrapAdminPassword) await identity.bootstrap(options.bootstrapAdminPassword);
  let publicUrl = options.publicUrl?.replace(/\/+$/, '');
  const app = buildApi(engine, {
    identity,
    signals: engine.signals,
    publicUrl: () => publicUrl,
    insecureNoauth: options.insecureNoauth,
    logger: options.log ?? false,
    enableAbandon: options.enableAbandon ?? false,
    enableAdopt: options.enableAdopt ?? false,
    services: async () => {
      const now = Date.now();
      return (await registry.live())
        .filter((p) => p.role !== 'api')
        .map((p) => ({ ...p, up: now - p.heartbeatAt < 15_000 }));
    },
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    audit: new SqlAuditLog(store.db, {
      ...(options.auditRetention !== undefined ? { retention: options.auditRetention } : {}),
    }),
    software: software.service,
    deployer: software.deployer,
    ...(containers ? { serverPods: containers.pods } : {}),
    health: { store, metrics },
  });
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const listenUrl = `http://${shownHost}:${actualPort}`;
  if (port === 0) {
    setSignalBase(listenUrl);
    await engine.start();
  }
  // The catalog names the listen address, unless it is a wildcard: then each client's own view of the host.
  if (host !== '0.0.0.0' && host !== '::') publicUrl ??= listenUrl;
  let closed = false;
  return {
    url: `http://${shownHost}:${actualPort}`,
    engine,
    process: registry.self,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      containers?.close();
      await engine.close();
      await publisher?.close();
      await registry.deregister();
      await rawStore.close();
    },
  };
}

/**
 * The engine role: the task worker, and an HTTP listener for `/healthz`, `/readyz` and `/metrics` only
 * (no tenant API: clients talk to `hearth api` processes).
 */
async function startEngineRole(
  options: ServerOptions,
  at: { host: string; shownHost: string; port: number },
  parts: {
    engine: Engine;
    rawStore: SqlStore;
    registry: ProcessRegistry;
    metrics: HearthMetrics;
    tasks: SqlTaskQueue;
    log: (message: string, fields?: Record<string, unknown>) => void;
    /** Makes the store's waiting calls give up while `check` says the worker is fenced. */
    setFence: (check: () => boolean) => void;
    publisher?: OutboxPublisher | undefined;
  },
): Promise<RunningServer> {
  const { engine, rawStore, registry, metrics, tasks, log, publisher } = parts;
  const app = Fastify({ logger: options.log ?? false });
  registerComponents(app);
  registerHealthRoutes(app, { store: rawStore, metrics });
  await app.listen({ host: at.host, port: at.port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : at.port;
  // Engines sharing the database (refreshed every second): each claims its share of a burst of provider calls.
  let peers = 1;
  const countPeers = async (): Promise<void> => {
    try {
      peers = Math.max(1, (await registry.live()).filter((p) => p.role === 'engine').length);
    } catch {
      // keep the last count while the database is away
    }
  };
  await countPeers();
  const peerTimer = setInterval(() => void countPeers(), 1_000);
  peerTimer.unref();
  const worker = engine.startWorker({
    engineId: registry.self.id,
    peers: () => peers,
    ...(options.distributeResources === false
      ? {}
      : { resourceTasks: new SqlResourceTaskQueue(rawStore.db) }),
    ...options.worker,
    onError: (message, error, stackId) =>
      log(
        error ? `${message}: ${error instanceof Error ? error.message : String(error)}` : message,
        stackId ? { stack_id: stackId } : {},
      ),
  });
  parts.setFence(() => worker.fenced);
  metrics.watchTasks(() => tasks.stats(), worker);
  let closed = false;
  return {
    url: `http://${at.shownHost}:${actualPort}`,
    engine,
    process: registry.self,
    worker,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(peerTimer);
      await worker.stop();
      await app.close();
      await engine.close();
      await publisher?.close();
      await registry.deregister();
      await rawStore.close();
    },
  };
}
