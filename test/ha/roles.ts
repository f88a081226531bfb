/**
 * `hearth api` and `hearth engine` processes (the real binary, built into dist/) sharing one database, for the HA
 * test and the engines benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, freePort } from '../helpers/hearth.js';

/** One running role process. */
export interface RoleProcess {
  readonly role: 'api' | 'engine';
  /** `api0`, `engine2`, … */
  readonly name: string;
  /** `127.0.0.1:PORT` (the API, or the engine's health and metrics listener). */
  readonly address: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Whether the process still runs. */
  alive(): boolean;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Options of {@link startRole}. */
export interface RoleOptions {
  db: string;
  /** `hearth engine --public-url` (the load balancer). */
  publicUrl?: string;
  /** `hearth engine --lease-seconds`. */
  leaseSeconds?: number;
  /** More arguments. */
  extraArgs?: string[];
  /** Start-up limit (ms); default 60 s (an api waits for the database and migrates it). */
  startTimeoutMs?: number;
}

/** Starts `hearth <role>` on a free port and waits until its `/healthz` answers. */
export async function startRole(
  role: 'api' | 'engine',
  name: string,
  options: RoleOptions,
): Promise<RoleProcess> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), `hearth-ha-${name}-`));
  const args = [BIN, role, '--listen', address, '--db', options.db, '--data-dir', dataDir];
  if (role === 'api') args.push('--insecure-noauth');
  if (role === 'engine') {
    if (options.publicUrl) args.push('--public-url', options.publicUrl);
    if (options.leaseSeconds !== undefined) args.push('--lease-seconds', String(options.leaseSeconds));
  }
  args.push(...(options.extraArgs ?? []));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (!alive())
      throw new Error(`hearth ${role} ${name} exited (${child.exitCode ?? child.signalCode}):\n${out}`);
    try {
      const r = await fetch(`http://${address}/healthz`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hearth ${role} ${name} did not answer /healthz in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    role,
    name,
    address,
    pid: child.pid!,
    child,
    output: () => out,
    alive,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!alive()) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await exited;
    },
  };
}
