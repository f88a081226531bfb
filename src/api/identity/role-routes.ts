/**
 * Roles and their assignments: `GET /v3/roles[/{id}]`, `GET /v3/projects/{p}/users/{u}/roles`,
 * `PUT/GET/HEAD/DELETE /v3/projects/{p}/users/{u}/roles/{r}` (grant, check, revoke) and
 * `GET /v3/role_assignments` (`user.id`, `scope.project.id`, `role.id` filters; `effective`, `include_names`).
 * A role may be named by id or by name.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROLE_NAMES, type RoleName } from '../../identity/caller.js';
import { notFound } from '../../identity/errors.js';
import { effectiveRoles, findRole } from '../../identity/roles.js';
import type { AssignmentRecord } from '../../identity/store.js';
import { param, sendJson } from '../context.js';
import { route } from '../route-table.js';
import { identityAdminOperations as ops } from '../schemas/identity-admin.js';
import { publicBase, requireAdmin, requireToken, type IdentityApiContext } from './context.js';
import { nameFilter } from './directory-routes.js';
import { assignmentView, collectionLinks, roleView, type AssignmentNames } from './views.js';

/** The role a path parameter names. @throws IdentityError 404 */
function roleParam(req: FastifyRequest): RoleName {
  const ref = param(req, 'roleId');
  const role = findRole(ref);
  if (!role) throw notFound('role', ref);
  return role;
}

/** A single-valued query parameter. */
function queryValue(req: FastifyRequest, key: string): string | undefined {
  const value = (req.query as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** True for a present boolean query flag (`?effective`, `?effective=true`). */
function queryFlag(req: FastifyRequest, key: string): boolean {
  const value = queryValue(req, key);
  return value !== undefined && !/^(false|0|no)$/i.test(value);
}

/** Each assignment with the roles it implies, as separate assignments (Keystone's `effective`). */
function withImpliedRoles(assignments: readonly AssignmentRecord[]): AssignmentRecord[] {
  const seen = new Set<string>();
  const all: AssignmentRecord[] = [];
  for (const a of assignments) {
    for (const role of effectiveRoles([a.role])) {
      const key = `${a.userId}/${a.projectId}/${role}`;
      if (!seen.has(key)) {
        seen.add(key);
        all.push({ ...a, role });
      }
    }
  }
  return all;
}

/** Registers the role routes (inside the `/v3` prefix). */
export function registerRoleRoutes(v3: FastifyInstance, ctx: IdentityApiContext): void {
  const { directory } = ctx.identity;

  route(
    v3,
    '/roles',
    {
      GET: async (req, reply) => {
        requireToken(req);
        const base = publicBase(ctx, req);
        const { name } = nameFilter(req);
        const roles = ROLE_NAMES.filter((r) => name === undefined || r === name);
        return sendJson(reply, 200, {
          roles: roles.map((r) => roleView(r, base)),
          links: collectionLinks(`${base}/v3/roles`),
        });
      },
    },
    { GET: ops.listRoles },
  );

  route(
    v3,
    '/roles/:roleId',
    {
      GET: async (req, reply) => {
        requireToken(req);
        return sendJson(reply, 200, { role: roleView(roleParam(req), publicBase(ctx, req)) });
      },
    },
    { GET: ops.showRole },
  );

  route(
    v3,
    '/projects/:projectId/users/:userId/roles',
    {
      GET: async (req, reply) => {
        requireAdmin(req, 'list_grants');
        const base = publicBase(ctx, req);
        const projectId = param(req, 'projectId');
        const userId = param(req, 'userId');
        await directory.project(projectId);
        await directory.user(userId);
        const grants = await directory.listGrants({ userId, projectId });
        return sendJson(reply, 200, {
          roles: grants.map((g) => roleView(g.role, base)),
          links: collectionLinks(`${base}/v3/projects/${projectId}/users/${userId}/roles`),
        });
      },
    },
    { GET: ops.listGrants },
  );

  route(
    v3,
    '/projects/:projectId/users/:userId/roles/:roleId',
    {
      PUT: async (req, reply) => {
        requireAdmin(req, 'create_grant');
        await directory.grant(param(req, 'projectId'), param(req, 'userId'), roleParam(req));
        return reply.code(204).send();
      },
      GET: async (req, reply) => {
        requireAdmin(req, 'check_grant');
        const role = roleParam(req);
        const projectId = param(req, 'projectId');
        const userId = param(req, 'userId');
        if (!(await directory.hasGrant(projectId, userId, role))) {
          throw notFound('role assignment', `${role} of user ${userId} on project ${projectId}`);
        }
        return reply.code(204).send();
      },
      DELETE: async (req, reply) => {
        requireAdmin(req, 'revoke_grant');
        await directory.revokeGrant(param(req, 'projectId'), param(req, 'userId'), roleParam(req));
        return reply.code(204).send();
      },
    },
    { PUT: ops.grant, GET: ops.checkGrant, DELETE: ops.revoke },
  );

  route(
    v3,
    '/role_assignments',
    {
      GET: async (req, reply) => {
        const caller = requireToken(req);
        const userId = queryValue(req, 'user.id');
        // A user may list their own assignments; anything wider needs the admin role.
        if (userId !== caller.user.id) requireAdmin(req, 'list_role_assignments');
        const roleRef = queryValue(req, 'role.id');
        const role = roleRef === undefined ? undefined : findRole(roleRef);
        const base = publicBase(ctx, req);
        let grants = await directory.listGrants({
          ...(userId !== undefined ? { userId } : {}),
          ...(queryValue(req, 'scope.project.id') !== undefined
            ? { projectId: queryValue(req, 'scope.project.id') }
            : {}),
        });
        if (queryFlag(req, 'effective')) grants = withImpliedRoles(grants);
        if (roleRef !== undefined) grants = grants.filter((g) => g.role === role);
        let names: AssignmentNames | undefined;
        if (queryFlag(req, 'include_names')) {
          names = {
            users: new Map((await directory.listUsers()).map((u) => [u.id, u.name])),
            projects: new Map((await directory.listProjects()).map((p) => [p.id, p.name])),
          };
        }
        return sendJson(reply, 200, {
          role_assignments: grants.map((g) => assignmentView(g, base, names)),
          links: collectionLinks(`${base}/v3/role_assignments`),
        });
      },
    },
    { GET: ops.assignments },
  );
}
