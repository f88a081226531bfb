/**
 * The signal a finished hook sends back (Heat's hook contract): `deploy_stdout`, `deploy_stderr`,
 * `deploy_status_code` and the declared outputs — and its trimming to what the server accepts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploymentConfig } from './deployment.js';
import type { HookResult } from './hook-process.js';

/** heat-config-notify's limit on a signal's JSON, in bytes. */
export const MAX_SIGNAL_BYTES = 950_000;

/** The status code of a hook that vanished without one (the host rebooted mid-run). */
export const INTERRUPTED_STATUS = -1;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The script hook's signal: each declared output read from `<heat_outputs_path>/<name>` (or, as heat-config
 * scripts write it, `<heat_outputs_path>.<name>`), then the standard three.
 */
export function scriptSignal(
  c: DeploymentConfig,
  outputsPath: string,
  result: HookResult,
): Record<string, unknown> {
  const signal: Record<string, unknown> = {};
  for (const output of c.outputs) {
    if (/[/\0]/.test(output.name) || output.name === '.' || output.name === '..') continue;
    for (const path of [join(outputsPath, output.name), `${outputsPath}.${output.name}`]) {
      if (existsSync(path)) {
        signal[output.name] = readFileSync(path, 'utf8');
        break;
      }
    }
  }
  return { ...signal, ...standard(result) };
}

/**
 * A custom hook's signal: its stdout parsed as a JSON object; otherwise (not JSON, not an object, empty, or the
 * hook crashed) its stdout, stderr and status code. A non-zero exit always shows in `deploy_status_code`.
 */
export function customSignal(result: HookResult): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = result.stdout.trim() ? JSON.parse(result.stdout) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!isMap(parsed)) return standard(result);
  if (
    result.statusCode !== 0 &&
    (parsed['deploy_status_code'] === undefined || parsed['deploy_status_code'] === 0)
  ) {
    return {
      deploy_stderr: result.stderr,
      ...parsed,
      deploy_status_code: result.statusCode ?? INTERRUPTED_STATUS,
    };
  }
  return parsed;
}

/** `{deploy_stdout, deploy_stderr, deploy_status_code}` of a result. */
function standard(result: HookResult): Record<string, unknown> {
  const interrupted = result.statusCode === null;
  return {
    deploy_stdout: result.stdout,
    deploy_stderr: interrupted
      ? `${result.stderr}${result.stderr && !result.stderr.endsWith('\n') ? '\n' : ''}` +
        'The hook ended without an exit status (the host restarted while it ran); it is not run again.'
      : result.stderr,
    deploy_status_code: result.statusCode ?? INTERRUPTED_STATUS,
  };
}

/**
 * The signal as JSON of at most `maxBytes` bytes: heat-config-notify's trimming — `deploy_stdout` and
 * `deploy_stderr` lose their beginning (the tail, where errors are, stays), each in proportion to its share of the
 * excess — repeated until it fits (multi-byte text can need a second pass).
 */
export function trimSignal(signal: Record<string, unknown>, maxBytes = MAX_SIGNAL_BYTES): string {
  let current = { ...signal };
  let json = JSON.stringify(current);
  for (let pass = 0; Buffer.byteLength(json) > maxBytes && pass < 20; pass++) {
    const total = Buffer.byteLength(json);
    const excess = total - maxBytes;
    const next = { ...current };
    let cutSomething = false;
    for (const key of ['deploy_stdout', 'deploy_stderr'] as const) {
      const value = current[key];
      if (typeof value !== 'string' || value.length === 0) continue;
      const share = Buffer.byteLength(JSON.stringify(value)) / total;
      const cut = Math.min(value.length, Math.max(1, Math.ceil(excess * share * (pass + 1))));
      next[key] = value.slice(cut);
      cutSomething = true;
    }
    if (!cutSomething) break;
    current = next;
    json = JSON.stringify(current);
  }
  return json;
}
