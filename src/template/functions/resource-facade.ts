/**
 * `resource_facade` (and CFN `Fn::ResourceFacade`): data of the resource that owns a nested (provider) stack.
 */
import type { Path } from '../errors.js';
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { locatedError, spec } from './support.js';

const HOT = ['metadata', 'deletion_policy', 'update_policy'] as const;
const CFN = ['Metadata', 'DeletionPolicy', 'UpdatePolicy'] as const;

/** `resource_facade: metadata | deletion_policy | update_policy` (CFN: `Metadata | DeletionPolicy | UpdatePolicy`). */
export class ResourceFacade extends IntrinsicFunction {
  private readonly kind: (typeof HOT)[number];

  constructor(name: string, args: unknown, path: Path, cfn: boolean) {
    super(name, args, path);
    const allowed: readonly string[] = cfn ? CFN : HOT;
    const index = typeof args === 'string' ? allowed.indexOf(args) : -1;
    if (index < 0) {
      throw locatedError(path, `Incorrect arguments to "${name}" should be one of: ${allowed.join(', ')}`);
    }
    this.kind = HOT[index] as (typeof HOT)[number];
  }

  resolve(ctx: ResolveContext): unknown {
    return ctx.facade(this.kind);
  }
}

const DESCRIPTION = 'A function for retrieving data in a parent provider template.';

/** `resource_facade`. */
export const resourceFacadeSpec = spec(
  DESCRIPTION,
  (name, args, path) => new ResourceFacade(name, args, path, false),
);
/** `Fn::ResourceFacade` (2013-05-23). */
export const cfnResourceFacadeSpec = spec(
  DESCRIPTION,
  (name, args, path) => new ResourceFacade(name, args, path, true),
);
