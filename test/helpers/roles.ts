/**
 * Test harness for the split roles: runs `hearth api` and `hearth engine` processes (the real binary) on one
 * database and waits until each answers `/healthz`.
 */
import { spawn } from 'node:child_process';
import { BIN, freePort, processHandle, type HearthProcess } from './hearth.js';

/** Starts `hearth <role> --db URL` on a free port (`--insecure-noauth` for the api) and waits until it answers. */
export async function startRole(
  role: 'api' | 'engine',
  db: string,
  options: { extraArgs?: string[]; port?: number } = {},
): Promise<HearthProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      BIN,
      role,
      '--listen',
      `127.0.0.1:${port}`,
      '--db',
      db,
      ...(role === 'api' ? ['--insecure-noauth'] : []),
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hearth ${role} exited (${child.exitCode}):\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`hearth ${role} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return processHandle(child, port, '', () => out);
}

/** Runs `hearth <args…>` to its end (e.g. a role that must refuse to start). */
export function runHearth(
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
