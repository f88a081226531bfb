/**
 * The stack the crash test drives: a model of a ~200-resource HOT template (layers of OS::Heat::TestResource
 * with small waits, `depends_on` and `get_attr` links between layers, and a nested OS::Heat::ResourceGroup),
 * seeded random mutations of it (in-place changes, replacements, additions, removals, group resizes), and what
 * the stack must look like once an action on it finished: resource names, output values, which resources were
 * replaced.
 */
import type { Prng } from './prng.js';

/** One top-level OS::Heat::TestResource. */
export interface ResourceSpec {
  readonly name: string;
  readonly layer: number;
  /** Bumped by every change of `value`; the value is `<name>@<tag>` (plus the linked resource's value). */
  tag: number;
  /** The `update_replace` property: a `value` change then replaces the resource. */
  replaceOnChange: boolean;
  waitSecs: number;
  deleteWaitSecs: number;
  dependsOn: string[];
  /** A resource whose `output` attribute is folded into this one's value (`get_attr`). */
  attrFrom: string | null;
  /** `fail: true` — the resource's create fails (the failing addition of a rollback round). */
  fail: boolean;
  /** Depends on every other resource, the group included (a failure after everything else is done). */
  afterAll?: boolean;
}

/** The ResourceGroup `grp` (members `0 … count-1`, each a TestResource valued `m<index>@g<tag>`). */
export interface GroupSpec {
  count: number;
  tag: number;
  replaceOnChange: boolean;
  waitSecs: number;
  dependsOn: string[];
}

/** The whole stack. */
export interface StackModel {
  readonly resources: Map<string, ResourceSpec>;
  group: GroupSpec;
  /** Counter for fresh resource names (names are never reused). */
  nextId: number;
}

/** What an update changes, as planned by {@link mutate}. */
export interface Mutation {
  readonly inPlace: string[];
  readonly replaced: string[];
  readonly added: string[];
  readonly removed: string[];
  readonly groupResize: number;
  readonly groupChange: 'none' | 'in-place' | 'replace';
  /** The failing addition (rollback rounds). */
  readonly failing: string | null;
}

/** Sizes of the generated stack. */
export const LAYERS = 4;
export const PER_LAYER = 40;
export const GROUP_COUNT = 39;
/** Name of the ResourceGroup resource. */
export const GROUP = 'grp';
const GROUP_MIN = 30;
const GROUP_MAX = 45;

/** A fresh model: LAYERS × PER_LAYER TestResources + the group of GROUP_COUNT members (200 resources). */
export function initialModel(rng: Prng): StackModel {
  const model: StackModel = {
    resources: new Map(),
    group: { count: GROUP_COUNT, tag: 0, replaceOnChange: false, waitSecs: 0, dependsOn: [] },
    nextId: 0,
  };
  for (let layer = 0; layer < LAYERS; layer++) {
    for (let i = 0; i < PER_LAYER; i++) addResource(model, rng, layer);
  }
  model.group.waitSecs = round2(rng.float(0.05, 0.3));
  model.group.dependsOn = rng.sample(namesInLayer(model, 1), 2);
  return model;
}

/** Total number of resources (top-level, the group, and its members). */
export function resourceCount(model: StackModel): number {
  return model.resources.size + 1 + model.group.count;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function namesInLayer(model: StackModel, layer: number): string[] {
  return [...model.resources.values()].filter((r) => r.layer === layer && !r.fail).map((r) => r.name);
}

function addResource(model: StackModel, rng: Prng, layer: number, fail = false): ResourceSpec {
  const name = `${fail ? 'boom' : 'r'}${layer}_${model.nextId++}`;
  const below = layer > 0 ? namesInLayer(model, layer - 1) : [];
  const spec: ResourceSpec = {
    name,
    layer,
    tag: 0,
    replaceOnChange: rng.chance(0.3),
    waitSecs: round2(rng.float(0.05, 0.3)),
    deleteWaitSecs: round2(rng.float(0, 0.1)),
    dependsOn: below.length > 0 ? rng.sample(below, rng.int(1, 3)) : [],
    attrFrom: below.length > 0 && rng.chance(0.5) ? rng.pick(below) : null,
    fail,
  };
  model.resources.set(name, spec);
  return spec;
}

/** A deep copy. */
export function cloneModel(model: StackModel): StackModel {
  return {
    resources: new Map([...model.resources].map(([k, v]) => [k, { ...v, dependsOn: [...v.dependsOn] }])),
    group: { ...model.group, dependsOn: [...model.group.dependsOn] },
    nextId: model.nextId,
  };
}

/** The value (and `output` attribute) a resource must have. */
export function expectedValue(model: StackModel, name: string): string {
  const spec = model.resources.get(name);
  if (!spec) throw new Error(`no resource ${name}`);
  const own = `${name}@${spec.tag}`;
  return spec.attrFrom ? `${own}(${expectedValue(model, spec.attrFrom)})` : own;
}

/** The values of the group's members, in index order. */
export function expectedMemberValues(model: StackModel): string[] {
  return Array.from({ length: model.group.count }, (_, i) => `m${i}@g${model.group.tag}`);
}

/** Names of the top-level TestResources, in template order. */
export function resourceNames(model: StackModel): string[] {
  return [...model.resources.keys()];
}

/** The HOT template of the model. */
export function renderTemplate(model: StackModel): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const r of model.resources.values()) {
    const own = `${r.name}@${r.tag}`;
    const value = r.attrFrom
      ? { list_join: ['', [own, '(', { get_attr: [r.attrFrom, 'output'] }, ')']] }
      : own;
    resources[r.name] = {
      type: 'OS::Heat::TestResource',
      properties: {
        value,
        update_replace: r.replaceOnChange,
        wait_secs: r.waitSecs,
        action_wait_secs: { delete: r.deleteWaitSecs },
        ...(r.fail ? { fail: true } : {}),
      },
      ...(r.afterAll
        ? { depends_on: [...[...model.resources.keys()].filter((n) => n !== r.name), GROUP] }
        : r.dependsOn.length > 0
          ? { depends_on: r.dependsOn }
          : {}),
    };
  }
  const g = model.group;
  resources[GROUP] = {
    type: 'OS::Heat::ResourceGroup',
    properties: {
      count: g.count,
      resource_def: {
        type: 'OS::Heat::TestResource',
        properties: {
          value: `m%index%@g${g.tag}`,
          update_replace: g.replaceOnChange,
          wait_secs: g.waitSecs,
          action_wait_secs: { delete: 0.05 },
        },
      },
    },
    ...(g.dependsOn.length > 0 ? { depends_on: g.dependsOn } : {}),
  };
  const live = [...model.resources.values()].filter((r) => !r.fail).map((r) => r.name);
  return {
    heat_template_version: '2021-04-16',
    description: 'Hearth crash-convergence stack',
    resources,
    outputs: {
      values: { value: live.map((n) => ({ get_attr: [n, 'output'] })) },
      group_values: { value: { get_attr: [GROUP, 'output'] } },
      group_refs: { value: { get_attr: [GROUP, 'refs'] } },
    },
  };
}

/** Expected output values of a model (what `renderTemplate`'s outputs resolve to, refs aside). */
export function expectedOutputs(model: StackModel): { values: string[]; group_values: string[] } {
  return {
    values: [...model.resources.values()].filter((r) => !r.fail).map((r) => expectedValue(model, r.name)),
    group_values: expectedMemberValues(model),
  };
}

/** Where the failing resource of a rollback round sits. */
export type FailurePlacement = 'early' | 'late';

/**
 * Applies a random update to `model` (in place) and says what it changes. With `failing`, also adds a
 * resource whose create fails: `early` puts it in a random layer (it fails while other resources are still
 * being updated); `late` makes it depend on every other resource (it fails once the whole update is done, so
 * the rollback has everything to undo).
 */
export function mutate(model: StackModel, rng: Prng, options: { failing?: FailurePlacement } = {}): Mutation {
  const before = cloneModel(model);
  const pool = () => [...model.resources.values()].filter((r) => !r.fail).map((r) => r.name);
  const removed = rng.sample(pool(), rng.int(0, 5));
  for (const name of removed) model.resources.delete(name);
  for (const r of model.resources.values()) {
    r.dependsOn = r.dependsOn.filter((d) => model.resources.has(d));
    if (r.attrFrom && !model.resources.has(r.attrFrom)) r.attrFrom = null;
  }
  model.group.dependsOn = model.group.dependsOn.filter((d) => model.resources.has(d));
  const inPlaceTargets = rng.sample(pool(), rng.int(3, 10));
  for (const name of inPlaceTargets) {
    const r = model.resources.get(name)!;
    r.tag++;
    r.replaceOnChange = false;
  }
  const replaceTargets = rng.sample(
    pool().filter((n) => !inPlaceTargets.includes(n)),
    rng.int(2, 6),
  );
  for (const name of replaceTargets) {
    const r = model.resources.get(name)!;
    r.tag++;
    r.replaceOnChange = true;
  }
  const added: string[] = [];
  for (let i = rng.int(0, 5); i > 0; i--) added.push(addResource(model, rng, rng.int(0, LAYERS - 1)).name);
  let failing: string | null = null;
  if (options.failing) {
    const spec = addResource(model, rng, rng.int(1, LAYERS - 1), true);
    if (options.failing === 'late') {
      spec.dependsOn = [];
      spec.attrFrom = null;
      spec.afterAll = true;
    }
    failing = spec.name;
  }
  let groupResize = 0;
  if (rng.chance(0.5)) {
    const target = Math.min(GROUP_MAX, Math.max(GROUP_MIN, model.group.count + rng.int(-4, 4)));
    groupResize = target - model.group.count;
    model.group.count = target;
  }
  let groupChange: Mutation['groupChange'] = 'none';
  if (rng.chance(0.3)) {
    model.group.tag++;
    model.group.replaceOnChange = rng.chance(0.4);
    groupChange = model.group.replaceOnChange ? 'replace' : 'in-place';
  }
  const { inPlace, replaced } = classifyChanges(before, model);
  return { inPlace, replaced, added, removed, groupResize, groupChange, failing };
}

/**
 * Splits the resources present before and after an update into in-place updated and replaced ones, following
 * the `get_attr` links (a changed value propagates to the resources that fold it in).
 */
export function classifyChanges(
  before: StackModel,
  after: StackModel,
): { inPlace: string[]; replaced: string[] } {
  const inPlace: string[] = [];
  const replaced: string[] = [];
  for (const [name, spec] of after.resources) {
    const old = before.resources.get(name);
    if (!old) continue;
    const valueChanged = expectedValue(before, name) !== expectedValue(after, name);
    if (valueChanged && spec.replaceOnChange) replaced.push(name);
    else if (valueChanged || old.replaceOnChange !== spec.replaceOnChange) inPlace.push(name);
  }
  return { inPlace, replaced };
}

/** Members of the group replaced by an update from `before` to `after` (their index names). */
export function replacedMembers(before: StackModel, after: StackModel): string[] {
  if (before.group.tag === after.group.tag || !after.group.replaceOnChange) return [];
  const kept = Math.min(before.group.count, after.group.count);
  return Array.from({ length: kept }, (_, i) => String(i));
}

/** A rough duration (ms) of converging the whole model: the longest wait chain plus per-resource work. */
export function estimatedCreateMs(model: StackModel): number {
  const memo = new Map<string, number>();
  const path = (name: string): number => {
    const hit = memo.get(name);
    if (hit !== undefined) return hit;
    const r = model.resources.get(name)!;
    const deps = [...r.dependsOn, ...(r.attrFrom ? [r.attrFrom] : [])];
    const v = r.waitSecs * 1000 + Math.max(0, ...deps.map(path));
    memo.set(name, v);
    return v;
  };
  const longest = Math.max(...resourceNames(model).map(path));
  return longest + model.group.waitSecs * 1000 + resourceCount(model) * 3;
}
