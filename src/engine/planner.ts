/**
 * Update preview: what an update would do to each resource, decided by the same {@link decide} the update uses,
 * with Heat's `resource_changes` lists and Hearth's property-level diff (old → new per property, and for each
 * replacement the property that forced it).
 *
 * New property values are resolved against the current resources. A property that reads a resource which the
 * update creates or replaces (or an attribute of one it updates in place) has no known value yet; it counts as
 * changed, as it will be when the update runs.
 */
import { isPlainMap, referencesIn } from '../template/functions/function.js';
import { dependencyOrder } from '../template/graph.js';
import { decide, type ChangeAction } from './decide.js';
import type { LoadedStack } from './loader.js';
import type { PropertyChange, ResourceChange, UpdatePreview } from './service.js';
import type { ResourceRecord, StackRecord } from './store.js';
import { contextFor, resolveProperties } from './validator.js';
import { resolveValue } from '../template/functions/function.js';

/** Options of {@link previewUpdate}. */
export interface PreviewOptions {
  /** Masks secrets in values shown. */
  readonly redact: (value: Record<string, unknown>) => Record<string, unknown>;
}

const LIST_OF: Record<ChangeAction, keyof UpdatePreview['resource_changes']> = {
  create: 'added',
  replace: 'replaced',
  update: 'updated',
  none: 'unchanged',
};

const ACTION_OF: Record<ChangeAction, PropertyChange['action']> = {
  create: 'added',
  replace: 'replaced',
  update: 'updated',
  none: 'unchanged',
};

/** Computes the preview of updating `stack` (with current `rows`) to `next`. */
export function previewUpdate(
  stack: StackRecord,
  rows: readonly ResourceRecord[],
  next: LoadedStack,
  options: PreviewOptions,
): UpdatePreview {
  const current = new Map<string, ResourceRecord>();
  for (const r of rows) if (r.current) current.set(r.name, r);
  const ctx = contextFor(next, (n) => current.get(n), false);
  const changes: UpdatePreview['resource_changes'] = {
    added: [],
    deleted: [],
    replaced: [],
    updated: [],
    unchanged: [],
  };
  const hearth: PropertyChange[] = [];
  const fresh = new Set<string>(); // created or replaced: every attribute and reference is new
  const updating = new Set<string>(); // updated in place: attributes may change
  const requiredBy = (name: string): string[] =>
    [...next.definition.resources.values()].filter((d) => d.requires.has(name)).map((d) => d.name);

  for (const layer of dependencyOrder(next.definition.resources)) {
    for (const name of layer) {
      const def = next.definition.resources.get(name)!;
      const plugin = next.plugins.get(name);
      if (!plugin) continue;
      const type = next.types.get(name) ?? def.type;
      const row = current.get(name);
      let properties: Record<string, unknown> = {};
      const unknown = new Set<string>();
      try {
        properties = resolveProperties(next, name, ctx);
      } catch {
        // Unresolvable now (it reads something the update changes): every property counts as changed.
        if (isPlainMap(def.properties)) for (const k of Object.keys(def.properties)) unknown.add(k);
      }
      if (isPlainMap(def.properties)) {
        for (const [k, v] of Object.entries(def.properties)) {
          for (const ref of referencesIn(v)) {
            if (fresh.has(ref.resource) || (updating.has(ref.resource) && ref.via !== 'get_resource'))
              unknown.add(k);
          }
        }
      }
      let metadata: Record<string, unknown> = {};
      try {
        const m = resolveValue(def.metadata ?? {}, ctx);
        metadata = isPlainMap(m) ? m : {};
      } catch {
        metadata = row?.metadata ?? {};
      }
      const requires = [...def.requires].filter((d) => next.definition.resources.has(d)).sort();
      const decision = decide(row, { type, properties, metadata, requires, unknown: [...unknown] }, plugin);
      if (decision.action === 'create' || decision.action === 'replace') fresh.add(name);
      if (decision.action === 'update') updating.add(name);
      changes[LIST_OF[decision.action]].push(change(stack, name, type, row, requiredBy(name)));
      const old = options.redact(row?.properties ?? {});
      const neu = options.redact(properties);
      const names = decision.action === 'create' ? Object.keys(neu) : decision.changed;
      hearth.push({
        resource: name,
        action: ACTION_OF[decision.action],
        stack: '',
        properties: names.map((p) => ({
          name: p,
          old: row ? (old[p] ?? null) : null,
          new: unknown.has(p) ? '(known after update)' : (neu[p] ?? null),
          updateAllowed: plugin.acceptsAnyProperty === true || plugin.properties[p]?.updateAllowed === true,
          immutable: plugin.properties[p]?.immutable === true,
        })),
        ...(decision.reason ? { reason: decision.reason } : {}),
      });
    }
  }
  for (const row of current.values()) {
    if (next.definition.resources.has(row.name)) continue;
    changes.deleted.push(change(stack, row.name, row.type, row, []));
    hearth.push({ resource: row.name, action: 'deleted', stack: '', properties: [] });
  }
  return { resource_changes: changes, hearth_changes: hearth };
}

function change(
  stack: StackRecord,
  name: string,
  type: string,
  row: ResourceRecord | undefined,
  requiredBy: string[],
): ResourceChange {
  return {
    resource_name: name,
    resource_type: type,
    resource_action: row?.action ?? 'INIT',
    resource_status: row?.status ?? 'COMPLETE',
    resource_status_reason: row?.statusReason ?? '',
    physical_resource_id: row?.physicalId ?? '',
    stack_name: stack.name,
    required_by: requiredBy,
    resource_identity: {
      stack_name: stack.name,
      stack_id: stack.id,
      tenant: stack.projectId,
      path: `/resources/${name}`,
    },
    stack_identity: { stack_name: stack.name, stack_id: stack.id, tenant: stack.projectId, path: '' },
  };
}
