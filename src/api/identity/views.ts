/**
 * Keystone v3 response bodies: tokens (with the service catalog), projects, users, roles, role assignments and
 * application credentials, shaped as Keystone answers them (keystoneauth1 and openstackclient parse these).
 */
import { createHash } from 'node:crypto';
import type { RoleName } from '../../identity/caller.js';
import { roleId } from '../../identity/roles.js';
import type {
  AppCredentialRecord,
  AssignmentRecord,
  ProjectRecord,
  UserRecord,
} from '../../identity/store.js';
import type { TokenInfo } from '../../identity/token-info.js';

/** Hearth's one domain. */
export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' } as const;
/** The region of every catalog endpoint. */
export const REGION = 'RegionOne';

/** Keystone's time format: microseconds and `Z` (`2030-01-01T01:00:00.000000Z`). */
export function keystoneTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A stable 32-hex id derived from a label (catalog service and endpoint ids). */
function stableId(label: string): string {
  return createHash('sha256').update(label).digest('hex').slice(0, 32);
}

/** One catalog service with its public, internal and admin endpoints at `url`. */
function catalogService(type: string, name: string, url: string): Record<string, unknown> {
  return {
    id: stableId(`service:${type}`),
    type,
    name,
    endpoints: ['public', 'internal', 'admin'].map((iface) => ({
      id: stableId(`endpoint:${type}:${iface}`),
      interface: iface,
      region: REGION,
      region_id: REGION,
      url,
    })),
  };
}

/** The service catalog of a project: orchestration at `<public>/v1/<project_id>`, identity at `<public>/v3`. */
export function catalog(publicUrl: string, projectId: string): Record<string, unknown>[] {
  return [
    catalogService('orchestration', 'heat', `${publicUrl}/v1/${projectId}`),
    catalogService('identity', 'keystone', `${publicUrl}/v3`),
  ];
}

/** A role as `{id, name}`. */
export function roleRef(role: RoleName): { id: string; name: string } {
  return { id: roleId(role), name: role };
}

/** The `{"token": …}` body of a token (catalog omitted for `?nocatalog`). */
export function tokenBody(
  info: TokenInfo,
  publicUrl: string,
  withCatalog: boolean,
): { token: Record<string, unknown> } {
  const token: Record<string, unknown> = {
    methods: info.methods,
    user: { id: info.user.id, name: info.user.name, domain: DEFAULT_DOMAIN, password_expires_at: null },
    audit_ids: info.auditIds,
    expires_at: keystoneTime(info.expiresAt),
    issued_at: keystoneTime(info.issuedAt),
  };
  if (info.project) {
    token['project'] = { id: info.project.id, name: info.project.name, domain: DEFAULT_DOMAIN };
    token['is_domain'] = false;
    token['roles'] = info.roles.map(roleRef);
  }
  if (withCatalog) token['catalog'] = info.project ? catalog(publicUrl, info.project.id) : [];
  if (info.applicationCredential) {
    token['application_credential'] = {
      id: info.applicationCredential.id,
      name: info.applicationCredential.name,
      restricted: !info.applicationCredential.unrestricted,
    };
  }
  return { token };
}

/** Keystone's collection `links`. */
export function collectionLinks(self: string): { self: string; previous: null; next: null } {
  return { self, previous: null, next: null };
}

/** A project. */
export function projectView(p: ProjectRecord, publicUrl: string): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    domain_id: DEFAULT_DOMAIN.id,
    description: p.description,
    enabled: p.enabled,
    parent_id: DEFAULT_DOMAIN.id,
    is_domain: false,
    tags: [],
    options: {},
    links: { self: `${publicUrl}/v3/projects/${p.id}` },
  };
}

/** A user (never the password hash). */
export function userView(u: UserRecord, publicUrl: string): Record<string, unknown> {
  return {
    id: u.id,
    name: u.name,
    domain_id: DEFAULT_DOMAIN.id,
    enabled: u.enabled,
    description: u.description,
    password_expires_at: null,
    options: {},
    ...(u.defaultProjectId ? { default_project_id: u.defaultProjectId } : {}),
    links: { self: `${publicUrl}/v3/users/${u.id}` },
  };
}

const ROLE_DESCRIPTIONS: Record<RoleName, string> = {
  admin: 'Everything, in every project (implies member).',
  member: 'Create, change and delete stacks in the project (implies reader).',
  reader: "Read the project's stacks, resources, events and outputs.",
};

/** A role. */
export function roleView(role: RoleName, publicUrl: string): Record<string, unknown> {
  return {
    ...roleRef(role),
    domain_id: null,
    description: ROLE_DESCRIPTIONS[role],
    options: {},
    links: { self: `${publicUrl}/v3/roles/${roleId(role)}` },
  };
}

/** Names of the users and projects of assignments, for `include_names`. */
export interface AssignmentNames {
  users: ReadonlyMap<string, string>;
  projects: ReadonlyMap<string, string>;
}

/** A role assignment (names included when `names` is given). */
export function assignmentView(
  a: AssignmentRecord,
  publicUrl: string,
  names?: AssignmentNames,
): Record<string, unknown> {
  const withName = (id: string, name: string | undefined, domain: boolean) =>
    names && name !== undefined ? { id, name, ...(domain ? { domain: DEFAULT_DOMAIN } : {}) } : { id };
  return {
    role: names ? roleRef(a.role) : { id: roleId(a.role) },
    user: withName(a.userId, names?.users.get(a.userId), true),
    scope: { project: withName(a.projectId, names?.projects.get(a.projectId), true) },
    links: {
      assignment: `${publicUrl}/v3/projects/${a.projectId}/users/${a.userId}/roles/${roleId(a.role)}`,
    },
  };
}

/** An application credential (the secret only right after creation). */
export function appCredentialView(
  c: AppCredentialRecord,
  publicUrl: string,
  secret?: string,
): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    user_id: c.userId,
    project_id: c.projectId,
    roles: c.roles.map((r) => ({ ...roleRef(r), domain_id: null })),
    unrestricted: c.unrestricted,
    expires_at: c.expiresAt === null ? null : keystoneTime(c.expiresAt),
    access_rules: [],
    system: null,
    ...(secret !== undefined ? { secret } : {}),
    links: { self: `${publicUrl}/v3/users/${c.userId}/application_credentials/${c.id}` },
  };
}
