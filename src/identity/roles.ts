/**
 * The three roles (admin ⇒ member ⇒ reader) as Keystone entities: fixed ids, lookup by id or name, and the
 * effective roles of a set of assignments (implied roles included).
 */
import { createHash } from 'node:crypto';
import { impliedRoles, ROLE_NAMES, type RoleName } from './caller.js';

/** A role's id: the same in every Hearth database (derived from its name), 32 hex characters. */
export function roleId(role: RoleName): string {
  return createHash('sha256').update(`hearth-role:${role}`).digest('hex').slice(0, 32);
}

/** The role a reference names, by id or by name (`admin`, `member`, `reader`). */
export function findRole(idOrName: string): RoleName | undefined {
  return ROLE_NAMES.find((r) => r === idOrName || roleId(r) === idOrName);
}

/** Every role implied by the given ones (admin ⇒ member ⇒ reader), strongest first, without repeats. */
export function effectiveRoles(assigned: Iterable<RoleName>): RoleName[] {
  const all = new Set<RoleName>();
  for (const role of assigned) for (const implied of impliedRoles(role)) all.add(implied);
  return ROLE_NAMES.filter((r) => all.has(r));
}
