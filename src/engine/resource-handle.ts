/**
 * {@link ResourceHandle}s: how `get_resource` / `get_attr` see a resource, backed by its plugin and its live row.
 */
import type { ResourceHandle } from '../template/functions/function.js';
import type { ResourcePlugin, ResourceState } from './plugin.js';
import type { ResourceRecord } from './store.js';

/** Actions after which a resource has attributes (Heat: not INIT, not DELETE). */
const ATTRIBUTE_ACTIONS = new Set([
  'CREATE',
  'ADOPT',
  'SUSPEND',
  'RESUME',
  'UPDATE',
  'ROLLBACK',
  'SNAPSHOT',
  'CHECK',
]);

/** Walks `path` into `value` by map key / list index; a miss is null (Heat's get_attr semantics). */
export function walkPath(value: unknown, path: readonly unknown[]): unknown {
  let cur = value;
  for (const seg of path) {
    if (cur === null || cur === undefined) return null;
    if (Array.isArray(cur)) {
      const i =
        typeof seg === 'number' ? seg : typeof seg === 'string' && /^-?\d+$/.test(seg) ? Number(seg) : NaN;
      if (!Number.isInteger(i)) return null;
      const item = cur[i < 0 ? cur.length + i : i];
      cur = item === undefined ? null : item;
    } else if (typeof cur === 'object') {
      const key = String(seg);
      cur = Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, unknown>)[key] : null;
    } else {
      return null;
    }
  }
  return cur === undefined ? null : cur;
}

/** Converts a row into the plugin's view of its state. */
export function stateOf(record: ResourceRecord): ResourceState {
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    physicalId: record.physicalId,
    attributes: record.attributes,
    data: record.data,
    properties: record.properties,
    metadata: record.metadata,
  };
}

/** A handle over a plugin and (maybe) a row. */
export class PluginResourceHandle implements ResourceHandle {
  constructor(
    readonly name: string,
    readonly type: string,
    private readonly plugin: ResourcePlugin,
    private readonly record: () => ResourceRecord | undefined,
  ) {}

  referenceId(): string | null {
    const r = this.record();
    if (!r) return this.name;
    if (this.plugin.referenceId) {
      const ref = this.plugin.referenceId(stateOf(r));
      if (ref !== null && ref !== undefined) return ref;
    }
    return r.physicalId ?? this.name;
  }

  hasAttribute(attribute: string): boolean {
    if (attribute === 'show') return true;
    if (this.plugin.acceptsAnyAttribute) return true;
    if (Object.prototype.hasOwnProperty.call(this.plugin.attributes, attribute)) return true;
    return this.plugin.hasAttribute?.(attribute, this.record()?.properties ?? null) ?? false;
  }

  attributeNames(): readonly string[] {
    return Object.keys(this.plugin.attributes);
  }

  private available(): ResourceRecord | undefined {
    const r = this.record();
    if (!r || !ATTRIBUTE_ACTIONS.has(r.action)) return undefined;
    return r;
  }

  attribute(attribute: string, path: readonly unknown[]): unknown {
    const r = this.available();
    if (!r) return null;
    const state = stateOf(r);
    if (attribute === 'show') return walkPath(this.show(state), path);
    if (this.plugin.attribute) {
      const v = this.plugin.attribute(state, attribute, path);
      return v === undefined ? null : v;
    }
    return walkPath(state.attributes[attribute], path);
  }

  allAttributes(): Record<string, unknown> | null {
    const r = this.available();
    if (!r || r.status === 'FAILED') return null;
    const out: Record<string, unknown> = {};
    for (const name of this.attributeNames()) {
      if (name === 'show') continue;
      // Heat's format_resource_attributes: an attribute that cannot be resolved alone (ResourceGroup
      // `attributes` needs a path) shows as null.
      try {
        out[name] = this.attribute(name, []);
      } catch {
        out[name] = null;
      }
    }
    return out;
  }

  private show(state: ResourceState): Record<string, unknown> {
    return { id: state.physicalId, ...state.attributes };
  }
}
