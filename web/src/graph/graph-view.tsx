/**
 * The topology graph: resources as boxes coloured (and labelled) by state, dependencies as arrows, expanded
 * nested stacks as containers. Pan by dragging, zoom with the wheel or the buttons; from the keyboard the graph
 * is one tab stop: arrows move between resources, Enter or Space opens one, E expands or collapses a nested
 * stack, + / − / 0 zoom and fit.
 */
import { Component } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ResourceItem } from '../api/types.js';
import { statusCategory } from '../ui/status.js';
import { compoundLayout, CONTAINER_HEADER, type Box, type CompoundLayout } from './compound.js';
import { nestedStackOf, nodeKey, topology, type TopologyInput } from './model.js';
import { directionOf, nearest } from './navigation.js';

/** A resource of the graph with the stack it belongs to. */
export interface GraphResource {
  stackId: string;
  resource: ResourceItem;
}

interface View {
  scale: number;
  tx: number;
  ty: number;
}

/** A structural signature: the layout is computed again only when it changes (not on status changes). */
function structureOf(input: TopologyInput): string {
  const parts: string[] = [[...input.expanded].sort().join(',')];
  for (const [id, items] of input.resources)
    parts.push(`${id}:${items.map((r) => `${r.resource_name}>${r.required_by.join(',')}`).join(';')}`);
  return parts.join('|');
}

/** The layout of the topology, timed (`performance` measure `hearth:graph-layout`, read by the benchmark). */
function timedLayout(input: TopologyInput): { layout: CompoundLayout; ms: number } {
  const started = performance.now();
  const layout = compoundLayout(topology(input));
  const ms = performance.now() - started;
  performance.measure('hearth:graph-layout', { start: started, duration: ms });
  return { layout, ms };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

interface NodeProps {
  box: Box;
  keyId: string;
  item: GraphResource;
  selected: boolean;
  focusable: boolean;
  paused: boolean;
  expanded: boolean;
}

/** One resource box (re-rendered only when its own props change). */
class NodeView extends Component<NodeProps> {
  override shouldComponentUpdate(next: NodeProps): boolean {
    const p = this.props;
    return (
      next.box !== p.box ||
      next.item.resource !== p.item.resource ||
      next.selected !== p.selected ||
      next.focusable !== p.focusable ||
      next.paused !== p.paused ||
      next.expanded !== p.expanded
    );
  }

  override render() {
    const { box, item, selected, focusable, paused, expanded, keyId } = this.props;
    const r = item.resource;
    const category = statusCategory(r.resource_status, paused);
    const nested = nestedStackOf(r) !== undefined;
    const label =
      `${r.resource_name}, ${r.resource_type}, ${r.resource_status}` +
      (paused ? ', paused at a hook' : '') +
      (nested ? (expanded ? ', nested stack shown' : ', nested stack (press E to show)') : '');
    return (
      <g
        class={`node status-${category}${selected ? ' selected' : ''}${box.container ? ' container' : ''}`}
        transform={`translate(${box.x},${box.y})`}
        role="button"
        tabindex={focusable ? 0 : -1}
        aria-label={label}
        aria-pressed={selected}
        data-key={keyId}
        data-name={r.resource_name}
        data-status={r.resource_status}
      >
        <title>{`${r.resource_name} (${r.resource_type})\n${r.resource_status}: ${r.resource_status_reason}`}</title>
        <rect class="node-box" width={box.width} height={box.height} rx={6} />
        {box.container ? (
          <rect class="node-header" width={box.width} height={CONTAINER_HEADER - 4} rx={6} />
        ) : null}
        <rect
          class="node-stripe"
          width={6}
          height={box.container ? CONTAINER_HEADER - 4 : box.height}
          rx={3}
        />
        <text class="node-name" x={14} y={19}>
          {truncate(r.resource_name, 22)}
        </text>
        <text class="node-meta" x={14} y={36}>
          {truncate(`${r.resource_status}${paused ? ' · paused' : ''}`, 30)}
        </text>
        {nested ? (
          <text class="node-toggle" x={box.width - 16} y={19} aria-hidden="true">
            {expanded ? '−' : '+'}
          </text>
        ) : null}
      </g>
    );
  }
}

/** The graph with its controls. */
export function GraphView(props: {
  input: TopologyInput;
  selected?: string;
  pausedKeys: ReadonlySet<string>;
  /** The statuses are not live (the feed is interrupted or the stack is gone): say so. */
  stale?: boolean;
  onSelect(key: string, item: GraphResource): void;
  onToggle(item: GraphResource): void;
}) {
  const structure = structureOf(props.input);
  const { layout, ms } = useMemo(() => timedLayout(props.input), [structure]);
  const items = new Map<string, GraphResource>();
  for (const [stackId, list] of props.input.resources)
    for (const resource of list) items.set(nodeKey(stackId, resource.resource_name), { stackId, resource });
  const svgRef = useRef<SVGSVGElement>(null);
  const [view, setView] = useState<View>({ scale: 1, tx: 0, ty: 0 });
  const [focusKey, setFocusKey] = useState<string | undefined>(undefined);
  const drag = useRef<{ x: number; y: number; tx: number; ty: number; moved: boolean } | undefined>(
    undefined,
  );

  /** Whether the user moved the view (then resizes and new layouts keep it). */
  const moved = useRef(false);
  const fit = () => {
    moved.current = false;
    const svg = svgRef.current;
    if (!svg) return;
    const w = svg.clientWidth || 800;
    const h = svg.clientHeight || 500;
    const scale = Math.min(
      1.2,
      Math.max(0.05, Math.min((w - 32) / (layout.width || 1), (h - 32) / (layout.height || 1))),
    );
    setView({ scale, tx: (w - layout.width * scale) / 2, ty: Math.max(16, (h - layout.height * scale) / 2) });
  };
  useEffect(() => {
    if (!moved.current) fit();
    const svg = svgRef.current;
    if (!svg || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (!moved.current) fit();
    });
    observer.observe(svg);
    return () => observer.disconnect();
  }, [layout]);

  const zoom = (factor: number, cx?: number, cy?: number) => {
    const svg = svgRef.current;
    const x = cx ?? (svg?.clientWidth ?? 800) / 2;
    const y = cy ?? (svg?.clientHeight ?? 500) / 2;
    moved.current = true;
    setView((v) => {
      const scale = Math.min(4, Math.max(0.03, v.scale * factor));
      const k = scale / v.scale;
      return { scale, tx: x - (x - v.tx) * k, ty: y - (y - v.ty) * k };
    });
  };

  const reveal = (key: string) => {
    const b = layout.boxes.get(key);
    const svg = svgRef.current;
    if (!b || !svg) return;
    setView((v) => {
      const left = b.x * v.scale + v.tx;
      const top = b.y * v.scale + v.ty;
      const w = svg.clientWidth;
      const h = svg.clientHeight;
      let { tx, ty } = v;
      if (left < 8 || left + b.width * v.scale > w - 8) tx = w / 2 - (b.x + b.width / 2) * v.scale;
      if (top < 8 || top + b.height * v.scale > h - 8) ty = h / 2 - (b.y + b.height / 2) * v.scale;
      if (tx !== v.tx || ty !== v.ty) moved.current = true;
      return { ...v, tx, ty };
    });
  };

  const keyOf = (target: EventTarget | null) =>
    (target as Element | null)?.closest?.('[data-key]')?.getAttribute('data-key') ?? undefined;
  const firstKey = layout.boxes.keys().next().value as string | undefined;
  const current =
    focusKey && layout.boxes.has(focusKey)
      ? focusKey
      : props.selected && layout.boxes.has(props.selected)
        ? props.selected
        : firstKey;

  const onKeyDown = (e: KeyboardEvent) => {
    const dir = directionOf(e.key);
    if (dir && current) {
      const next = nearest(layout.boxes.values(), current, dir);
      setFocusKey(next);
      reveal(next);
      requestAnimationFrame(() =>
        svgRef.current?.querySelector<SVGGElement>(`[data-key="${CSS.escape(next)}"]`)?.focus(),
      );
    } else if ((e.key === 'Enter' || e.key === ' ') && current) {
      const item = items.get(keyOf(e.target) ?? current);
      if (item) props.onSelect(nodeKey(item.stackId, item.resource.resource_name), item);
    } else if ((e.key === 'e' || e.key === 'E') && current) {
      const item = items.get(keyOf(e.target) ?? current);
      if (item && nestedStackOf(item.resource)) props.onToggle(item);
    } else if (e.key === '+' || e.key === '=') zoom(1.25);
    else if (e.key === '-') zoom(0.8);
    else if (e.key === '0') fit();
    else return;
    e.preventDefault();
  };

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, y: e.clientY, tx: view.tx, ty: view.ty, moved: false };
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    d.moved = true;
    moved.current = true;
    setView((v) => ({ ...v, tx: d.tx + dx, ty: d.ty + dy }));
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag.current;
    drag.current = undefined;
    if (d?.moved) return;
    const key = keyOf(e.target);
    const item = key ? items.get(key) : undefined;
    if (!key || !item) return;
    const toggle = (e.target as Element).classList?.contains('node-toggle');
    setFocusKey(key);
    if (toggle) props.onToggle(item);
    else props.onSelect(key, item);
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const rect = svgRef.current!.getBoundingClientRect();
    zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - rect.left, e.clientY - rect.top);
  };

  const count = layout.boxes.size;
  return (
    <div class={`graph${props.stale ? ' stale' : ''}`}>
      <div class="graph-toolbar" role="toolbar" aria-label="Graph view">
        <button type="button" class="secondary" onClick={() => zoom(1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" class="secondary" onClick={() => zoom(0.8)} aria-label="Zoom out">
          −
        </button>
        <button type="button" class="secondary" onClick={fit}>
          Fit
        </button>
        {props.stale ? <strong class="stale-label">Last known state, not live</strong> : null}
        <span class="muted graph-info">
          {count} {count === 1 ? 'resource' : 'resources'} · laid out in {ms.toFixed(0)} ms · arrows move,
          Enter opens, E expands
        </span>
        <Legend />
      </div>
      <svg
        ref={svgRef}
        class="graph-canvas"
        role="group"
        aria-label={`Topology graph of ${count} resources`}
        data-layout-ms={ms.toFixed(1)}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => (drag.current = undefined)}
        onWheel={onWheel}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
          </marker>
        </defs>
        <g transform={`translate(${view.tx},${view.ty}) scale(${view.scale})`}>
          {[...layout.boxes.values()]
            .filter((b) => b.container)
            .map((b) => (
              <rect
                key={`c-${b.id}`}
                class="container-body"
                x={b.x}
                y={b.y}
                width={b.width}
                height={b.height}
                rx={8}
              />
            ))}
          <g class="edges">
            {layout.lines.map((l) => {
              const [[x1, y1], [x2, y2]] = [l.points[0]!, l.points[l.points.length - 1]!];
              const dy = Math.max(20, (y2 - y1) / 2);
              return (
                <path
                  key={`${l.from}>${l.to}`}
                  d={`M${x1},${y1} C${x1},${y1 + dy} ${x2},${y2 - dy} ${x2},${y2 - 2}`}
                  marker-end="url(#arrow)"
                />
              );
            })}
          </g>
          {[...layout.boxes.values()].map((b) => {
            const item = items.get(b.id);
            if (!item) return null;
            return (
              <NodeView
                key={b.id}
                keyId={b.id}
                box={b}
                item={item}
                selected={props.selected === b.id}
                focusable={current === b.id}
                paused={props.pausedKeys.has(b.id)}
                expanded={props.input.expanded.has(b.id)}
              />
            );
          })}
        </g>
      </svg>
    </div>
  );
}

/** What the colours mean. */
function Legend() {
  const entries: [string, string][] = [
    ['init', 'not created'],
    ['progress', 'in progress'],
    ['complete', 'complete'],
    ['failed', 'failed'],
    ['paused', 'paused at a hook'],
  ];
  return (
    <ul class="legend" aria-label="Legend">
      {entries.map(([c, text]) => (
        <li key={c}>
          <span class={`swatch status-${c}`} aria-hidden="true" />
          {text}
        </li>
      ))}
    </ul>
  );
}
