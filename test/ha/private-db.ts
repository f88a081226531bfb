/**
 * Private database servers for the HA test: a PostgreSQL or MariaDB server of its own (data directory in a
 * temporary directory, a free port), so the test can stop and start it without touching the shared servers on
 * 5432 and 3306 that other test files use.
 *
 * PostgreSQL refuses to run as root: `initdb` and `postgres` run as the `postgres` user (`setpriv`, which execs,
 * so the child process is the server itself). MariaDB starts as root and switches to `mysql` (`--user=mysql`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { freePort } from '../helpers/hearth.js';

const run = promisify(execFile);

/** The dialects the HA test runs on. */
export type HaDialect = 'postgres' | 'mysql';

/** A private database server with one database (`hearth`) for the processes under test. */
export interface PrivateDatabase {
  readonly dialect: HaDialect;
  /** Store URL of the `hearth` database (`--db`). */
  readonly url: string;
  readonly port: number;
  /** Runs a query on the `hearth` database (`?` placeholders on both dialects); returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Stops the server cleanly (clients lose their connections), keeps it down `downMs`, and starts it again; returns
   * how long the stop took, and the start until it accepted connections (ms).
   */
  restart(downMs?: number): Promise<{ stopMs: number; startMs: number }>;
  /** The server's own log (start-up and shutdown messages). */
  log(): string;
  /** Stops the server and removes its files. */
  dispose(): Promise<void>;
}

/** Where the server binaries are, or why this machine cannot run the dialect. */
export function privateDatabaseSupport(dialect: HaDialect): { ok: true } | { ok: false; reason: string } {
  if (dialect === 'postgres') {
    return postgresBin() ? { ok: true } : { ok: false, reason: 'no /usr/lib/postgresql/*/bin/postgres' };
  }
  return existsSync('/usr/sbin/mariadbd') && existsSync('/usr/bin/mariadb-install-db')
    ? { ok: true }
    : { ok: false, reason: 'no /usr/sbin/mariadbd or /usr/bin/mariadb-install-db' };
}

/** Starts a private server of `dialect` with an empty `hearth` database. */
export async function startPrivateDatabase(dialect: HaDialect): Promise<PrivateDatabase> {
  return dialect === 'postgres' ? startPostgres() : startMariadb();
}

function postgresBin(): string | undefined {
  if (!existsSync('/usr/lib/postgresql')) return undefined;
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join('/usr/lib/postgresql', versions[0], 'bin') : undefined;
}

/** A server child process with its output kept. */
class ServerProcess {
  child: ChildProcess | undefined;
  output = '';

  constructor(
    readonly command: string,
    readonly args: string[],
  ) {}

  start(): void {
    const child = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child = child;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` and waits for the exit. */
  async stop(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Retries `attempt` until it resolves (the server accepts connections) or `timeoutMs` passes. */
async function untilReady(
  what: string,
  server: ServerProcess,
  attempt: () => Promise<void>,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (e) {
      if (!server.running) throw new Error(`${what} exited while starting:\n${server.output.slice(-3000)}`);
      if (Date.now() > deadline) {
        throw new Error(
          `${what} did not accept connections within ${timeoutMs} ms (${String(e)}):\n${server.output.slice(-3000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Starts the server and runs `prepare`; when either fails, the server is stopped and `dir` removed. */
async function startOrCleanUp(
  server: ServerProcess,
  dir: string,
  prepare: () => Promise<void>,
): Promise<void> {
  try {
    server.start();
    await prepare();
  } catch (e) {
    await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function startPostgres(): Promise<PrivateDatabase> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin');
  const dir = mkdtempSync(join(tmpdir(), 'hearth-ha-pg-'));
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  chownSync(dir, uid, gid);
  const asPostgres = ['--reuid', 'postgres', '--regid', 'postgres', '--init-groups'];
  await run('setpriv', [
    ...asPostgres,
    join(bin, 'initdb'),
    '-D',
    join(dir, 'data'),
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const server = new ServerProcess('setpriv', [
    ...asPostgres,
    join(bin, 'postgres'),
    '-D',
    join(dir, 'data'),
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'max_connections=200',
  ]);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres@127.0.0.1:${port}/hearth`;
  const ping = async (connectionString: string) => {
    const c = new pg.Client({ connectionString, connectionTimeoutMillis: 1000 });
    await c.connect();
    await c.end();
  };
  await startOrCleanUp(server, dir, async () => {
    await untilReady('private PostgreSQL', server, () => ping(adminUrl));
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE hearth');
    await admin.end();
  });
  return {
    dialect: 'postgres',
    url,
    port,
    async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
      let n = 0;
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        return (
          await c.query(
            text.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows as T[];
      } finally {
        await c.end();
      }
    },
    async restart(downMs = 0) {
      const t0 = Date.now();
      await server.stop('SIGINT'); // fast shutdown: sessions are terminated (57P01)
      const t1 = Date.now();
      await new Promise((r) => setTimeout(r, downMs));
      server.start();
      await untilReady('private PostgreSQL', server, () => ping(url));
      return { stopMs: t1 - t0, startMs: Date.now() - t1 - downMs };
    },
    log: () => server.output,
    async dispose() {
      await server.stop('SIGQUIT', 10_000); // immediate shutdown
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startMariadb(): Promise<PrivateDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-ha-mariadb-'));
  const uid = Number((await run('id', ['-u', 'mysql'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'mysql'])).stdout.trim());
  chownSync(dir, uid, gid);
  await run('/usr/bin/mariadb-install-db', [
    '--no-defaults',
    `--datadir=${join(dir, 'data')}`,
    '--user=mysql',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  const port = await freePort();
  const server = new ServerProcess('/usr/sbin/mariadbd', [
    '--no-defaults',
    `--datadir=${join(dir, 'data')}`,
    `--port=${port}`,
    `--socket=${join(dir, 'mariadb.sock')}`,
    `--pid-file=${join(dir, 'mariadb.pid')}`,
    '--bind-address=127.0.0.1',
    '--user=mysql',
    '--skip-log-bin',
    '--innodb-flush-log-at-trx-commit=2',
    '--max-connections=300',
  ]);
  const serverUrl = `mysql://root@127.0.0.1:${port}`;
  const url = `${serverUrl}/hearth`;
  const ping = async (uri: string) => {
    const c = await createConnection({ uri, connectTimeout: 1000 });
    await c.end();
  };
  await startOrCleanUp(server, dir, async () => {
    await untilReady('private MariaDB', server, () => ping(serverUrl));
    const admin = await createConnection({ uri: serverUrl });
    await admin.query('CREATE DATABASE hearth');
    await admin.end();
  });
  return {
    dialect: 'mysql',
    url,
    port,
    async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
      const c = await createConnection({ uri: url, connectTimeout: 5000 });
      try {
        const [rows] = await c.query(text, params);
        return rows as T[];
      } finally {
        await c.end();
      }
    },
    async restart(downMs = 0) {
      const t0 = Date.now();
      await server.stop('SIGTERM'); // clean shutdown: clients see their connections close
      const t1 = Date.now();
      await new Promise((r) => setTimeout(r, downMs));
      server.start();
      await untilReady('private MariaDB', server, () => ping(url));
      return { stopMs: t1 - t0, startMs: Date.now() - t1 - downMs };
    },
    log: () => server.output,
    async dispose() {
      await server.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
