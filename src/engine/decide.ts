/**
 * The per-resource update decision (Heat's, heat-inventory §6.5), shared by the update itself ({@link Traversal})
 * and its preview ({@link previewUpdate}) so that the two cannot disagree: create, replace (naming what forced
 * it), update in place, or leave alone.
 */
import type { ResourcePlugin } from './plugin.js';
import { diffProperties } from './properties.js';
import { jsonEqual } from './records.js';
import type { ResourceRecord } from './store.js';

/** What happens to one resource. */
export type ChangeAction = 'create' | 'replace' | 'update' | 'none';

/** The decision with its reasons. */
export interface Decision {
  readonly action: ChangeAction;
  /** Top-level properties whose values differ. */
  readonly changed: readonly string[];
  /** Changed properties that may never change (the update then fails with NotSupported). */
  readonly immutable: readonly string[];
  readonly metadataChanged: boolean;
  readonly requiresChanged: boolean;
  /** For a replacement: what forced it. */
  readonly reason?: string;
  /**
   * Who asked for the replacement, which decides Heat's event text: `engine` (a property that cannot change in
   * place: "The Resource x requires replacement.") or `plugin` (the type's own rule: the long resource description).
   */
  readonly replacedBy?: 'engine' | 'plugin';
}

/** The new definition of a resource, resolved. */
export interface Wanted {
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly requires: readonly string[];
  /** Properties whose new value is not known yet (they read resources that are being created or replaced). */
  readonly unknown?: readonly string[];
}

/** Decides what an update does to `row` (undefined: the resource is new). */
export function decide(row: ResourceRecord | undefined, wanted: Wanted, plugin: ResourcePlugin): Decision {
  const none = { changed: [], immutable: [], metadataChanged: false, requiresChanged: false };
  if (!row || row.action === 'INIT') return { ...none, action: 'create' };
  if (row.action === 'CREATE' && row.status === 'IN_PROGRESS') return { ...none, action: 'create' };
  if (row.type !== wanted.type) {
    return {
      ...none,
      action: 'replace',
      reason: `type changes from ${row.type} to ${wanted.type}`,
      replacedBy: 'engine',
    };
  }
  if (row.status === 'FAILED' && plugin.updateFailedInPlace && row.physicalId && row.action !== 'CHECK') {
    // Nested-stack types repair a failed child stack by updating it (Heat's StackResource), not by replacement.
    return { ...none, action: 'update' };
  }
  if (row.status === 'FAILED') {
    return {
      ...none,
      action: 'replace',
      reason:
        row.action === 'CHECK'
          ? `the resource is marked unhealthy (CHECK_FAILED: ${row.statusReason})`
          : `the resource is ${row.action}_FAILED`,
    };
  }
  if (row.action === 'DELETE') return { ...none, action: 'replace', reason: 'the resource was deleted' };
  if (plugin.replaceOnEveryUpdate) {
    return {
      ...none,
      action: 'replace',
      reason: `${wanted.type} is replaced on every update`,
      replacedBy: 'engine',
    };
  }
  // Types that accept any property (OS::Heat::None) ignore them: a property change is no change.
  const changed = plugin.acceptsAnyProperty
    ? []
    : [
        ...new Set([...diffProperties(row.properties ?? {}, wanted.properties), ...(wanted.unknown ?? [])]),
      ].sort();
  const metadataChanged = !jsonEqual(row.metadata, wanted.metadata);
  const requiresChanged = !jsonEqual([...row.requires].sort(), [...wanted.requires].sort());
  const base = { changed, immutable: [] as string[], metadataChanged, requiresChanged };
  if (changed.length === 0 && !metadataChanged && !requiresChanged && row.status === 'COMPLETE') {
    // Nested-stack types are updated on every stack update: their child stacks may change.
    return { ...base, action: plugin.alwaysUpdate ? 'update' : 'none' };
  }
  const immutable = changed.filter((p) => plugin.properties[p]?.immutable);
  if (immutable.length > 0) return { ...base, immutable, action: 'update' };
  if (!plugin.acceptsAnyProperty) {
    const forcing = changed.find((p) => !plugin.properties[p]?.updateAllowed);
    if (forcing) {
      return {
        ...base,
        action: 'replace',
        reason: `property "${forcing}" cannot be updated in place`,
        replacedBy: 'engine',
      };
    }
  }
  if (changed.length > 0 && !plugin.update) {
    return {
      ...base,
      action: 'replace',
      reason: `${wanted.type} cannot be updated in place`,
      replacedBy: 'engine',
    };
  }
  const request = {
    oldProperties: row.properties ?? {},
    newProperties: wanted.properties,
    changed,
    oldMetadata: row.metadata,
    newMetadata: wanted.metadata,
  };
  if (plugin.needsReplace?.(request)) {
    return {
      ...base,
      action: 'replace',
      reason: `${wanted.type} must be replaced for this change`,
      replacedBy: 'plugin',
    };
  }
  return { ...base, action: 'update' };
}
