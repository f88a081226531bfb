/**
 * A layered (Sugiyama-style) layout of a directed graph, small and fast enough for 1000-node stacks in well
 * under a second: ranks by longest path (dependencies above their dependents), order within ranks by barycenter
 * sweeps, wide ranks wrapped into several rows, and x positions that keep each node near its neighbours
 * (isotonic regression under the no-overlap constraint). Cycles (which a Heat stack cannot have) are tolerated.
 */

/** A node to place; sizes in pixels. */
export interface LayoutNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/** `from` is placed above `to` (a dependency above what requires it). */
export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
}

/** Spacing of a layout. */
export interface LayoutOptions {
  /** Horizontal gap between nodes of a row; default 24. */
  nodeGap: number;
  /** Vertical gap between rows; default 56. */
  rowGap: number;
  /** Nodes per row before a rank wraps; default grows with the graph (√n × 2, 12 to 40). */
  maxPerRow?: number;
  /** Barycenter sweeps; default 4. */
  sweeps: number;
}

/** A placed node: top-left corner and size. */
export interface PlacedNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A placed edge: from the bottom centre of its source to the top centre of its target. */
export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly [x: number, y: number][];
}

/** The result: positions, edges and the bounding size. */
export interface Layout {
  readonly nodes: ReadonlyMap<string, PlacedNode>;
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

const DEFAULTS: LayoutOptions = { nodeGap: 24, rowGap: 56, sweeps: 4 };

/** Lays out `nodes` and `edges` (edges naming unknown nodes and self-loops are ignored). */
export function layeredLayout(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  options: Partial<LayoutOptions> = {},
): Layout {
  const opts = { ...DEFAULTS, ...options };
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const preds: number[][] = nodes.map(() => []);
  const succs: number[][] = nodes.map(() => []);
  const seen = new Set<string>();
  for (const e of edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    const key = `${a}>${b}`;
    if (a === undefined || b === undefined || a === b || seen.has(key)) continue;
    seen.add(key);
    succs[a]!.push(b);
    preds[b]!.push(a);
  }
  const rank = assignRanks(preds, succs);
  const ranks = orderRanks(rank, preds, succs, opts.sweeps);
  const maxPerRow = opts.maxPerRow ?? Math.min(40, Math.max(12, Math.ceil(Math.sqrt(nodes.length) * 2)));
  const rows = ranks.flatMap((r) => chunk(r, maxPerRow));
  const xs = placeRows(rows, nodes, preds, succs, opts.nodeGap);

  const placed = new Map<string, PlacedNode>();
  let y = 0;
  let width = 0;
  for (const row of rows) {
    const rowHeight = Math.max(...row.map((i) => nodes[i]!.height));
    for (const i of row) {
      const n = nodes[i]!;
      placed.set(n.id, {
        id: n.id,
        x: xs[i]!,
        y: y + (rowHeight - n.height) / 2,
        width: n.width,
        height: n.height,
      });
      width = Math.max(width, xs[i]! + n.width);
    }
    y += rowHeight + opts.rowGap;
  }
  const placedEdges: PlacedEdge[] = [];
  for (let a = 0; a < nodes.length; a++) {
    for (const b of succs[a]!) {
      const s = placed.get(nodes[a]!.id)!;
      const t = placed.get(nodes[b]!.id)!;
      placedEdges.push({
        from: s.id,
        to: t.id,
        points: [
          [s.x + s.width / 2, s.y + s.height],
          [t.x + t.width / 2, t.y],
        ],
      });
    }
  }
  return { nodes: placed, edges: placedEdges, width, height: Math.max(0, y - opts.rowGap) };
}

/**
 * Longest-path ranks (Kahn's order; nodes left on a cycle are released one at a time), then sources pulled down
 * next to their highest dependent so that independent branches do not all start at the top.
 */
function assignRanks(preds: number[][], succs: number[][]): number[] {
  const n = preds.length;
  const rank = new Array<number>(n).fill(0);
  const indegree = preds.map((p) => p.length);
  const done = new Array<boolean>(n).fill(false);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  let processed = 0;
  let head = 0;
  while (processed < n) {
    if (head === queue.length) {
      // A cycle: release the unprocessed node with the fewest unprocessed predecessors.
      let pick = -1;
      for (let i = 0; i < n; i++) if (!done[i] && (pick < 0 || indegree[i]! < indegree[pick]!)) pick = i;
      indegree[pick] = 0;
      queue.push(pick);
    }
    const v = queue[head++]!;
    if (done[v]) continue;
    done[v] = true;
    processed++;
    for (const w of succs[v]!) {
      if (done[w]) continue;
      rank[w] = Math.max(rank[w]!, rank[v]! + 1);
      if (--indegree[w]! === 0) queue.push(w);
    }
  }
  for (let i = 0; i < n; i++) {
    if (preds[i]!.length === 0 && succs[i]!.length > 0) {
      const below = Math.min(...succs[i]!.map((s) => rank[s]!));
      if (below - 1 > rank[i]!) rank[i] = below - 1;
    }
  }
  return rank;
}

/** Nodes per rank, ordered to reduce crossings (barycenters of the neighbours in the adjacent rank). */
function orderRanks(rank: number[], preds: number[][], succs: number[][], sweeps: number): number[][] {
  const count = rank.length === 0 ? 0 : Math.max(...rank) + 1;
  const ranks: number[][] = Array.from({ length: count }, () => []);
  rank.forEach((r, i) => ranks[r]!.push(i));
  const pos = new Array<number>(rank.length).fill(0);
  const renumber = (r: number[]) => r.forEach((v, i) => (pos[v] = i));
  ranks.forEach(renumber);
  const sortBy = (r: number[], neighbours: number[][]) => {
    const key = new Map<number, number>();
    for (const v of r) {
      const ns = neighbours[v]!;
      key.set(v, ns.length ? ns.reduce((s, u) => s + pos[u]!, 0) / ns.length : pos[v]!);
    }
    r.sort((a, b) => key.get(a)! - key.get(b)! || pos[a]! - pos[b]!);
    renumber(r);
  };
  for (let s = 0; s < sweeps; s++) {
    if (s % 2 === 0) for (let i = 1; i < count; i++) sortBy(ranks[i]!, preds);
    else for (let i = count - 2; i >= 0; i--) sortBy(ranks[i]!, succs);
  }
  return ranks;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [];
}

/**
 * x of every node: rows packed left to right, then three passes (down, up, down) moving each row's nodes as
 * close as the no-overlap constraint allows to the mean centre of their neighbours in the rows already placed.
 */
function placeRows(
  rows: number[][],
  nodes: readonly LayoutNode[],
  preds: number[][],
  succs: number[][],
  gap: number,
): number[] {
  const x = new Array<number>(nodes.length).fill(0);
  const rowWidth = (row: number[]) => row.reduce((s, i) => s + nodes[i]!.width, 0) + gap * (row.length - 1);
  const widest = Math.max(0, ...rows.map(rowWidth));
  for (const row of rows) {
    let at = (widest - rowWidth(row)) / 2;
    for (const i of row) {
      x[i] = at;
      at += nodes[i]!.width + gap;
    }
  }
  const centre = (i: number) => x[i]! + nodes[i]!.width / 2;
  const pass = (order: number[][], neighbours: (i: number) => number[]) => {
    for (const row of order) {
      const desired = row.map((i) => {
        const ns = neighbours(i);
        return ns.length ? ns.reduce((s, u) => s + centre(u), 0) / ns.length - nodes[i]!.width / 2 : x[i]!;
      });
      const weights = row.map((i) => (neighbours(i).length ? 1 : 0.05));
      const solved = packNear(
        row.map((i) => nodes[i]!.width),
        desired,
        weights,
        gap,
      );
      row.forEach((i, k) => (x[i] = solved[k]!));
    }
  };
  pass(rows, (i) => preds[i]!);
  pass([...rows].reverse(), (i) => succs[i]!);
  pass(rows, (i) => [...preds[i]!, ...succs[i]!]);
  const minX = Math.min(0, ...x);
  return x.map((v) => v - minX);
}

/**
 * Positions as close as possible (weighted least squares) to `desired`, keeping order and `gap`: with
 * `y_i = x_i − offset_i` the constraint is `y` non-decreasing, solved exactly by pool-adjacent-violators.
 */
export function packNear(widths: number[], desired: number[], weights: number[], gap: number): number[] {
  const offsets: number[] = [];
  let acc = 0;
  for (const w of widths) {
    offsets.push(acc);
    acc += w + gap;
  }
  const blocks: { value: number; weight: number; count: number }[] = [];
  desired.forEach((d, i) => {
    blocks.push({ value: d - offsets[i]!, weight: weights[i]!, count: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2]!.value > blocks[blocks.length - 1]!.value) {
      const b = blocks.pop()!;
      const a = blocks.pop()!;
      const weight = a.weight + b.weight;
      blocks.push({
        value: (a.value * a.weight + b.value * b.weight) / weight,
        weight,
        count: a.count + b.count,
      });
    }
  });
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.count; k++) out.push(b.value + offsets[out.length]!);
  return out;
}
