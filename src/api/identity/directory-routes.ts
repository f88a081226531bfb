/**
 * The admin API of projects and users: `GET/POST /v3/projects`, `GET/PATCH/DELETE /v3/projects/{id}`,
 * `GET/POST /v3/users`, `GET/PATCH/DELETE /v3/users/{id}`, `POST /v3/users/{id}/password` (self service) and
 * `GET /v3/users/{id}/projects`. Changing the directory needs the admin role; a user may read themself.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden } from '../../identity/errors.js';
import { param, sendJson } from '../context.js';
import { route } from '../route-table.js';
import { identityAdminOperations as ops } from '../schemas/identity-admin.js';
import {
  parsePasswordChange,
  parseProjectCreate,
  parseProjectUpdate,
  parseUserCreate,
  parseUserUpdate,
} from './admin-bodies.js';
import {
  publicBase,
  requireAdmin,
  requireSelfOrAdmin,
  requireToken,
  type IdentityApiContext,
} from './context.js';
import { collectionLinks, projectView, userView } from './views.js';

/** The `name` filter of a list query, if any. */
export function nameFilter(req: FastifyRequest): { name?: string } {
  const name = (req.query as Record<string, unknown> | undefined)?.['name'];
  return typeof name === 'string' ? { name } : {};
}

/** Registers the project and user routes (inside the `/v3` prefix). */
export function registerDirectoryRoutes(v3: FastifyInstance, ctx: IdentityApiContext): void {
  const { directory } = ctx.identity;

  route(
    v3,
    '/projects',
    {
      GET: async (req, reply) => {
        requireAdmin(req, 'list_projects');
        const base = publicBase(ctx, req);
        const projects = await directory.listProjects(nameFilter(req));
        return sendJson(reply, 200, {
          projects: projects.map((p) => projectView(p, base)),
          links: collectionLinks(`${base}/v3/projects`),
        });
      },
      POST: async (req, reply) => {
        requireAdmin(req, 'create_project');
        const project = await directory.createProject(parseProjectCreate(req.body));
        return sendJson(reply, 201, { project: projectView(project, publicBase(ctx, req)) });
      },
    },
    { GET: ops.listProjects, POST: ops.createProject },
  );

  route(
    v3,
    '/projects/:projectId',
    {
      GET: async (req, reply) => {
        const caller = requireToken(req);
        const id = param(req, 'projectId');
        if (caller.project?.id !== id && !caller.roles.includes('admin')) throw forbidden('get_project');
        return sendJson(reply, 200, {
          project: projectView(await directory.project(id), publicBase(ctx, req)),
        });
      },
      PATCH: async (req, reply) => {
        requireAdmin(req, 'update_project');
        const project = await directory.updateProject(param(req, 'projectId'), parseProjectUpdate(req.body));
        return sendJson(reply, 200, { project: projectView(project, publicBase(ctx, req)) });
      },
      DELETE: async (req, reply) => {
        requireAdmin(req, 'delete_project');
        await directory.deleteProject(param(req, 'projectId'));
        return reply.code(204).send();
      },
    },
    { GET: ops.showProject, PATCH: ops.updateProject, DELETE: ops.deleteProject },
  );

  route(
    v3,
    '/users',
    {
      GET: async (req, reply) => {
        requireAdmin(req, 'list_users');
        const base = publicBase(ctx, req);
        const users = await directory.listUsers(nameFilter(req));
        return sendJson(reply, 200, {
          users: users.map((u) => userView(u, base)),
          links: collectionLinks(`${base}/v3/users`),
        });
      },
      POST: async (req, reply) => {
        requireAdmin(req, 'create_user');
        const user = await directory.createUser(parseUserCreate(req.body));
        return sendJson(reply, 201, { user: userView(user, publicBase(ctx, req)) });
      },
    },
    { GET: ops.listUsers, POST: ops.createUser },
  );

  route(
    v3,
    '/users/:userId',
    {
      GET: async (req, reply) => {
        const id = param(req, 'userId');
        requireSelfOrAdmin(req, id, 'get_user');
        return sendJson(reply, 200, { user: userView(await directory.user(id), publicBase(ctx, req)) });
      },
      PATCH: async (req, reply) => {
        requireAdmin(req, 'update_user');
        const user = await directory.updateUser(param(req, 'userId'), parseUserUpdate(req.body));
        return sendJson(reply, 200, { user: userView(user, publicBase(ctx, req)) });
      },
      DELETE: async (req, reply) => {
        requireAdmin(req, 'delete_user');
        await directory.deleteUser(param(req, 'userId'));
        return reply.code(204).send();
      },
    },
    { GET: ops.showUser, PATCH: ops.updateUser, DELETE: ops.deleteUser },
  );

  route(
    v3,
    '/users/:userId/password',
    {
      POST: async (req, reply) => {
        const id = param(req, 'userId');
        const caller = requireToken(req);
        if (caller.user.id !== id) throw forbidden('change_password');
        const change = parsePasswordChange(req.body);
        await directory.changeOwnPassword(id, change.originalPassword, change.password);
        return reply.code(204).send();
      },
    },
    { POST: ops.changePassword },
  );

  route(
    v3,
    '/users/:userId/projects',
    {
      GET: async (req, reply) => {
        const id = param(req, 'userId');
        requireSelfOrAdmin(req, id, 'list_user_projects');
        const base = publicBase(ctx, req);
        const ids = new Set((await directory.listGrants({ userId: id })).map((g) => g.projectId));
        const projects = (await directory.listProjects()).filter((p) => ids.has(p.id));
        return sendJson(reply, 200, {
          projects: projects.map((p) => projectView(p, base)),
          links: collectionLinks(`${base}/v3/users/${id}/projects`),
        });
      },
    },
    { GET: ops.listUserProjects },
  );
}
