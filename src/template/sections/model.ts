/**
 * The loaded (parsed, not yet resolved) shapes of a template's resources and outputs.
 */
import type { Path } from '../errors.js';

/**
 * One entry of the `resources` section, with every function-bearing field parsed into function trees
 * (`properties`, `metadata`, `update_policy`, `deletion_policy`, `external_id` in template mode; `condition` in
 * condition mode). Absent optional fields are `undefined`, except `properties`/`metadata` which default to `{}`.
 */
export interface ResourceSource {
  readonly name: string;
  /** The resource type as written (type name, registry alias, or a template file/URL). */
  readonly type: string;
  readonly properties: unknown;
  readonly metadata: unknown;
  /** `depends_on` as a list (a single string becomes a one-item list); literal, never parsed. */
  readonly dependsOn: string[];
  readonly updatePolicy: unknown;
  /** Parsed; resolved (and checked against the version's policies) by `buildDefinition`. */
  readonly deletionPolicy: unknown;
  readonly externalId: unknown;
  /** A condition name, a boolean, or a parsed condition expression; `undefined` when absent. */
  readonly condition: unknown;
  /** The literal description, `''` when absent. */
  readonly description: string;
  /** `['resources', name]`. */
  readonly path: Path;
}

/** One entry of the `outputs` section. */
export interface OutputSource {
  readonly name: string;
  /** The description, or Heat's `No description given` when absent. */
  readonly description: string;
  /** The parsed value. */
  readonly value: unknown;
  /** A condition name, a boolean, or a parsed condition expression; `undefined` when absent. */
  readonly condition: unknown;
  /** `['outputs', name]`. */
  readonly path: Path;
}

/** Heat's description of an output that has none. */
export const NO_OUTPUT_DESCRIPTION = 'No description given';
/** Heat's description of a template that has none. */
export const NO_TEMPLATE_DESCRIPTION = 'No description';
