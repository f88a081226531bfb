/**
 * The dependency graph of a stack definition: topological layers (what can run in parallel), and Heat's errors for
 * a reference to an unknown resource and for a cycle — which Hearth prints as the whole cycle, `a -> b -> a`.
 */
import { HeatError, type Path, type SourcePosition } from './errors.js';

/** Options of {@link dependencyOrder}. */
export interface DependencyOrderOptions {
  /** Source positions of template paths (`doc.positionOf`), used to locate errors and list the cycle's positions. */
  positionOf?(path: Path): SourcePosition | undefined;
}

/**
 * Orders resources in layers: the first layer requires nothing, each later layer requires only resources of earlier
 * layers. Within a layer the map's order is kept.
 * @throws HeatError `InvalidTemplateReference` when a resource requires a name that is not in `resources`;
 *   `CircularDependencyException` "Circular Dependency Found: a -> b -> c -> a" for a cycle.
 */
export function dependencyOrder(
  resources: ReadonlyMap<string, { requires: ReadonlySet<string> }>,
  options: DependencyOrderOptions = {},
): string[][] {
  for (const [name, r] of resources) {
    for (const dep of r.requires) {
      if (!resources.has(dep)) {
        const path = ['resources', name];
        throw new HeatError(
          'InvalidTemplateReference',
          `The specified reference "${dep}" (in ${name}) is incorrect.`,
          {
            path,
            position: options.positionOf?.(path),
          },
        );
      }
    }
  }
  const remaining = new Map<string, Set<string>>();
  for (const [name, r] of resources) remaining.set(name, new Set(r.requires));
  const layers: string[][] = [];
  while (remaining.size > 0) {
    const layer = [...remaining].filter(([, deps]) => deps.size === 0).map(([name]) => name);
    if (layer.length === 0) throw cycleError(findCycle(remaining), options);
    for (const name of layer) remaining.delete(name);
    for (const deps of remaining.values()) for (const name of layer) deps.delete(name);
    layers.push(layer);
  }
  return layers;
}

/** A cycle among `graph` (every node of which has at least one unresolved requirement): `[a, b, c, a]`. */
function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const start = graph.keys().next().value as string;
  const trail: string[] = [];
  const index = new Map<string, number>();
  let node = start;
  // Every remaining node requires another remaining node, so walking the first requirement must loop.
  while (!index.has(node)) {
    index.set(node, trail.length);
    trail.push(node);
    node = [...(graph.get(node) ?? [])][0] as string;
  }
  const cycle = trail.slice(index.get(node));
  // Start the cycle at its earliest resource in template order, so the message does not depend on where we began.
  const order = [...graph.keys()];
  const first = cycle.reduce(
    (best, n, i) => (order.indexOf(n) < order.indexOf(cycle[best] as string) ? i : best),
    0,
  );
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0] as string];
}

function cycleError(cycle: string[], options: DependencyOrderOptions): HeatError {
  const path = ['resources', cycle[0] as string];
  const positions = cycle.slice(0, -1).map((name) => {
    const pos = options.positionOf?.(['resources', name]);
    return pos ? `${name} (${pos.file}:${pos.line}:${pos.column})` : name;
  });
  return new HeatError('CircularDependencyException', `Circular Dependency Found: ${cycle.join(' -> ')}`, {
    path,
    position: options.positionOf?.(path),
    hint: `each resource requires the next through get_resource, get_attr or depends_on: ${positions.join(' -> ')}`,
  });
}
