/**
 * `get_resource`: a resource's reference id (usually its physical id).
 */
import {
  IntrinsicFunction,
  referencesIn,
  validateValue,
  type ResolveContext,
  type ResourceReference,
  type ValidateContext,
} from './function.js';
import { resolveArg, spec, undefinedReference, unresolvedReference } from './support.js';

/** `get_resource: name`. */
export class GetResource extends IntrinsicFunction {
  override references(): ResourceReference[] {
    const own: ResourceReference[] =
      typeof this.args === 'string' ? [{ resource: this.args, via: this.name, path: this.path }] : [];
    return [...own, ...referencesIn(this.args)];
  }

  /**
   * Heat checks the name only through resource dependencies (properties, metadata): there an undefined name is
   * an `InvalidTemplateReference`; elsewhere (outputs) it is found when resolving.
   */
  override validate(ctx: ValidateContext): void {
    validateValue(this.args, ctx);
    if (typeof this.args === 'string' && !ctx.hasResource(this.args)) {
      const err = undefinedReference(this.args, this.path);
      if (err.type === 'InvalidTemplateReference') throw err;
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const name = resolveArg(this.args, ctx);
    const handle = typeof name === 'string' ? ctx.resource(name) : undefined;
    if (!handle) throw unresolvedReference(name);
    return handle.referenceId();
  }
}

/** `get_resource` (every version). */
export const getResourceSpec = spec(
  'A function for resolving resource references.',
  (name, args, path) => new GetResource(name, args, path),
);
