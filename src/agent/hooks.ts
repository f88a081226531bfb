/**
 * Which hook applies a deployment, by its `group` (heat-config's rules): an executable named after the
 * (sanitised) group in the hooks directory, else a built-in — `script` (the config is a program; inputs are its
 * environment; outputs are files under `heat_outputs_path`) or `json-file` (writes the JSON files the config
 * names). `Heat::Ungrouped` and unknown groups end at once with a failure signal that says why.
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { DeploymentConfig } from './deployment.js';
import type { HookCommand } from './hook-process.js';
import type { AgentState } from './state.js';

/** The built-in hooks. */
export const BUILTIN_HOOKS = ['script', 'json-file', 'kubelet'] as const;

/** How a deployment is applied: a process to run, or a signal known at once. */
export type HookPlan =
  | { readonly kind: 'process'; readonly command: HookCommand }
  | { readonly kind: 'signal'; readonly signal: Record<string, unknown> }
  /** The built-in kubelet (hooks/kubelet.ts): the agent waits for the deployment's pod. */
  | { readonly kind: 'kubelet' };

/** heat-config's hook name of a group: letters, digits, `-` and `_` only. */
export function sanitizeGroup(group: string): string {
  return group.replace(/[^A-Za-z0-9_-]/g, '');
}

/** A signal of a hook that could not run. */
export function failureSignal(message: string, statusCode = 1): Record<string, unknown> {
  return { deploy_stdout: '', deploy_stderr: message, deploy_status_code: statusCode };
}

/** The executable custom hook for a group, if the hooks directory has one. */
function customHook(hooksDir: string | undefined, name: string): string | undefined {
  if (!hooksDir || !name) return undefined;
  const path = join(hooksDir, name);
  try {
    if (!statSync(path).isFile()) return undefined;
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

/** Environment variables of the script hook: the inputs (maps and lists as JSON), as heat-config's. */
function scriptEnvironment(c: DeploymentConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const input of c.inputs) {
    if (!input.name || input.name.includes('=') || input.name.includes('\0')) continue;
    const v = input.value ?? '';
    env[input.name] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return env;
}

/** Python's `json.dump(…, indent=4, sort_keys=True)`. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value), null, 4);
}

/** The json-file hook, in process: each key of `config` is a file path, its value the JSON to write there. */
export function runJsonFileHook(c: DeploymentConfig): Record<string, unknown> {
  const files = c.config;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    return failureSignal(
      `json-file: the config must be a map of absolute file paths to JSON values, got ${JSON.stringify(files)}`,
    );
  }
  const written: string[] = [];
  for (const [path, data] of Object.entries(files)) {
    if (!isAbsolute(path)) return failureSignal(`json-file: "${path}" is not an absolute path`);
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, sortedJson(data));
      written.push(path);
    } catch (err) {
      return {
        ...failureSignal(`json-file: cannot write ${path}: ${(err as Error).message}`),
        deploy_stdout: written.map((p) => `wrote ${p}`).join('\n'),
      };
    }
  }
  return { deploy_stdout: '', deploy_stderr: '', deploy_status_code: 0 };
}

/** Writes the script of a `script` deployment (mode 0700) and the command that runs it. */
function scriptCommand(state: AgentState, c: DeploymentConfig): HookCommand {
  const file = state.scriptPath(c.id);
  const config = typeof c.config === 'string' ? c.config : c.config == null ? '' : JSON.stringify(c.config);
  writeFileSync(file, config, { mode: 0o700 });
  const outputs = state.outputsPath(c.id);
  mkdirSync(outputs, { recursive: true, mode: 0o700 });
  return {
    kind: 'script',
    file,
    env: { ...process.env, ...scriptEnvironment(c), heat_outputs_path: outputs },
    stdinFile: '/dev/null',
    cwd: dirname(file),
  };
}

/**
 * How to apply `c` (already resolved for components). `hooksDir` holds custom hooks; the deployed marker (the
 * config JSON) is a custom hook's stdin.
 */
export function planHook(state: AgentState, c: DeploymentConfig, hooksDir: string | undefined): HookPlan {
  const name = sanitizeGroup(c.group);
  const custom = customHook(hooksDir, name);
  if (custom) {
    return {
      kind: 'process',
      command: {
        kind: 'custom',
        file: custom,
        env: { ...process.env },
        stdinFile: state.deployedPath(c.id),
        cwd: state.root,
      },
    };
  }
  if (name === 'script') return { kind: 'process', command: scriptCommand(state, c) };
  if (name === 'json-file') return { kind: 'signal', signal: runJsonFileHook(c) };
  if (name === 'kubelet') return { kind: 'kubelet' };
  if (c.group === 'Heat::Ungrouped') {
    return {
      kind: 'signal',
      signal: failureSignal(
        'Deployment group "Heat::Ungrouped" has no hook: such a config is user data for cloud-init, not ' +
          'something an agent applies. Give the config a group (script, json-file, or a hook in the hooks directory).',
      ),
    };
  }
  return {
    kind: 'signal',
    signal: failureSignal(
      `No hook for deployment group "${c.group}": it is not built in (${BUILTIN_HOOKS.join(', ')}) and ` +
        (hooksDir
          ? `${join(hooksDir, name || '<empty>')} is not an executable file.`
          : 'no --hooks-dir was given.'),
    ),
  };
}
