/**
 * The resource registry (Heat's `heat.engine.environment.ResourceRegistry`): maps resource types to other
 * types (aliases, `*` wildcards), to provider templates, per resource name (`resources:` sub-map), and carries
 * breakpoint hooks and restricted actions.
 *
 * Lookup follows Heat: the candidates for a type are gathered from this (user) registry and from the global
 * registry, sorted (user entries first, then longer paths — i.e. per-resource entries — first, then by path),
 * and the first candidate whose chain ends in a template or a real type wins; a chain that cannot be resolved
 * (unknown type, a loop) falls through to the next candidate.
 */
import { HeatError, type Path, type SourcePosition } from '../errors.js';
import {
  HOOKS_KEY,
  RESTRICTED_ACTIONS_KEY,
  isHookDefinition,
  isRestrictedActionDefinition,
  specEntries,
  type HookType,
  type RestrictedAction,
} from './hooks.js';
import { fnmatchCase, isPlainMap } from './python.js';

/** How {@link ResourceRegistry.resolve} answers: a type implemented by a plugin, or a provider template. */
export type ResolvedResourceType =
  | { kind: 'type'; type: string }
  | {
      kind: 'template';
      /** The template: a `files` key or a URL (ends `.yaml` / `.template`). */
      template: string;
      /** The registry name the template is registered under (the mapped type, or the template name itself). */
      type: string;
      /** Where the template entry sits in the registry, e.g. `['My::Thing']`, `['resources', 'r', 'My::Thing']`. */
      path: readonly string[];
    };

/** Options of {@link ResourceRegistry.resolve}. */
export interface ResolveOptions {
  /**
   * Whether a type is implemented by a plugin. When given, a chain ending in an unknown type is not a match
   * (Heat's behaviour: the next candidate is tried, and "The Resource Type (X) could not be found." names the
   * type that was asked for). When omitted, any type that no entry maps elsewhere is accepted as is.
   */
  isKnownType?: (type: string) => boolean;
}

/** Options of {@link ResourceRegistry.load}. */
export interface RegistryLoadOptions {
  /** Source position of a path inside the snippet (for error locations). */
  positionOf?: (path: Path) => SourcePosition | undefined;
  /** Path of the snippet in its document, e.g. `['resource_registry']`. */
  pathPrefix?: Path;
}

type InfoKind = 'template' | 'map' | 'glob' | 'plugin';

/** One registered mapping (Heat's ResourceInfo). */
interface RegistryInfo {
  readonly kind: 'info';
  readonly infoKind: InfoKind;
  readonly path: readonly string[];
  readonly name: string;
  /** The mapped value; for templates the template name. */
  readonly value: unknown;
  readonly user: boolean;
  readonly owner: ResourceRegistry;
}

/** A hooks / restricted_actions value. */
interface RegistryItem {
  readonly kind: 'item';
  readonly value: unknown;
}

type RegistryTree = Map<string, RegistryNode>;
type RegistryNode = RegistryInfo | RegistryItem | RegistryTree;

const TEMPLATE_SUFFIXES = ['.yaml', '.template'];
const isTemplateName = (name: string): boolean => TEMPLATE_SUFFIXES.some((s) => name.endsWith(s));
const isTree = (node: RegistryNode | undefined): node is RegistryTree => node instanceof Map;
const isInfo = (node: RegistryNode | undefined): node is RegistryInfo =>
  node !== undefined && !isTree(node) && node.kind === 'info';

const RESOURCES = 'resources';
const MAX_CHAIN_DEPTH = 64;

/** The mappings of Heat's default global environment (`/etc/heat/environment.d/default.yaml`) Hearth keeps. */
export const DEFAULT_GLOBAL_REGISTRY_ENTRIES: Readonly<Record<string, string>> = {
  'OS::Quantum*': 'OS::Neutron*',
  'OS::Metering::Alarm': 'OS::Aodh::Alarm',
  'OS::Ceilometer::Alarm': 'OS::Aodh::Alarm',
  'OS::Ceilometer::GnocchiResourcesAlarm': 'OS::Aodh::GnocchiResourcesAlarm',
  'OS::Ceilometer::GnocchiAggregationByMetricsAlarm': 'OS::Aodh::GnocchiAggregationByMetricsAlarm',
  'OS::Ceilometer::GnocchiAggregationByResourcesAlarm': 'OS::Aodh::GnocchiAggregationByResourcesAlarm',
  'OS::Ceilometer::CombinationAlarm': 'OS::Aodh::CombinationAlarm',
};

/** Options of the {@link ResourceRegistry} constructor. */
export interface ResourceRegistryOptions {
  /**
   * The global (operator) registry consulted after this one. Default: {@link globalRegistry}. `null` makes
   * this registry a global one (its entries are not "user" entries and are not listed by `toJSON`).
   */
  global?: ResourceRegistry | null;
}

/** A resource registry: the `resource_registry` section of an environment, loaded. */
export class ResourceRegistry {
  private readonly tree: RegistryTree = new Map<string, RegistryNode>([[RESOURCES, new Map()]]);
  private readonly global: ResourceRegistry | null;

  constructor(options: ResourceRegistryOptions = {}) {
    this.global = options.global === undefined ? globalRegistry() : options.global;
  }

  /** A user registry loaded from a `resource_registry` snippet. */
  static fromJSON(
    snippet: unknown,
    options: ResourceRegistryOptions & RegistryLoadOptions = {},
  ): ResourceRegistry {
    const registry = new ResourceRegistry(options);
    registry.load(snippet, options);
    return registry;
  }

  /** True for a user registry (one with a global registry behind it). */
  get isUser(): boolean {
    return this.global !== null;
  }

  /**
   * Loads (merges) a `resource_registry` snippet, as Heat's `ResourceRegistry.load`: later entries replace
   * earlier ones, `null` removes an entry (`"X*": null` removes every entry starting with `X`), maps nest
   * (`resources: {name: {...}}`), `hooks` / `restricted_actions` are validated.
   * @throws HeatError `InvalidBreakPointHook`, `InvalidRestrictedAction`
   */
  load(snippet: unknown, options: RegistryLoadOptions = {}): void {
    if (snippet === null || snippet === undefined) return;
    if (!isPlainMap(snippet)) {
      const path = options.pathPrefix ?? [];
      throw new HeatError(
        'HTTPBadRequest',
        'Environment not in valid format: resource_registry is not a map',
        {
          path,
          position: options.positionOf?.(path),
        },
      );
    }
    this.loadLevel([], snippet, options);
  }

  private loadLevel(path: string[], level: Record<string, unknown>, options: RegistryLoadOptions): void {
    for (const [key, value] of Object.entries(level)) {
      const here = [...path, key];
      const docPath = [...(options.pathPrefix ?? []), ...here];
      const at = { path: docPath, position: options.positionOf?.(docPath) };
      if (value === null || value === undefined) this.remove(here);
      else if (isHookDefinition(key, value, at) || isRestrictedActionDefinition(key, value, at)) {
        this.place(here, { kind: 'item', value: structuredClone(value) });
      } else if (isPlainMap(value)) this.loadLevel(here, value, options);
      else this.place(here, this.makeInfo(here, value));
    }
  }

  private makeInfo(path: string[], value: unknown): RegistryInfo {
    const name = path[path.length - 1] as string;
    let infoKind: InfoKind;
    let stored = value;
    if (isTemplateName(name)) {
      infoKind = 'template';
      stored = name;
    } else if (typeof value !== 'string') infoKind = 'plugin';
    else if (isTemplateName(value)) infoKind = 'template';
    else if (name.endsWith('*')) infoKind = 'glob';
    else infoKind = 'map';
    return { kind: 'info', infoKind, path, name, value: stored, user: this.isUser, owner: this };
  }

  /** The level holding `path`'s last key, creating intermediate maps (replacing non-map entries) on the way. */
  private levelFor(path: readonly string[]): RegistryTree {
    let level = this.tree;
    for (const key of path.slice(0, -1)) {
      let next = level.get(key);
      if (!isTree(next)) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    return level;
  }

  private place(path: readonly string[], node: RegistryNode): void {
    this.levelFor(path).set(path[path.length - 1] as string, node);
  }

  private remove(path: readonly string[]): void {
    const level = this.levelFor(path);
    const name = path[path.length - 1] as string;
    if (name.endsWith('*')) {
      const prefix = name.slice(0, -1);
      for (const [key, node] of [...level]) if (isInfo(node) && key.startsWith(prefix)) level.delete(key);
    } else if (path.length === 1 && name === RESOURCES) level.set(RESOURCES, new Map());
    else level.delete(name);
  }

  /**
   * Removes a template entry at `path` (what a provider resource does for its child stack, so that a template
   * standing in for a type can use that type inside). Non-template entries are kept.
   */
  removeTemplateEntry(path: readonly string[]): void {
    if (path.length === 0) return;
    let level: RegistryNode | undefined = this.tree;
    for (const key of path.slice(0, -1)) {
      if (!isTree(level)) return;
      level = level.get(key);
    }
    if (!isTree(level)) return;
    const node = level.get(path[path.length - 1] as string);
    if (isInfo(node) && node.infoKind === 'template') level.delete(path[path.length - 1] as string);
  }

  /**
   * Narrows `resources:` to what applies inside the child stack of resource `resourceName` (Heat's
   * `remove_resources_except`): the contents of every entry whose name pattern matches, then the exact entry's.
   */
  scopeToResource(resourceName: string): void {
    const resources = this.resourcesLevel();
    const scoped: RegistryTree = new Map();
    for (const [pattern, node] of resources) {
      if (isTree(node) && fnmatchCase(resourceName, pattern)) for (const [k, v] of node) scoped.set(k, v);
    }
    const exact = resources.get(resourceName);
    if (isTree(exact)) for (const [k, v] of exact) scoped.set(k, v);
    this.tree.set(RESOURCES, scoped);
  }

  private resourcesLevel(): RegistryTree {
    const level = this.tree.get(RESOURCES);
    return isTree(level) ? level : new Map();
  }

  /**
   * Resolves the `type` of resource `resourceName`.
   * @throws HeatError `StackValidationFailed` "The Resource Type (X) could not be found." when nothing
   *   resolves (a loop, or — with `isKnownType` — a chain ending in an unknown type).
   */
  resolve(type: string, resourceName?: string, options: ResolveOptions = {}): ResolvedResourceType {
    const found = this.lookup(type, resourceName, options, new Set(), 0);
    if (!found) {
      throw new HeatError('StackValidationFailed', `The Resource Type (${type}) could not be found.`, {
        value: type,
      });
    }
    return found;
  }

  /** Heat's `get_resource_info`: the first candidate (sorted) whose chain resolves. */
  private lookup(
    type: string,
    resourceName: string | undefined,
    options: ResolveOptions,
    visiting: Set<string>,
    depth: number,
  ): ResolvedResourceType | undefined {
    if (visiting.has(type) || depth > MAX_CHAIN_DEPTH) return undefined;
    visiting.add(type);
    try {
      const candidates = [...this.candidates(type, resourceName)];
      if (this.global) candidates.push(...this.global.candidates(type, resourceName));
      if (options.isKnownType ? options.isKnownType(type) : !type.endsWith('*')) {
        candidates.push(pluginInfo(type));
      }
      for (const info of candidates.sort(compareInfos)) {
        const match = this.follow(info, type, resourceName, options, visiting, depth);
        if (match) return match;
      }
      return undefined;
    } finally {
      visiting.delete(type);
    }
  }

  private follow(
    info: RegistryInfo,
    type: string,
    resourceName: string | undefined,
    options: ResolveOptions,
    visiting: Set<string>,
    depth: number,
  ): ResolvedResourceType | undefined {
    switch (info.infoKind) {
      case 'template':
        return { kind: 'template', template: String(info.value), type: info.name, path: info.path };
      case 'plugin':
        return info.owner === PLUGIN_OWNER ? { kind: 'type', type: info.name } : undefined;
      case 'map':
        return info.owner.lookup(String(info.value), resourceName, options, visiting, depth + 1);
      case 'glob': {
        const value = String(info.value);
        const target = value.endsWith('*') ? value.slice(0, -1) + type.slice(info.name.length - 1) : value;
        return info.owner.lookup(target, resourceName, options, visiting, depth + 1);
      }
    }
  }

  /** Heat's `iterable_by`: the entries of this registry that may implement `type` for `resourceName`. */
  private candidates(type: string, resourceName: string | undefined): RegistryInfo[] {
    const out: RegistryInfo[] = [];
    if (this.isUser && isTemplateName(type)) {
      const existing = this.tree.get(type);
      out.push(isInfo(existing) ? existing : this.makeInfo([type], type));
    }
    if (resourceName !== undefined) {
      const perResource = this.resourcesLevel().get(resourceName);
      if (isTree(perResource)) {
        const entry = perResource.get(type);
        if (isInfo(entry)) out.push(entry);
      }
    }
    const direct = this.tree.get(type);
    if (isInfo(direct)) out.push(direct);
    for (const [key, node] of this.tree) {
      if (!key.endsWith('*') || !isInfo(node) || node.infoKind !== 'glob') continue;
      if (type !== node.value && type.startsWith(key.slice(0, -1))) out.push(node);
    }
    return out;
  }

  /** The hooks set for `resourceName` by every matching (glob) entry of `resources:`. */
  hooks(resourceName: string): Set<HookType> {
    return this.collect<HookType>(resourceName, HOOKS_KEY);
  }

  /** Whether `hook` is set for `resourceName`. */
  hasHook(resourceName: string, hook: HookType): boolean {
    return this.hooks(resourceName).has(hook);
  }

  /** The restricted actions set for `resourceName` by every matching (glob) entry of `resources:`. */
  restrictedActions(resourceName: string): Set<RestrictedAction> {
    return this.collect<RestrictedAction>(resourceName, RESTRICTED_ACTIONS_KEY);
  }

  private collect<T extends string>(resourceName: string, key: string): Set<T> {
    const out = new Set<T>();
    for (const [pattern, node] of this.resourcesLevel()) {
      if (!isTree(node) || !fnmatchCase(resourceName, pattern)) continue;
      const item = node.get(key);
      if (item && !isTree(item) && item.kind === 'item')
        for (const v of specEntries<T>(item.value)) out.add(v);
    }
    return out;
  }

  /** A deep copy (sharing the global registry). */
  clone(): ResourceRegistry {
    const copy = new ResourceRegistry({ global: this.global });
    copy.load(this.toJSON());
    return copy;
  }

  /** Heat's `as_dict`: user entries as plain JSON (templates by name), hooks and restricted actions kept. */
  toJSON(): Record<string, unknown> {
    return treeToJSON(this.tree);
  }
}

function treeToJSON(tree: RegistryTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, node] of tree) {
    if (isTree(node)) out[key] = treeToJSON(node);
    else if (node.kind === 'item') out[key] = structuredClone(node.value);
    else if (node.user) out[key] = structuredClone(node.value);
  }
  return out;
}

/** Owner of the implicit plugin candidates (a type implemented by code). */
const PLUGIN_OWNER = new ResourceRegistry({ global: null });

function pluginInfo(type: string): RegistryInfo {
  return {
    kind: 'info',
    infoKind: 'plugin',
    path: [type],
    name: type,
    value: type,
    user: false,
    owner: PLUGIN_OWNER,
  };
}

/** Heat's ResourceInfo ordering: user entries first, then longer paths, then by path. */
function compareInfos(a: RegistryInfo, b: RegistryInfo): number {
  if (a.user !== b.user) return a.user ? -1 : 1;
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  for (let i = 0; i < a.path.length; i++) {
    const x = a.path[i] as string;
    const y = b.path[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

let defaultGlobal: ResourceRegistry | undefined;

/** The global registry with Heat's default operator mappings ({@link DEFAULT_GLOBAL_REGISTRY_ENTRIES}). */
export function globalRegistry(): ResourceRegistry {
  if (!defaultGlobal) {
    defaultGlobal = new ResourceRegistry({ global: null });
    defaultGlobal.load(DEFAULT_GLOBAL_REGISTRY_ENTRIES);
  }
  return defaultGlobal;
}
