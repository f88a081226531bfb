/**
 * Layout of a graph whose nodes may contain graphs (expanded nested stacks): each inner graph is laid out first,
 * its container node is sized to hold it, then the outer graph is laid out and the inner positions shifted into
 * their container.
 */
import { layeredLayout, type LayoutEdge, type LayoutOptions } from './layout.js';

/** A node; `inner` makes it a container of another graph. */
export interface GraphNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly inner?: Graph;
}

/** Nodes and edges of one level. */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly LayoutEdge[];
}

/** A placed box; `container` when it holds an inner graph, `depth` 0 at the top level. */
export interface Box {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly container: boolean;
}

/** A placed edge (a polyline) at some depth. */
export interface Line {
  readonly from: string;
  readonly to: string;
  readonly points: readonly [number, number][];
  readonly depth: number;
}

/** The whole layout. */
export interface CompoundLayout {
  readonly boxes: ReadonlyMap<string, Box>;
  readonly lines: readonly Line[];
  readonly width: number;
  readonly height: number;
}

/** Padding inside a container. */
export const CONTAINER_PADDING = 16;
/** Height of a container's title bar (the owning resource's name and status). */
export const CONTAINER_HEADER = 52;

/** Lays out `graph` and every inner graph. */
export function compoundLayout(
  graph: Graph,
  options: Partial<LayoutOptions> = {},
  depth = 0,
): CompoundLayout {
  const inner = new Map<string, CompoundLayout>();
  const sized = graph.nodes.map((n) => {
    if (!n.inner) return n;
    const sub = compoundLayout(n.inner, options, depth + 1);
    inner.set(n.id, sub);
    return {
      id: n.id,
      width: Math.max(n.width, sub.width + 2 * CONTAINER_PADDING),
      height: CONTAINER_HEADER + sub.height + CONTAINER_PADDING,
    };
  });
  const top = layeredLayout(sized, graph.edges, options);
  const boxes = new Map<string, Box>();
  const lines: Line[] = top.edges.map((e) => ({ ...e, depth }));
  for (const p of top.nodes.values()) {
    const sub = inner.get(p.id);
    boxes.set(p.id, { ...p, depth, container: sub !== undefined });
    if (!sub) continue;
    const dx = p.x + (p.width - sub.width) / 2;
    const dy = p.y + CONTAINER_HEADER;
    for (const b of sub.boxes.values()) boxes.set(b.id, { ...b, x: b.x + dx, y: b.y + dy });
    for (const l of sub.lines) lines.push({ ...l, points: l.points.map(([x, y]) => [x + dx, y + dy]) });
  }
  return { boxes, lines, width: top.width, height: top.height };
}
