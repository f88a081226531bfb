/**
 * Identity verbs over the `/v3` API, as the openstack client's: `project create|list|show|delete`,
 * `user create|list|show|delete|set`, `role add|remove|list`, `role assignment list`,
 * `application credential create|list|show|delete`, `token issue|revoke`. Projects, users and roles may be
 * named by name or id.
 */
import { Command } from 'commander';
import type { AuthSession } from '../auth-session.js';
import { ApiError, HeatClient } from '../client.js';
import { formatList, formatRecord } from '../format.js';
import { collect } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { authSession, commandEnv, type CommandEnv } from './common.js';

type Json = Record<string, unknown>;

/** What identity commands need: the `/v3` client and the session (for the caller's own user id and token). */
interface IdentityEnv extends CommandEnv {
  session: AuthSession;
}

/** The identity environment of a command. @throws CliError without credentials */
function identityEnv(cmd: Command, io: CliIo): IdentityEnv {
  const session = authSession(cmd, io);
  if (!session) {
    throw new CliError(
      'identity commands need credentials: --os-auth-url with --os-username and --os-password ' +
        '(or OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, or --os-cloud NAME)',
    );
  }
  return { ...commandEnv(cmd, io), client: new HeatClient(session.source('identity')), session };
}

/** The kinds of named entities, with their collection and body keys. */
const KINDS = {
  project: { path: 'projects', one: 'project', many: 'projects' },
  user: { path: 'users', one: 'user', many: 'users' },
  role: { path: 'roles', one: 'role', many: 'roles' },
} as const;

/**
 * The entity a name or id designates: by id first, then by name (as the openstack client).
 * @throws CliError when nothing or several match
 */
async function find(env: IdentityEnv, kind: keyof typeof KINDS, ref: string): Promise<Json> {
  const k = KINDS[kind];
  try {
    const body = await env.client.request<Record<string, Json>>(
      'GET',
      `${k.path}/${encodeURIComponent(ref)}`,
    );
    return body[k.one]!;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  const list = await env.client.request<Record<string, Json[]>>(
    'GET',
    `${k.path}?name=${encodeURIComponent(ref)}`,
  );
  const found = list[k.many] ?? [];
  if (found.length === 1) return found[0]!;
  throw new CliError(
    found.length === 0
      ? `no ${kind} with name or id "${ref}"`
      : `${found.length} ${kind}s are named "${ref}"`,
  );
}

/** The id of the named entity. */
async function idOf(env: IdentityEnv, kind: keyof typeof KINDS, ref: string): Promise<string> {
  return String((await find(env, kind, ref))['id']);
}

/**
 * The `--project` of a verb. The global `--project` (the noauth endpoint's project) takes the value when both
 * exist, so the verb reads it through the globals.
 */
function projectOption(cmd: Command): string | undefined {
  return cmd.opts<{ project?: string }>().project ?? cmd.optsWithGlobals<{ project?: string }>().project;
}

/** A record without Keystone's `links`. */
function record(entity: Json): Json {
  const { links: _links, ...rest } = entity;
  return rest;
}

/** Builds the `project` command group. */
function projectCommand(io: CliIo): Command {
  const project = new Command('project').description('Manage projects (admin)');
  project
    .command('create')
    .description('Create a project')
    .argument('<name>', 'project name')
    .option('--description <text>', 'description')
    .option('--disable', 'create it disabled')
    .action(async (name: string, opts: { description?: string; disable?: boolean }, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const body = await env.client.request<{ project: Json }>('POST', 'projects', {
        project: {
          name,
          ...(opts.description ? { description: opts.description } : {}),
          enabled: !opts.disable,
        },
      });
      env.io.out(formatRecord(env.format, record(body.project), env.columns));
    });
  project
    .command('list')
    .description('List projects')
    .action(async (_opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const { projects } = await env.client.request<{ projects: Json[] }>('GET', 'projects');
      env.io.out(
        formatList(
          env.format,
          [
            ['ID', 'id'],
            ['Name', 'name'],
          ],
          projects,
          env.columns,
        ),
      );
    });
  project
    .command('show')
    .description('Show a project')
    .argument('<project>', 'name or id')
    .action(async (ref: string, _opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      env.io.out(formatRecord(env.format, record(await find(env, 'project', ref)), env.columns));
    });
  project
    .command('delete')
    .description('Delete projects (with their role assignments and application credentials)')
    .argument('<project...>', 'names or ids')
    .action(async (refs: string[], _opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      for (const ref of refs)
        await env.client.request('DELETE', `projects/${await idOf(env, 'project', ref)}`);
    });
  return project;
}

/** Builds the `user` command group. */
function userCommand(io: CliIo): Command {
  const user = new Command('user').description('Manage users (admin)');
  user
    .command('create')
    .description('Create a user')
    .argument('<name>', 'user name')
    .option('--password <password>', 'password')
    .option('--project <project>', 'default project (name or id)')
    .option('--description <text>', 'description')
    .option('--disable', 'create the user disabled')
    .action(
      async (
        name: string,
        opts: { password?: string; description?: string; disable?: boolean },
        cmd: Command,
      ) => {
        const env = identityEnv(cmd, io);
        const body: Json = { name, enabled: !opts.disable };
        if (opts.password !== undefined) body['password'] = opts.password;
        if (opts.description !== undefined) body['description'] = opts.description;
        const project = projectOption(cmd);
        if (project !== undefined) body['default_project_id'] = await idOf(env, 'project', project);
        const created = await env.client.request<{ user: Json }>('POST', 'users', { user: body });
        env.io.out(formatRecord(env.format, record(created.user), env.columns));
      },
    );
  user
    .command('list')
    .description('List users')
    .action(async (_opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const { users } = await env.client.request<{ users: Json[] }>('GET', 'users');
      env.io.out(
        formatList(
          env.format,
          [
            ['ID', 'id'],
            ['Name', 'name'],
          ],
          users,
          env.columns,
        ),
      );
    });
  user
    .command('show')
    .description('Show a user')
    .argument('<user>', 'name or id')
    .action(async (ref: string, _opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      env.io.out(formatRecord(env.format, record(await find(env, 'user', ref)), env.columns));
    });
  user
    .command('delete')
    .description('Delete users (their tokens stop working at once)')
    .argument('<user...>', 'names or ids')
    .action(async (refs: string[], _opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      for (const ref of refs) await env.client.request('DELETE', `users/${await idOf(env, 'user', ref)}`);
    });
  user
    .command('set')
    .description("Change a user (a new password revokes the user's tokens)")
    .argument('<user>', 'name or id')
    .option('--password <password>', 'new password')
    .option('--name <name>', 'new name')
    .option('--project <project>', 'default project (name or id)')
    .option('--enable', 'enable the user')
    .option('--disable', 'disable the user')
    .action(
      async (
        ref: string,
        opts: { password?: string; name?: string; enable?: boolean; disable?: boolean },
        cmd: Command,
      ) => {
        const env = identityEnv(cmd, io);
        if (opts.enable && opts.disable) throw new CliError('--enable and --disable exclude each other', 2);
        const body: Json = {};
        if (opts.password !== undefined) body['password'] = opts.password;
        if (opts.name !== undefined) body['name'] = opts.name;
        const project = projectOption(cmd);
        if (project !== undefined) body['default_project_id'] = await idOf(env, 'project', project);
        if (opts.enable || opts.disable) body['enabled'] = !!opts.enable;
        if (Object.keys(body).length === 0) {
          throw new CliError(
            'nothing to change: give --password, --name, --project, --enable or --disable',
            2,
          );
        }
        await env.client.request('PATCH', `users/${await idOf(env, 'user', ref)}`, { user: body });
      },
    );
  return user;
}

/** The grant path of `--user`, `--project` and a role. */
async function grantPath(env: IdentityEnv, cmd: Command, user: string, role: string): Promise<string> {
  const project = projectOption(cmd);
  if (project === undefined) throw new CliError(`${cmd.name()}: --project is required`, 2);
  const [projectId, userId, roleId] = await Promise.all([
    idOf(env, 'project', project),
    idOf(env, 'user', user),
    idOf(env, 'role', role),
  ]);
  return `projects/${projectId}/users/${userId}/roles/${roleId}`;
}

/** Builds the `role` command group. */
function roleCommand(io: CliIo): Command {
  const role = new Command('role').description('Roles (admin, member, reader) and their assignments');
  for (const [verb, method, text] of [
    ['add', 'PUT', 'Grant a role to a user on a project'],
    ['remove', 'DELETE', "Remove a user's role on a project (revokes their tokens there)"],
  ] as const) {
    role
      .command(verb)
      .description(text)
      .argument('<role>', 'admin, member or reader (or a role id)')
      .requiredOption('--user <user>', 'user name or id')
      .option('--project <project>', 'project name or id (required)')
      .action(async (name: string, opts: { user: string }, cmd: Command) => {
        const env = identityEnv(cmd, io);
        await env.client.request(method, await grantPath(env, cmd, opts.user, name));
      });
  }
  role
    .command('list')
    .description('List roles')
    .action(async (_opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const { roles } = await env.client.request<{ roles: Json[] }>('GET', 'roles');
      env.io.out(
        formatList(
          env.format,
          [
            ['ID', 'id'],
            ['Name', 'name'],
          ],
          roles,
          env.columns,
        ),
      );
    });
  role
    .command('assignment')
    .description('Role assignments')
    .command('list')
    .description('List role assignments')
    .option('--user <user>', 'only this user (name or id)')
    .option('--project <project>', 'only this project (name or id)')
    .option('--effective', 'include implied roles (admin ⇒ member ⇒ reader)')
    .option('--names', 'show names instead of ids')
    .action(async (opts: { user?: string; effective?: boolean; names?: boolean }, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const q = new URLSearchParams();
      if (opts.user) q.set('user.id', await idOf(env, 'user', opts.user));
      const project = projectOption(cmd);
      if (project) q.set('scope.project.id', await idOf(env, 'project', project));
      if (opts.effective) q.set('effective', 'true');
      q.set('include_names', 'true');
      const { role_assignments } = await env.client.request<{ role_assignments: Json[] }>(
        'GET',
        `role_assignments?${q.toString()}`,
      );
      const field = (a: Json, key: string) => {
        const entity = (key === 'project' ? (a['scope'] as Json)['project'] : a[key]) as Json;
        return opts.names ? entity['name'] : entity['id'];
      };
      const rows = role_assignments.map((a) => ({
        role: field(a, 'role'),
        user: field(a, 'user'),
        project: field(a, 'project'),
      }));
      const columns: [string, string][] = [
        ['Role', 'role'],
        ['User', 'user'],
        ['Project', 'project'],
      ];
      env.io.out(formatList(env.format, columns, rows, env.columns));
    });
  return role;
}

/** The calling user's application credential path. */
async function credentialsPath(env: IdentityEnv): Promise<string> {
  return `users/${(await env.session.token()).userId}/application_credentials`;
}

/** The id of one of the caller's application credentials, by name or id. */
async function credentialId(env: IdentityEnv, ref: string): Promise<string> {
  const base = await credentialsPath(env);
  const { application_credentials: all } = await env.client.request<{ application_credentials: Json[] }>(
    'GET',
    base,
  );
  const found = all.find((c) => c['id'] === ref) ?? all.find((c) => c['name'] === ref);
  if (!found) throw new CliError(`no application credential with name or id "${ref}"`);
  return String(found['id']);
}

/** A credential as shown: roles as names. */
function credentialRecord(c: Json): Json {
  const roles = ((c['roles'] as Json[] | undefined) ?? []).map((r) => r['name']).join(', ');
  return { ...record(c), roles };
}

/** Builds the `application credential` command group. */
function applicationCommand(io: CliIo): Command {
  const application = new Command('application').description('Application credentials');
  const credential = application
    .command('credential')
    .description("Manage the calling user's application credentials");
  credential
    .command('create')
    .description('Create an application credential for the current project (its secret is shown once)')
    .argument('<name>', 'credential name')
    .option('--secret <secret>', 'the secret (default: generated)')
    .option('--role <role>', 'a role it grants (repeatable; default: all of yours)', collect, [])
    .option('--expiration <time>', 'when it stops working (ISO 8601, e.g. 2030-01-31T12:00:00)')
    .option('--description <text>', 'description')
    .option('--unrestricted', 'may create and delete application credentials itself')
    .action(
      async (
        name: string,
        opts: {
          secret?: string;
          role: string[];
          expiration?: string;
          description?: string;
          unrestricted?: boolean;
        },
        cmd: Command,
      ) => {
        const env = identityEnv(cmd, io);
        const body: Json = { name, unrestricted: !!opts.unrestricted };
        if (opts.secret !== undefined) body['secret'] = opts.secret;
        if (opts.role.length > 0)
          body['roles'] = opts.role.map((r) => (/^[0-9a-f]{32}$/.test(r) ? { id: r } : { name: r }));
        if (opts.expiration !== undefined) body['expires_at'] = opts.expiration;
        if (opts.description !== undefined) body['description'] = opts.description;
        const created = await env.client.request<{ application_credential: Json }>(
          'POST',
          await credentialsPath(env),
          {
            application_credential: body,
          },
        );
        env.io.out(formatRecord(env.format, credentialRecord(created.application_credential), env.columns));
      },
    );
  credential
    .command('list')
    .description('List your application credentials')
    .action(async (_opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const { application_credentials: all } = await env.client.request<{ application_credentials: Json[] }>(
        'GET',
        await credentialsPath(env),
      );
      const columns: [string, string][] = [
        ['ID', 'id'],
        ['Name', 'name'],
        ['Project ID', 'project_id'],
        ['Roles', 'roles'],
        ['Expires At', 'expires_at'],
      ];
      env.io.out(formatList(env.format, columns, all.map(credentialRecord), env.columns));
    });
  credential
    .command('show')
    .description('Show one of your application credentials')
    .argument('<credential>', 'name or id')
    .action(async (ref: string, _opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const id = await credentialId(env, ref);
      const body = await env.client.request<{ application_credential: Json }>(
        'GET',
        `${await credentialsPath(env)}/${id}`,
      );
      env.io.out(formatRecord(env.format, credentialRecord(body.application_credential), env.columns));
    });
  credential
    .command('delete')
    .description('Delete application credentials (their tokens stop working at once)')
    .argument('<credential...>', 'names or ids')
    .action(async (refs: string[], _opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      for (const ref of refs) {
        await env.client.request('DELETE', `${await credentialsPath(env)}/${await credentialId(env, ref)}`);
      }
    });
  return application;
}

/** Builds the `token` command group. */
function tokenCommand(io: CliIo): Command {
  const token = new Command('token').description('Identity tokens');
  token
    .command('issue')
    .description('Sign in and show the token (and its expiry, project and user)')
    .action(async (_opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const session = await env.session.token();
      const shown = {
        expires: session.expiresAt,
        id: session.token,
        project_id: session.projectId,
        user_id: session.userId,
      };
      env.io.out(formatRecord(env.format, shown, env.columns));
    });
  token
    .command('revoke')
    .description('Revoke a token (it stops working at once)')
    .argument('<token>', 'the token')
    .action(async (subject: string, _opts, cmd: Command) => {
      const env = identityEnv(cmd, io);
      const own = (await env.session.token()).token;
      await env.client.request('DELETE', 'auth/tokens', undefined, { 'x-subject-token': subject });
      if (subject === own) env.session.forget();
    });
  return token;
}

/** Every identity command group. */
export function identityCommands(io: CliIo): Command[] {
  return [projectCommand(io), userCommand(io), roleCommand(io), applicationCommand(io), tokenCommand(io)];
}
