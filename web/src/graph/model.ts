/**
 * The topology graph of a stack: one node per resource, an edge from each resource to the resources that
 * require it (`required_by`), and — for nested stacks the user expanded — the child stack's resources inside
 * their owner's node.
 */
import { linkOf, stackRefOf, type ResourceItem } from '../api/types.js';
import type { Graph, GraphNode } from './compound.js';

/** Width of a resource node. */
export const NODE_WIDTH = 190;
/** Height of a resource node. */
export const NODE_HEIGHT = 48;

/** The key of a resource: its stack's id and its name. */
export function nodeKey(stackId: string, name: string): string {
  return `${stackId}/${name}`;
}

/** `{name, id}` of the nested stack a resource owns (from its `nested` link), if any. */
export function nestedStackOf(r: ResourceItem): { name: string; id: string } | undefined {
  return stackRefOf(linkOf(r.links, 'nested'));
}

/** What the graph is built from. */
export interface TopologyInput {
  rootStackId: string;
  /** Current resources of every loaded stack, by stack id. */
  resources: ReadonlyMap<string, readonly ResourceItem[]>;
  /** Keys of expanded nested-stack resources. */
  expanded: ReadonlySet<string>;
}

/** The graph of one stack (recursively through expanded nested stacks whose resources are loaded). */
export function topology(input: TopologyInput, stackId = input.rootStackId, depth = 0): Graph {
  const items = input.resources.get(stackId) ?? [];
  const names = new Set(items.map((r) => r.resource_name));
  const nodes: GraphNode[] = items.map((r) => {
    const key = nodeKey(stackId, r.resource_name);
    const nested = nestedStackOf(r);
    if (nested && depth < 8 && input.expanded.has(key) && input.resources.has(nested.id)) {
      return {
        id: key,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        inner: topology(input, nested.id, depth + 1),
      };
    }
    return { id: key, width: NODE_WIDTH, height: NODE_HEIGHT };
  });
  const edges = items.flatMap((r) =>
    r.required_by
      .filter((dependent) => names.has(dependent))
      .map((dependent) => ({ from: nodeKey(stackId, r.resource_name), to: nodeKey(stackId, dependent) })),
  );
  return { nodes, edges };
}
