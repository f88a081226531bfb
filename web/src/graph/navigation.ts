/**
 * Arrow-key navigation in the topology graph: from the focused node to the nearest node in the pressed
 * direction (closest along that axis, off-axis distance weighing double).
 */

/** A box to navigate between. */
export interface NavBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Arrow directions. */
export type Direction = 'up' | 'down' | 'left' | 'right';

/** The direction of an arrow key, if `key` is one. */
export function directionOf(key: string): Direction | undefined {
  return ({ ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' } as const)[
    key as 'ArrowUp'
  ];
}

/** The id of the nearest box from `fromId` in `direction`, or `fromId` when there is none. */
export function nearest(boxes: Iterable<NavBox>, fromId: string, direction: Direction): string {
  const all = [...boxes];
  const from = all.find((b) => b.id === fromId);
  if (!from) return all[0]?.id ?? fromId;
  const cx = from.x + from.width / 2;
  const cy = from.y + from.height / 2;
  let best: { id: string; score: number } | undefined;
  for (const b of all) {
    if (b.id === fromId) continue;
    const dx = b.x + b.width / 2 - cx;
    const dy = b.y + b.height / 2 - cy;
    const along = direction === 'up' ? -dy : direction === 'down' ? dy : direction === 'left' ? -dx : dx;
    const across = direction === 'up' || direction === 'down' ? Math.abs(dx) : Math.abs(dy);
    if (along <= 1) continue;
    const score = along + 2 * across;
    if (!best || score < best.score) best = { id: b.id, score };
  }
  return best?.id ?? fromId;
}
