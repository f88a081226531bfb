/**
 * The `update_policy` of the deployment groups (Heat's `SoftwareDeploymentGroup.update_policy_schema`):
 * `batch_create {max_batch_size, pause_time}` on create and `rolling_update {max_batch_size, pause_time}` on update,
 * plus Hearth's `rolling_update.min_in_service` (deployments kept out of a batch, as ResourceGroup's).
 *
 * A group change runs as a series of child-stack updates. Servers no longer listed are removed by the first one;
 * the members to create or change (new servers and members whose definition differs, in `servers` order) get
 * their new definition at most `max_batch_size` at a time, the others keep the definition the child was last
 * given, and `pause_time` seconds pass between two batches.
 */
import type { PropertySchema } from '../../engine/plugin.js';
import { validateProperties } from '../../engine/properties.js';
import { jsonEqual } from '../../engine/records.js';
import { HeatError } from '../../template/errors.js';

/** A member's resource definition (a HOT resource snippet). */
export type MemberDefinitions = Readonly<Record<string, Record<string, unknown>>>;

const BATCH_SIZE: PropertySchema = {
  type: 'integer',
  description: 'The maximum number of deployments to create or replace at once.',
  default: 1,
  constraints: [{ kind: 'range', min: 1 }],
};

const PAUSE_TIME: PropertySchema = {
  type: 'number',
  description: 'The number of seconds to wait between batches.',
  default: 0,
  constraints: [{ kind: 'range', min: 0 }],
};

/** Schema of a deployment group's `update_policy`. */
export const DEPLOYMENT_GROUP_UPDATE_POLICY_SCHEMA: Readonly<Record<string, PropertySchema>> = {
  rolling_update: {
    type: 'map',
    schema: {
      max_batch_size: BATCH_SIZE,
      pause_time: PAUSE_TIME,
      min_in_service: {
        type: 'integer',
        description:
          'Hearth: the number of existing deployments never re-deployed in the same batch (the batch shrinks ' +
          'to keep them; at least one deployment changes per batch).',
        default: 0,
        constraints: [{ kind: 'range', min: 0 }],
      },
    },
  },
  batch_create: { type: 'map', schema: { max_batch_size: BATCH_SIZE, pause_time: PAUSE_TIME } },
};

/** How a change is batched. */
export interface GroupBatching {
  readonly maxBatchSize: number;
  /** Seconds between two batches. */
  readonly pauseTime: number;
  readonly minInService: number;
}

/** The parsed policy: batching for a create and for an update, when the template asks for it. */
export interface GroupUpdatePolicy {
  readonly create?: GroupBatching;
  readonly update?: GroupBatching;
}

/**
 * Parses a resolved `update_policy` (unknown top-level keys ignored, as ResourceGroup does).
 * @throws HeatError StackValidationFailed naming the key, the value received and what is allowed.
 */
export function parseGroupUpdatePolicy(resourceName: string, raw: unknown): GroupUpdatePolicy {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const known = Object.fromEntries(
    Object.entries(raw).filter(([k]) => Object.hasOwn(DEPLOYMENT_GROUP_UPDATE_POLICY_SCHEMA, k)),
  );
  const { properties, problems } = validateProperties(DEPLOYMENT_GROUP_UPDATE_POLICY_SCHEMA, known, {
    resourceName,
    validating: false,
  });
  const problem = problems[0];
  if (problem) {
    const where = (problem.path ?? []).slice(3).map(String).join('.');
    throw new HeatError(
      'StackValidationFailed',
      `update_policy${where ? `.${where}` : ''}: ${problem.message}`,
      { path: ['resources', resourceName, 'update_policy', ...(problem.path ?? []).slice(3)] },
    );
  }
  const of = (key: string): GroupBatching | undefined => {
    const v = properties[key] as Record<string, unknown> | null | undefined;
    if (!Object.hasOwn(known, key) || !v) return undefined;
    return {
      maxBatchSize: Number(v['max_batch_size'] ?? 1),
      pauseTime: Number(v['pause_time'] ?? 0),
      minInService: Number(v['min_in_service'] ?? 0),
    };
  };
  const create = of('batch_create');
  const update = of('rolling_update');
  return { ...(create ? { create } : {}), ...(update ? { update } : {}) };
}

/**
 * The members of each child update taking the child from `current` (what it was last given) to `target`
 * (both in order). One step when nothing is batched or nothing changes; the last step is always `target`.
 */
export function groupSteps(
  current: MemberDefinitions,
  target: readonly (readonly [string, Record<string, unknown>])[],
  batching: GroupBatching | undefined,
): MemberDefinitions[] {
  const whole = Object.fromEntries(target);
  const changing = target.filter(([name, def]) => !jsonEqual(current[name], def)).map(([name]) => name);
  if (!batching || changing.length === 0) return [whole];
  const kept = target.filter(([name]) => Object.hasOwn(current, name)).length;
  const available = batching.minInService > 0 ? kept - Math.min(batching.minInService, kept) : Infinity;
  const size = Math.max(1, Math.min(batching.maxBatchSize, available));
  const steps: MemberDefinitions[] = [];
  for (let done = size; done < changing.length + size; done += size) {
    const now = new Set(changing.slice(0, done));
    const members: Record<string, Record<string, unknown>> = {};
    for (const [name, def] of target) {
      if (now.has(name)) members[name] = def;
      else if (current[name]) members[name] = current[name];
    }
    steps.push(members);
  }
  return steps;
}
