/**
 * A persisted snapshot of a child stack's members, taken at the end of each action of a nested-stack resource,
 * so that `get_attr` on the parent (a synchronous read of {@link ResourceState}) can answer member references
 * and attributes (`resource.N`, `resource.N.attr`, ResourceGroup lists and maps).
 */
import { HeatError } from '../../template/errors.js';
import type { NestedMember, NestedStackResult } from '../../engine/plugin.js';
import { selectFromAttribute } from './attribute-path.js';

/** One member as remembered: its reference id and all its attributes. */
export interface MemberSnapshot {
  readonly ref: string | null;
  readonly attributes: Record<string, unknown> | null;
}

/** Member name → snapshot. */
export type MembersSnapshot = Record<string, MemberSnapshot>;

/** Snapshots the members of a child stack result. */
export function snapshotMembers(members: readonly NestedMember[]): MembersSnapshot {
  const out: MembersSnapshot = {};
  for (const m of members) out[m.name] = { ref: m.referenceId, attributes: m.attributes ?? null };
  return out;
}

/** Reads the snapshot a plugin stored in its data under `key`. */
export function readMembers(data: Record<string, unknown>, key = 'members'): MembersSnapshot {
  const v = data[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as MembersSnapshot) : {};
}

/** Heat's grouputils "Member 'x' not found in group resource 'grp'." */
export function memberNotFound(member: string, group: string): HeatError {
  return new HeatError('NotFound', `Member '${member}' not found in group resource '${group}'.`);
}

/** One member's attribute `attr` walked by `path`; null when the member or attribute is unknown. */
export function memberAttribute(
  members: MembersSnapshot,
  name: string,
  attr: string,
  path: readonly unknown[],
): unknown {
  const m = members[name];
  if (!m?.attributes) return null;
  return selectFromAttribute(m.attributes[attr], path);
}

/**
 * `resource.N[.attr]` as Heat's `grouputils.get_nested_attrs`: `resource.N` alone is the member reference,
 * otherwise the member's attribute (the third dotted part, or the first path item) walked by the rest.
 * @throws HeatError NotFound when member N does not exist
 */
export function nestedResourceAttribute(
  members: MembersSnapshot,
  groupName: string,
  key: string,
  path: readonly unknown[],
): unknown {
  const parts = splitMax(key, '.', 2);
  const full = [...parts.slice(1), ...path];
  const member = String(full[0]);
  const m = members[member];
  if (!m) throw memberNotFound(member, groupName);
  if (full.length === 1) return m.ref;
  return memberAttribute(members, member, String(full[1]), full.slice(2));
}

/** Python's `str.split(sep, maxsplit)`. */
export function splitMax(text: string, sep: string, maxsplit: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (out.length < maxsplit) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/** Child outputs without the undefined (errored) ones. */
export function definedOutputs(result: NestedStackResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result.outputs)) if (v !== undefined) out[k] = v;
  return out;
}
