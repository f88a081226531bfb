/**
 * The engine's {@link ResolveContext}: parameters (with pseudo parameters), files, conditions, the facade of a
 * nested stack's owner, and resource handles over live state (or over nothing, while validating).
 */
import { HeatError } from '../template/errors.js';
import type { ResolveContext, ResourceHandle, StackIdentity } from '../template/functions/function.js';

/** Facade values of the resource that owns a nested stack (`resource_facade`). */
export interface Facade {
  metadata?: unknown;
  deletion_policy?: unknown;
  update_policy?: unknown;
}

/** A ResolveContext whose resources and conditions are supplied once known. */
export class StackResolveContext implements ResolveContext {
  private conditions: ReadonlyMap<string, boolean> = new Map();
  private resources: (name: string) => ResourceHandle | undefined = () => undefined;

  constructor(
    readonly identity: StackIdentity,
    private readonly parameters: ReadonlyMap<string, unknown>,
    private readonly files: Readonly<Record<string, string>>,
    readonly validating: boolean,
    private readonly facadeValues: Facade = {},
  ) {}

  /** Supplies the evaluated conditions. */
  setConditions(conditions: ReadonlyMap<string, boolean>): this {
    this.conditions = conditions;
    return this;
  }

  /** Supplies the resource lookup. */
  setResources(lookup: (name: string) => ResourceHandle | undefined): this {
    this.resources = lookup;
    return this;
  }

  parameter(name: string): unknown {
    switch (name) {
      case 'OS::stack_id':
        return this.identity.stackId;
      case 'OS::stack_name':
        return this.identity.stackName;
      case 'OS::project_id':
        return this.identity.projectId;
    }
    if (!this.parameters.has(name)) {
      throw new HeatError('UserParameterMissing', `The Parameter (${name}) was not provided.`);
    }
    return this.parameters.get(name);
  }

  file(key: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.files, key) ? this.files[key] : undefined;
  }

  resource(name: string): ResourceHandle | undefined {
    return this.resources(name);
  }

  condition(name: string): boolean {
    const v = this.conditions.get(name);
    if (v === undefined) throw new HeatError('StackValidationFailed', `Invalid condition "${name}"`);
    return v;
  }

  facade(kind: 'metadata' | 'deletion_policy' | 'update_policy'): unknown {
    const v = this.facadeValues[kind];
    if (v !== undefined) return v;
    return kind === 'deletion_policy' ? 'Delete' : kind === 'metadata' ? {} : {};
  }
}
