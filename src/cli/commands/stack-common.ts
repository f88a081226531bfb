/**
 * Helpers shared by the `stack` verbs: printing a stack, and running a mutating request with `--wait`
 * (live events until the stack settles, non-zero exit with the failure reason).
 */
import { formatRecord } from '../format.js';
import { CliError } from '../io.js';
import { followStack, lastEventId, stackState, type FinalState } from '../wait.js';
import type { CommandEnv } from './common.js';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** The fields `stack create/show/update` print in table form (all of them with json/yaml). */
export const SHOW_FIELDS = [
  'id',
  'stack_name',
  'description',
  'creation_time',
  'updated_time',
  'stack_status',
  'stack_status_reason',
];

/** Shows a stack (summary fields, or all). */
export async function printStack(env: CommandEnv, stackPath: string, all: boolean): Promise<Json> {
  const { stack } = await env.client.request<{ stack: Json }>('GET', stackPath);
  const record = all ? stack : Object.fromEntries(SHOW_FIELDS.map((f) => [f, stack[f] ?? null]));
  env.io.out(formatRecord(env.format, record));
  return stack;
}

/**
 * Fails the command when a waited-for stack ended badly: any `*_FAILED`, or a `ROLLBACK_*` when the
 * verb did not ask for a rollback (the change failed and was rolled back).
 */
export function checkFinal(state: FinalState): void {
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
}

/**
 * Sends a request that changes the stack at `stackPath`; with `wait`, prints the events that follow it
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
  const marker = await lastEventId(env.client, stackPath);
  const before = await stackState(env.client, stackPath);
  await send();
  const final = await followStack(env.client, stackPath, stackName, {
    actions: options.actions,
    print: env.io.out,
    before,
    ...(marker ? { marker } : {}),
  });
  (options.check ?? checkFinal)(final);
  return final;
}

/** `stacks/{name}/{id}` → `{name}`. */
export function stackNameOf(stackPath: string): string {
  return decodeURIComponent(stackPath.split('/')[1] ?? '');
}
