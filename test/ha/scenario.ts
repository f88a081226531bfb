/**
 * The HA scenario's parts: the 500-resource template, a client that polls through the load balancer and records
 * every answer, and the database checks that every resource exists exactly once.
 */
import type { PrivateDatabase } from './private-db.js';

/** Shape of {@link haTemplate}'s stack. */
export interface HaShape {
  /** Chained ResourceGroups (each waits for the previous one). */
  groups: number;
  /** Members per group (OS::Heat::TestResource waiting `waitSecs` on create). */
  members: number;
  waitSecs: number;
  /** Plain resources beside the groups (TestResource, RandomString, Value, None). */
  plain: number;
}

/** 8 groups × 50 members + 8 groups + 92 plain = 500 resources; at least 8 × 2.5 s = 20 s to create. */
export const HA_SHAPE: HaShape = { groups: 8, members: 50, waitSecs: 2.5, plain: 92 };

/** Resources of the whole stack tree (groups, their members, plain ones). */
export function resourceCount(shape: HaShape): number {
  return shape.groups * (shape.members + 1) + shape.plain;
}

/** A template of chained ResourceGroups of waiting TestResources, plus plain resources depending on them. */
export function haTemplate(shape: HaShape): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let g = 0; g < shape.groups; g++) {
    resources[`g${g}`] = {
      type: 'OS::Heat::ResourceGroup',
      properties: {
        count: shape.members,
        resource_def: {
          type: 'OS::Heat::TestResource',
          properties: { value: `g${g}-%index%`, action_wait_secs: { create: shape.waitSecs } },
        },
      },
      ...(g > 0 ? { depends_on: [`g${g - 1}`] } : {}),
    };
  }
  const kinds = ['OS::Heat::TestResource', 'OS::Heat::RandomString', 'OS::Heat::Value', 'OS::Heat::None'];
  for (let p = 0; p < shape.plain; p++) {
    const type = kinds[p % kinds.length]!;
    const properties =
      type === 'OS::Heat::TestResource'
        ? { value: `p${p}` }
        : type === 'OS::Heat::RandomString'
          ? { length: 24 }
          : type === 'OS::Heat::Value'
            ? { value: `p${p}` }
            : {};
    resources[`p${p}`] = {
      type,
      properties,
      // Spread the plain resources over the create: each waits for one of the groups.
      depends_on: [`g${p % shape.groups}`],
    };
  }
  return {
    heat_template_version: '2021-04-16',
    resources,
    outputs: { last: { value: { get_attr: [`g${shape.groups - 1}`, 'refs'] } } },
  };
}

/** One answer (or failure) seen by the client. */
export interface Seen {
  at: number;
  what: string;
  /** How long the request took (ms). */
  ms: number;
  status: number | 'network-error';
  detail?: string;
}

/** Polls URLs through the load balancer until stopped, recording every answer. */
export class Client {
  readonly seen: Seen[] = [];
  /** The newest stack status seen. */
  stackStatus = '';
  #stopped = false;
  readonly #loops: Promise<void>[] = [];

  /** Polls `url` every `periodMs` as `what`; `onBody` sees each 200 answer's JSON. */
  poll(what: string, url: string, periodMs: number, onBody?: (body: any) => void): void {
    this.#loops.push(
      (async () => {
        while (!this.#stopped) {
          const at = Date.now();
          try {
            const r = await fetch(url, { headers: { accept: 'application/json' } });
            const text = await r.text();
            const seen: Seen = { at, what, ms: Date.now() - at, status: r.status };
            if (r.status >= 400) seen.detail = text.slice(0, 300);
            this.seen.push(seen);
            if (r.status === 200 && onBody) onBody(JSON.parse(text));
          } catch (e) {
            this.seen.push({ at, what, ms: Date.now() - at, status: 'network-error', detail: String(e) });
          }
          await new Promise((r) => setTimeout(r, periodMs));
        }
      })(),
    );
  }

  /** Answers by status (`network-error` for failed requests). */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const s of this.seen) counts[String(s.status)] = (counts[String(s.status)] ?? 0) + 1;
    return counts;
  }

  /** Answers that were 5xx or no answer at all. */
  failures(): Seen[] {
    return this.seen.filter((s) => s.status === 'network-error' || s.status >= 500);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }
}

/** Waits until `check` returns a value (not undefined), polling every 100 ms. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the database holds for a stack tree, for the exactly-once checks. */
export interface TreeFacts {
  stacks: {
    id: string;
    parent_id: string | null;
    owner_resource: string | null;
    action: string;
    status: string;
    deleted_at: string | null;
  }[];
  resources: {
    id: string;
    stack_id: string;
    name: string;
    type: string;
    action: string;
    status: string;
    physical_id: string | null;
    current: number;
  }[];
  /** Tasks left in `engine_tasks` for the root stack. */
  tasksLeft: number;
}

/** Reads every stack (deleted ones too) and resource row of the tree of `rootId`. */
export async function readTree(db: PrivateDatabase, rootId: string): Promise<TreeFacts> {
  const stacks = await db.query<TreeFacts['stacks'][number]>(
    'SELECT id, parent_id, owner_resource, action, status, deleted_at FROM stacks WHERE root_id = ?',
    [rootId],
  );
  const resources = (
    await db.query<TreeFacts['resources'][number]>(
      'SELECT r.id, r.stack_id, r.name, r.type, r.action, r.status, r.physical_id, r.current FROM resources r ' +
        'JOIN stacks s ON s.id = r.stack_id WHERE s.root_id = ?',
      [rootId],
    )
  ).map((r) => ({ ...r, current: Number(r.current) }));
  const [tasks] = await db.query<{ n: number | string }>(
    'SELECT count(*) AS n FROM engine_tasks WHERE stack_id = ?',
    [rootId],
  );
  return { stacks, resources, tasksLeft: Number(tasks?.n ?? 0) };
}

/** Duplicated values of a list (each once). */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** Percentile (0–100) of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
