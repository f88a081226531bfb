/**
 * Test harness: runs the real `hearth` binary (built into dist/ by `npm test`) as a child process on a free
 * port with a fresh data directory, and talks to it over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '..', '..');
/**
 * The shared folder beside the repository (conformance corpora, references), its real path: the corpus runners
 * run only when started by their real path (they compare `import.meta.url` with `argv[1]`), so a symlinked
 * `../shared` would make them exit 0 without running a case.
 */
export const SHARED = realPath(process.env['HEARTH_SHARED'] ?? resolve(ROOT, '..', 'shared'));

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Checks a corpus runner's output: its summary `N passed, 0 failed`, and every case folder of `corpusDir` either
 * passed or skipped (a runner that ran nothing fails this).
 */
export function expectCorpusPassed(output: string, corpusDir: string): { passed: number; skipped: number } {
  const cases = readdirSync(corpusDir, { withFileTypes: true }).filter((d) => d.isDirectory()).length;
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(output.trim().split('\n').pop() ?? '');
  if (!summary) throw new Error(`no summary line in the runner's output:\n${output}`);
  const passed = Number(summary[1]);
  const failed = Number(summary[2]);
  const skipped = output.split('\n').filter((l) => l.startsWith('SKIP')).length;
  if (failed !== 0 || passed + skipped !== cases || cases === 0) {
    throw new Error(`${passed} passed, ${failed} failed, ${skipped} skipped of ${cases} cases:\n${output}`);
  }
  return { passed, skipped };
}
/** The hearth command. */
export const BIN = join(ROOT, 'bin', 'hearth.js');

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

/** A running hearth server process. */
export interface HearthProcess {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** `http://127.0.0.1:PORT/v1/<project>` */
  endpoint(project?: string): string;
  /** Output captured so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `hearth server --insecure-noauth` (or, with `noauth: false`, with identity: tokens required, and
 * `adminPassword` bootstrapping the admin account) and waits until it answers.
 */
export async function startHearth(
  options: {
    dataDir?: string;
    port?: number;
    extraArgs?: string[];
    env?: Record<string, string>;
    /** Trust the URL's project (default true); false: real identity. */
    noauth?: boolean;
    /** `--bootstrap-admin-password` (only without noauth). */
    adminPassword?: string;
  } = {},
): Promise<HearthProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hearth-test-'));
  const child = spawn(
    process.execPath,
    [
      BIN,
      'server',
      '--listen',
      `127.0.0.1:${port}`,
      '--data-dir',
      dataDir,
      ...(options.noauth === false ? [] : ['--insecure-noauth']),
      ...(options.adminPassword !== undefined ? ['--bootstrap-admin-password', options.adminPassword] : []),
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(options.env ?? {}) } },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hearth server exited (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/`, { headers: { accept: 'application/json' } });
      if (r.status > 0) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`hearth server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return processHandle(child, port, dataDir, () => out);
}

/** The handle of a spawned hearth process listening on `port` of 127.0.0.1. */
export function processHandle(
  child: ChildProcess,
  port: number,
  dataDir: string,
  output: () => string,
): HearthProcess {
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    dataDir,
    child,
    endpoint: (project = 'test') => `${url}/v1/${project}`,
    output,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await exited;
    },
  };
}

/** JSON request helper. */
export async function api(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: any; headers: Headers }> {
  const r = await fetch(url, {
    method,
    redirect: 'manual',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep text
  }
  return { status: r.status, body: parsed, headers: r.headers };
}

/** Polls a stack until its status is no longer IN_PROGRESS. */
export async function waitForStack(
  endpoint: string,
  name: string,
  id: string,
  timeoutMs = 60_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api('GET', `${endpoint}/stacks/${name}/${id}?resolve_outputs=false`);
    if (r.status === 404) return { stack_status: 'NOT_FOUND' };
    const s = r.body?.stack;
    if (s && !String(s.stack_status).endsWith('IN_PROGRESS')) return s;
    if (Date.now() > deadline) throw new Error(`stack ${name} still ${s?.stack_status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Runs a Node.js script (a conformance runner) to its end, collecting its output. */
export function runNode(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}
