/**
 * The policy table: every route of the API (method + Fastify route URL) mapped to the Heat policy action it
 * performs (`stacks:create`, `resource:signal`, …, Heat's names from `heat/policies/*.py`) and the rule a caller
 * must satisfy. Heat's defaults: `PROJECT_READER` → `read`, `PROJECT_MEMBER` → `write`; Hearth's own routes
 * (audit, the dashboard stream) follow the same scheme. A route without an entry is refused (see `policy.ts`), and
 * a unit test checks that every registered route has one.
 */
import { STACK_ACTIONS } from './routes/actions.js';
import { extractBool, single, type Query } from './params.js';

/**
 * What a caller must be:
 * - `public`: anyone, no token (version documents, `/v3` discovery and sign-in, the OpenAPI document);
 * - `authenticated`: any valid token (the identity API itself limits a user to their own credentials);
 * - `read`: the reader role (or member, admin) in the project;
 * - `write`: the member role (or admin) in the project;
 * - `admin`: the admin role;
 * - `signal`: a reader of the project, or a resource signal token for exactly that resource.
 * - `host`: a host credential whose server is the URL's `serverId` (agent routes), or a member of the project.
 *   A host credential satisfies no other rule.
 */
export type PolicyRule = 'public' | 'authenticated' | 'read' | 'write' | 'admin' | 'signal' | 'host';

/** HTTP methods of table entries (`HEAD` falls back to the `GET` entry). */
export type PolicyMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The parts of a request a refinement may read. */
export interface PolicyRequest {
  readonly body: unknown;
  readonly query: Query;
}

/** The action and rule that apply to one request. */
export interface PolicyDecision {
  readonly action: string;
  readonly rule: PolicyRule;
}

/** One row of the table. */
export interface PolicyEntry extends PolicyDecision {
  readonly method: PolicyMethod;
  /** The Fastify route URL, exactly as registered (`/v1/:tenant/stacks/:stackName/:stackId`). */
  readonly url: string;
  /** For routes whose action depends on the request (stack actions, global stack listing). */
  readonly refine?: (req: PolicyRequest) => PolicyDecision | undefined;
}

const V1 = '/v1/:tenant';
const STACK = `${V1}/stacks/:stackName/:stackId`;
const RESOURCE = `${STACK}/resources/:resourceName`;
const SNAPSHOT = `${STACK}/snapshots/:snapshotId`;
const MUTATING: readonly PolicyMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Heat's rule per stack action (`actions:check` is a reader's action, the others a member's). */
function stackActionDecision(req: PolicyRequest): PolicyDecision | undefined {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const keys = Object.keys(body);
  if (keys.length !== 1 || !STACK_ACTIONS.includes(keys[0]!)) return undefined;
  return { action: `actions:${keys[0]}`, rule: keys[0] === 'check' ? 'read' : 'write' };
}

/** `GET /stacks?global_tenant=true` is Heat's `stacks:global_index`, an admin's listing of every project. */
function stackIndexDecision(req: PolicyRequest): PolicyDecision | undefined {
  const raw = single(req.query, 'global_tenant');
  if (raw === undefined) return undefined;
  try {
    return extractBool('global_tenant', raw) ? { action: 'stacks:global_index', rule: 'admin' } : undefined;
  } catch {
    return undefined; // the list handler answers the 400 for a malformed boolean
  }
}

function entry(method: PolicyMethod, url: string, action: string, rule: PolicyRule): PolicyEntry {
  return { method, url, action, rule };
}

/** Name-only stack URLs answer a 302 to the canonical URL for every method (Heat's `stacks:lookup`). */
function lookupEntries(url: string): PolicyEntry[] {
  return MUTATING.map((method) => entry(method, url, 'stacks:lookup', 'read'));
}

/** Every route of the API. */
export const POLICY_TABLE: readonly PolicyEntry[] = [
  // Version documents.
  entry('GET', '/', 'versions:index', 'public'),
  entry('GET', '/versions', 'versions:index', 'public'),
  entry('GET', '/v1', 'versions:index', 'public'),
  entry('GET', '/v1/', 'versions:index', 'public'),
  entry('GET', '/openapi.json', 'openapi:show', 'public'),
  entry('GET', `${V1}/build_info`, 'build_info:build_info', 'read'),
  entry('GET', `${V1}/services`, 'service:index', 'admin'),

  // Stacks.
  { ...entry('GET', `${V1}/stacks`, 'stacks:index', 'read'), refine: stackIndexDecision },
  entry('POST', `${V1}/stacks`, 'stacks:create', 'write'),
  entry('GET', `${V1}/stacks/detail`, 'stacks:detail', 'read'),
  entry('POST', `${V1}/stacks/preview`, 'stacks:preview', 'read'),
  ...lookupEntries(`${V1}/stacks/:stackName`),
  ...['resources', 'events', 'template', 'outputs', 'environment', 'files', 'actions'].flatMap((sub) =>
    lookupEntries(`${V1}/stacks/:stackName/${sub}`),
  ),
  entry('GET', STACK, 'stacks:show', 'read'),
  entry('PUT', STACK, 'stacks:update', 'write'),
  entry('PATCH', STACK, 'stacks:update_patch', 'write'),
  entry('DELETE', STACK, 'stacks:delete', 'write'),
  entry('PUT', `${STACK}/preview`, 'stacks:preview_update', 'write'),
  entry('PATCH', `${STACK}/preview`, 'stacks:preview_update_patch', 'write'),
  entry('DELETE', `${STACK}/abandon`, 'stacks:abandon', 'write'),
  entry('GET', `${STACK}/export`, 'stacks:export', 'write'),
  entry('GET', `${STACK}/template`, 'stacks:template', 'read'),
  entry('GET', `${STACK}/environment`, 'stacks:environment', 'read'),
  entry('GET', `${STACK}/files`, 'stacks:files', 'read'),
  { ...entry('POST', `${STACK}/actions`, 'actions:action', 'write'), refine: stackActionDecision },

  // Snapshots and outputs.
  entry('POST', `${STACK}/snapshots`, 'stacks:snapshot', 'write'),
  entry('GET', `${STACK}/snapshots`, 'stacks:list_snapshots', 'read'),
  entry('GET', SNAPSHOT, 'stacks:show_snapshot', 'read'),
  entry('DELETE', SNAPSHOT, 'stacks:delete_snapshot', 'write'),
  entry('POST', `${SNAPSHOT}/restore`, 'stacks:restore_snapshot', 'write'),
  entry('GET', `${STACK}/outputs`, 'stacks:list_outputs', 'read'),
  entry('GET', `${STACK}/outputs/:outputKey`, 'stacks:show_output', 'read'),

  // Resources and events.
  entry('GET', `${STACK}/resources`, 'resource:index', 'read'),
  entry('GET', RESOURCE, 'resource:show', 'read'),
  entry('PATCH', RESOURCE, 'resource:mark_unhealthy', 'write'),
  entry('GET', `${RESOURCE}/metadata`, 'resource:metadata', 'read'),
  entry('POST', `${RESOURCE}/signal`, 'resource:signal', 'signal'),
  entry('GET', `${STACK}/events`, 'events:index', 'read'),
  entry('GET', `${RESOURCE}/events`, 'events:index', 'read'),
  entry('GET', `${RESOURCE}/events/:eventId`, 'events:show', 'read'),

  // Templates and resource types.
  entry('POST', `${V1}/validate`, 'stacks:validate_template', 'write'),
  entry('GET', `${V1}/template_versions`, 'stacks:list_template_versions', 'read'),
  entry('GET', `${V1}/template_versions/:version/functions`, 'stacks:list_template_functions', 'read'),
  entry('GET', `${V1}/resource_types`, 'stacks:list_resource_types', 'read'),
  entry('GET', `${V1}/resource_types/:type`, 'stacks:resource_schema', 'read'),
  entry('GET', `${V1}/resource_types/:type/template`, 'stacks:generate_template', 'write'),

  // Software configs and deployments.
  entry('GET', `${V1}/software_configs`, 'software_configs:index', 'read'),
  entry('POST', `${V1}/software_configs`, 'software_configs:create', 'write'),
  entry('GET', `${V1}/software_configs/:configId`, 'software_configs:show', 'read'),
  entry('DELETE', `${V1}/software_configs/:configId`, 'software_configs:delete', 'write'),
  entry('GET', `${V1}/software_deployments`, 'software_deployments:index', 'read'),
  entry('POST', `${V1}/software_deployments`, 'software_deployments:create', 'write'),
  entry('GET', `${V1}/software_deployments/metadata/:serverId`, 'software_deployments:metadata', 'read'),
  entry('GET', `${V1}/software_deployments/:deploymentId`, 'software_deployments:show', 'read'),
  entry('PUT', `${V1}/software_deployments/:deploymentId`, 'software_deployments:update', 'write'),
  entry('DELETE', `${V1}/software_deployments/:deploymentId`, 'software_deployments:delete', 'write'),

  // The agent API: the host itself (its server only) or the project's members.
  entry('GET', `${V1}/agent/:serverId/deployments`, 'agent:deployments', 'host'),
  entry('POST', `${V1}/agent/:serverId/deployments/:deploymentId/signal`, 'agent:signal', 'host'),
  entry('POST', `${V1}/agent/:serverId/deployments/:deploymentId/progress`, 'agent:progress', 'host'),
  entry('POST', `${V1}/agent/:serverId/deployments/:deploymentId/stats`, 'agent:stats', 'host'),
  // A container server's pods, run by the host for its agent (which has no Docker).
  entry('PUT', `${V1}/agent/:serverId/pods`, 'agent:pods_apply', 'host'),
  entry('GET', `${V1}/agent/:serverId/pods`, 'agent:pods_status', 'host'),
  // A signed deployment signal URL (TEMP_URL_SIGNAL): its signature is checked by the route itself.
  entry('PUT', '/v1/signal/deployments/:deploymentId', 'software_deployments:signal_url', 'public'),

  // The Keystone v3 subset (Keystone's action names). These routes check their tokens themselves: the admin
  // role, or the user themself for their own user, projects, password and application credentials.
  entry('GET', '/v3', 'identity:version', 'public'),
  entry('GET', '/v3/', 'identity:version', 'public'),
  entry('POST', '/v3/auth/tokens', 'identity:authenticate', 'public'),
  entry('GET', '/v3/auth/tokens', 'identity:validate_token', 'authenticated'),
  entry('DELETE', '/v3/auth/tokens', 'identity:revoke_token', 'authenticated'),
  entry('GET', '/v3/auth/projects', 'identity:get_auth_projects', 'authenticated'),
  entry('GET', '/v3/auth/catalog', 'identity:get_auth_catalog', 'authenticated'),
  entry('GET', '/v3/projects', 'identity:list_projects', 'admin'),
  entry('POST', '/v3/projects', 'identity:create_project', 'admin'),
  entry('GET', '/v3/projects/:projectId', 'identity:get_project', 'authenticated'),
  entry('PATCH', '/v3/projects/:projectId', 'identity:update_project', 'admin'),
  entry('DELETE', '/v3/projects/:projectId', 'identity:delete_project', 'admin'),
  entry('GET', '/v3/users', 'identity:list_users', 'admin'),
  entry('POST', '/v3/users', 'identity:create_user', 'admin'),
  entry('GET', '/v3/users/:userId', 'identity:get_user', 'authenticated'),
  entry('PATCH', '/v3/users/:userId', 'identity:update_user', 'admin'),
  entry('DELETE', '/v3/users/:userId', 'identity:delete_user', 'admin'),
  entry('POST', '/v3/users/:userId/password', 'identity:change_password', 'authenticated'),
  entry('GET', '/v3/users/:userId/projects', 'identity:list_user_projects', 'authenticated'),
  entry('GET', '/v3/roles', 'identity:list_roles', 'authenticated'),
  entry('GET', '/v3/roles/:roleId', 'identity:get_role', 'authenticated'),
  entry('GET', '/v3/projects/:projectId/users/:userId/roles', 'identity:list_grants', 'admin'),
  entry('PUT', '/v3/projects/:projectId/users/:userId/roles/:roleId', 'identity:create_grant', 'admin'),
  entry('GET', '/v3/projects/:projectId/users/:userId/roles/:roleId', 'identity:check_grant', 'admin'),
  entry('DELETE', '/v3/projects/:projectId/users/:userId/roles/:roleId', 'identity:revoke_grant', 'admin'),
  entry('GET', '/v3/role_assignments', 'identity:list_role_assignments', 'authenticated'),
  entry(
    'POST',
    '/v3/users/:userId/application_credentials',
    'identity:create_application_credential',
    'authenticated',
  ),
  entry(
    'GET',
    '/v3/users/:userId/application_credentials',
    'identity:list_application_credentials',
    'authenticated',
  ),
  entry(
    'GET',
    '/v3/users/:userId/application_credentials/:credentialId',
    'identity:get_application_credential',
    'authenticated',
  ),
  entry(
    'DELETE',
    '/v3/users/:userId/application_credentials/:credentialId',
    'identity:delete_application_credential',
    'authenticated',
  ),
  entry('GET', '/openapi.json', 'openapi:show', 'public'),

  // Hearth extensions: the audit trail, the dashboard's live stream and its static files.
  entry('GET', `${V1}/audit`, 'audit:index', 'admin'),
  entry('GET', `${STACK}/stream`, 'stacks:stream', 'read'),
  entry('GET', '/dashboard', 'dashboard:show', 'public'),
  entry('GET', '/dashboard/', 'dashboard:show', 'public'),
  entry('GET', '/dashboard/*', 'dashboard:show', 'public'),
  entry('GET', '/dashboard/config.json', 'dashboard:show', 'public'),
  // Probes and Prometheus scrapers carry no token; none of the three shows tenant data (docs/operations.md).
  entry('GET', '/healthz', 'health:live', 'public'),
  entry('GET', '/readyz', 'health:ready', 'public'),
  entry('GET', '/metrics', 'metrics:show', 'public'),
];

const BY_ROUTE = new Map(POLICY_TABLE.map((e) => [`${e.method} ${e.url}`, e]));

/** The table entry of a route (`HEAD` uses the `GET` entry), or undefined when the route has none. */
export function policyEntry(method: string, url: string): PolicyEntry | undefined {
  return BY_ROUTE.get(`${method} ${url}`) ?? (method === 'HEAD' ? BY_ROUTE.get(`GET ${url}`) : undefined);
}

/** The action and rule of one request on a route that has an entry. */
export function policyDecision(entry: PolicyEntry, req: PolicyRequest): PolicyDecision {
  const refined = entry.refine?.(req);
  return refined ?? { action: entry.action, rule: entry.rule };
}
