import { describe, expect, it } from 'vitest';
import { compoundLayout } from './compound.js';
import { layeredLayout, packNear } from './layout.js';
import { nearest } from './navigation.js';

const node = (id: string) => ({ id, width: 100, height: 40 });

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** A random DAG: node i depends on up to 3 earlier nodes. */
function randomDag(n: number, seed = 7) {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const nodes = Array.from({ length: n }, (_, i) => node(`r${i}`));
  const edges = [];
  for (let i = 1; i < n; i++) {
    const k = Math.floor(rnd() * 4);
    for (let j = 0; j < k; j++) edges.push({ from: `r${Math.floor(rnd() * i)}`, to: `r${i}` });
  }
  return { nodes, edges };
}

describe('layeredLayout', () => {
  it('places every dependency above what requires it', () => {
    const { nodes, edges } = randomDag(200);
    const l = layeredLayout(nodes, edges);
    expect(l.nodes.size).toBe(200);
    for (const e of edges) expect(l.nodes.get(e.from)!.y).toBeLessThan(l.nodes.get(e.to)!.y);
  });

  it('never overlaps two nodes', () => {
    const { nodes, edges } = randomDag(300, 11);
    const placed = [...layeredLayout(nodes, edges).nodes.values()];
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i]!, placed[j]!)).toBe(false);
  });

  it('wraps a wide rank into rows (1000 independent resources make a grid, not a line)', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`n${i}`));
    const l = layeredLayout(nodes, []);
    expect(l.width).toBeLessThan(40 * 130);
    expect(l.height).toBeGreaterThan(20 * 40);
  });

  it('lays out a 1000-node DAG in well under 2 s', () => {
    const { nodes, edges } = randomDag(1000, 3);
    const t = performance.now();
    layeredLayout(nodes, edges);
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('tolerates cycles, self-loops and edges to unknown nodes', () => {
    const l = layeredLayout(
      [node('a'), node('b'), node('c')],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
        { from: 'a', to: 'a' },
        { from: 'a', to: 'zzz' },
      ],
    );
    expect(l.nodes.size).toBe(3);
    expect(l.edges).toHaveLength(3);
  });

  it('centres a single dependent under its two dependencies', () => {
    const l = layeredLayout(
      [node('a'), node('b'), node('c')],
      [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ],
    );
    const [a, b, c] = ['a', 'b', 'c'].map((id) => l.nodes.get(id)!);
    expect(c!.x + 50).toBeCloseTo((a!.x + b!.x + 100) / 2, 5);
  });
});

describe('packNear', () => {
  it('keeps order and gaps and stays as close as possible to the wishes', () => {
    expect(packNear([10, 10], [0, 0], [1, 1], 5)).toEqual([-7.5, 7.5]);
    expect(packNear([10, 10], [0, 100], [1, 1], 5)).toEqual([0, 100]);
  });
});

describe('compoundLayout', () => {
  it('puts an expanded nested stack inside its owner', () => {
    const inner = { nodes: [node('c1'), node('c2')], edges: [{ from: 'c1', to: 'c2' }] };
    const l = compoundLayout({
      nodes: [node('a'), { ...node('grp'), inner }],
      edges: [{ from: 'a', to: 'grp' }],
    });
    const grp = l.boxes.get('grp')!;
    expect(grp.container).toBe(true);
    for (const id of ['c1', 'c2']) {
      const b = l.boxes.get(id)!;
      expect(b.depth).toBe(1);
      expect(b.x).toBeGreaterThanOrEqual(grp.x);
      expect(b.x + b.width).toBeLessThanOrEqual(grp.x + grp.width);
      expect(b.y).toBeGreaterThan(grp.y);
      expect(b.y + b.height).toBeLessThanOrEqual(grp.y + grp.height);
    }
    expect(l.lines.map((x) => `${x.from}>${x.to}`).sort()).toEqual(['a>grp', 'c1>c2']);
  });
});

describe('nearest', () => {
  const boxes = [
    { id: 'a', x: 0, y: 0, width: 10, height: 10 },
    { id: 'b', x: 100, y: 0, width: 10, height: 10 },
    { id: 'c', x: 0, y: 100, width: 10, height: 10 },
    { id: 'd', x: 90, y: 100, width: 10, height: 10 },
  ];
  it('moves to the closest node in the direction', () => {
    expect(nearest(boxes, 'a', 'right')).toBe('b');
    expect(nearest(boxes, 'a', 'down')).toBe('c');
    expect(nearest(boxes, 'b', 'down')).toBe('d');
    expect(nearest(boxes, 'a', 'up')).toBe('a');
  });
});
