/**
 * Helpers shared by the `stack` verbs: printing a stack, running a mutating request with `--wait` (the progress
 * view until the stack settles, non-zero exit with the failure reason), and the options several verbs share.
 */
import { createInterface } from 'node:readline/promises';
import { formatList, formatRecord, yamlCell } from '../format.js';
import { CliError } from '../io.js';
import { stackState, treeMarker, waitForStack, type FinalState } from '../wait.js';
import type { CommandEnv } from './common.js';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** The fields `stack create/update/…` print (the summary of `openstack stack show`). */
export const SHOW_FIELDS = [
  'id',
  'stack_name',
  'description',
  'creation_time',
  'updated_time',
  'stack_status',
  'stack_status_reason',
];

/** Fields `stack show` prints as YAML in a table (as `openstack stack show`). */
const NESTED_FIELDS = new Set(['parameters', 'outputs', 'links', 'tags']);

/** The columns of stack lists (`stack list`, actions on several stacks). */
export const STACK_LIST_COLUMNS: [string, string][] = [
  ['ID', 'id'],
  ['Stack Name', 'stack_name'],
  ['Stack Status', 'stack_status'],
  ['Creation Time', 'creation_time'],
  ['Updated Time', 'updated_time'],
];

/** The stack's fields in `openstack stack show` order: summary, parameters, outputs, links, then the rest. */
export function showRecord(stack: Json): Json {
  const order = [...SHOW_FIELDS, 'parameters', 'outputs', 'links'];
  const keys = [...order.filter((k) => k in stack || SHOW_FIELDS.includes(k))];
  for (const k of Object.keys(stack)) if (!keys.includes(k) && k !== 'template_description') keys.push(k);
  return Object.fromEntries(keys.map((k) => [k, stack[k] ?? null]));
}

/** Shows a stack: its summary fields, or (`all`) every field; `resolveOutputs: false` skips the outputs. */
export async function printStack(
  env: CommandEnv,
  stackPath: string,
  all: boolean,
  resolveOutputs = true,
): Promise<Json> {
  const { stack } = await env.client.request<{ stack: Json }>(
    'GET',
    all && resolveOutputs ? stackPath : `${stackPath}?resolve_outputs=false`,
  );
  const record = all ? showRecord(stack) : Object.fromEntries(SHOW_FIELDS.map((f) => [f, stack[f] ?? null]));
  env.io.out(
    formatRecord(env.format, record, env.columns, (k, v) => (NESTED_FIELDS.has(k) ? yamlCell(v) : v)),
  );
  return stack;
}

/** Prints several stacks as `openstack stack list` rows. */
export function printStackRows(env: CommandEnv, stacks: Json[]): void {
  env.io.out(formatList(env.format, STACK_LIST_COLUMNS, stacks, env.columns));
}

/** Fails the command when the wait was interrupted (exit 130, as a shell does for Ctrl-C). */
export function checkInterrupted(state: FinalState): void {
  if (state.interrupted) {
    throw new CliError(`Interrupted: the stack is ${state.status} (the action goes on on the server)`, 130);
  }
}

/**
 * Fails the command when a waited-for stack ended badly: any `*_FAILED`, or a `ROLLBACK_*` when the
 * verb did not ask for a rollback (the change failed and was rolled back).
 */
export function checkFinal(state: FinalState): void {
  checkInterrupted(state);
  if (state.status.endsWith('_FAILED') || state.status.startsWith('ROLLBACK_')) {
    throw new CliError(`Stack ${state.status}: ${state.reason}`);
  }
}

/** Options of {@link mutateStack}. */
export interface MutateOptions {
  /** Follow the stack until it settles. */
  wait: boolean;
  /** Actions whose terminal status ends the wait (e.g. `['UPDATE', 'ROLLBACK']`). */
  actions: string[];
  /** Whether the final state is a success; default {@link checkFinal}'s rule. @throws CliError when not */
  check?: (state: FinalState) => void;
  /** Poll interval of the wait; default 1000 ms. */
  intervalMs?: number;
}

/**
 * Sends a request that changes the stack at `stackPath`; with `wait`, shows the progress that follows it
 * and fails with the stack's reason when it ends badly.
 */
export async function mutateStack(
  env: CommandEnv,
  stackPath: string,
  stackName: string,
  options: MutateOptions,
  send: () => Promise<unknown>,
): Promise<FinalState | undefined> {
  if (!options.wait) {
    await send();
    return undefined;
  }
  const marker = await treeMarker(env.client, stackPath);
  const before = await stackState(env.client, stackPath);
  await send();
  const final = await waitForStack(env, stackPath, stackName, {
    actions: options.actions,
    before,
    ...(marker ? { marker } : {}),
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
  });
  (options.check ?? checkFinal)(final);
  return final;
}

/** `stacks/{name}/{id}` → `{name}`. */
export function stackNameOf(stackPath: string): string {
  return decodeURIComponent(stackPath.split('/')[1] ?? '');
}

/** `--poll SECONDS` → milliseconds (undefined when not given). @throws CliError (usage) for non-positive values */
export function pollInterval(seconds: string | undefined): number | undefined {
  if (seconds === undefined) return undefined;
  const s = Number(seconds);
  if (!Number.isFinite(s) || s <= 0) {
    throw new CliError(`--poll expects a number of seconds greater than 0, got "${seconds}"`, 2);
  }
  return Math.round(s * 1000);
}

/** `--timeout MINUTES` → minutes (undefined when not given). @throws CliError (usage) unless a whole number */
export function timeoutMinutes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Number(value);
  if (!Number.isInteger(t) || t < 0) {
    throw new CliError(`--timeout expects a whole number of minutes, got "${value}"`, 2);
  }
  return t;
}

/** A whole-number option (`--limit`, `--nested-depth`). @throws CliError (usage) otherwise */
export function countOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${name} expects a whole number, got "${value}"`, 2);
  return n;
}

/** Asks a yes/no question on the terminal (stderr). */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
