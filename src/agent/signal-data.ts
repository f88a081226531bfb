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

/** The status code of a hook that exited 0 but broke the hook contract (stdout not a JSON object). */
export const CONTRACT_BROKEN_STATUS = 1;

/**
 * A custom hook's signal: its stdout parsed as a JSON object. Otherwise its stdout, stderr and status code; a
 * hook that exited 0 with stdout that is not a JSON object broke the hook contract, so its deployment fails
 * ({@link CONTRACT_BROKEN_STATUS}) with a `deploy_stderr` that says so (empty stdout is a success, as in Heat).
 * A non-zero exit always shows in `deploy_status_code`.
 */
export function customSignal(result: HookResult): Record<string, unknown> {
  const text = result.stdout.trim();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!isMap(parsed)) {
    const signal = standard(result);
    if (!text || result.statusCode !== 0) return signal;
    const stderr = result.stderr && !result.stderr.endsWith('\n') ? `${result.stderr}\n` : result.stderr;
    const seen = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    return {
      ...signal,
      deploy_stderr:
        `${stderr}The hook exited 0 but its stdout is not a JSON object (the hook contract: a JSON object ` +
        `with deploy_stdout, deploy_stderr, deploy_status_code and the outputs); it began with ` +
        `${JSON.stringify(seen)}.`,
      deploy_status_code: CONTRACT_BROKEN_STATUS,
    };
  }
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

/** The last `bytes` bytes of `text` in UTF-8, starting at a character boundary. */
function utf8Tail(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (bytes >= buf.length) return text;
  let start = buf.length - Math.max(0, bytes);
  while (start < buf.length && (buf[start]! & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString('utf8');
}

/**
 * The signal as JSON of at most `maxBytes` bytes: heat-config-notify's trimming — `deploy_stdout` and
 * `deploy_stderr` lose their beginning (the tail, where errors are, stays), each in proportion to its share of the
 * excess, counted in UTF-8 bytes — repeated until it fits (JSON escapes can need another pass). Other fields are
 * never cut.
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
      const size = Buffer.byteLength(value);
      const share = Buffer.byteLength(JSON.stringify(value)) / total;
      const cut = Math.max(1, Math.ceil(excess * share * (pass + 1)));
      next[key] = utf8Tail(value, size - cut);
      cutSomething = true;
    }
    if (!cutSomething) break;
    current = next;
    json = JSON.stringify(current);
  }
  return json;
}
