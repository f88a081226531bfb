/**
 * HAProxy (Debian's `haproxy`) in front of `hearth api` processes, as an operator would run it: health checks on
 * `/healthz`, layer-7 retries of what failed before an answer (connection refused, an api killed mid-request, no
 * answer in time, a 503) on another server (`option redispatch`), short timeouts for a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/hearth.js';

/** Where Debian installs haproxy. */
export const HAPROXY_BIN = '/usr/sbin/haproxy';

/** Whether haproxy is installed. */
export function haproxyInstalled(): boolean {
  return existsSync(HAPROXY_BIN);
}

/** A running HAProxy. */
export interface Haproxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Log lines so far (one per request, HAProxy's HTTP log format, plus server state changes). */
  log(): string;
  stop(): Promise<void>;
}

/** Options of {@link startHaproxy}. */
export interface HaproxyOptions {
  /** `host:port` of each API process. */
  backends: string[];
  /** How long HAProxy waits for an answer before it retries on another server (ms); default 10 s. */
  serverTimeoutMs?: number;
}

/** The configuration file (exported for the reader of the test). */
export function haproxyConfig(port: number, options: HaproxyOptions): string {
  const servers = options.backends.map((b, i) => `  server api${i} ${b} check`).join('\n');
  return `global
  log stdout format raw local0 info
  maxconn 4096

defaults
  mode http
  log global
  option httplog
  timeout connect 500ms
  timeout client 60s
  timeout server ${options.serverTimeoutMs ?? 10_000}ms
  timeout queue 10s
  timeout check 1s
  # Layer-7 retries: a request that got no answer (refused, connection closed by a killed api, no answer in
  # time) or a 503 (database away longer than the api's patience) is sent again, to another server.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout 503

frontend hearth
  bind 127.0.0.1:${port}
  default_backend apis

backend apis
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 300ms fastinter 200ms downinter 500ms fall 2 rise 2
${servers}
`;
}

/** Starts HAProxy on a free port in the foreground (`-db`), checking the configuration first. */
export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hearth-ha-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(port, options));
  let out = '';
  const child: ChildProcess = spawn(HAPROXY_BIN, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`haproxy did not pass a request within 10 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    log: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
