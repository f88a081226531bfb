/**
 * Operations of Hearth's own additions: the audit trail (`routes/audit.ts`; its `parseAuditQuery` is the check,
 * added there), the dashboard's live stack stream (`routes/stream.ts`) and the dashboard itself
 * (`dashboard.ts`: a redirect, its configuration, its static files).
 */
import type { Operation } from '../route-table.js';
import { operation } from './operation.js';
import { queryInt, queryText, querystring } from './primitives.js';

const text = { type: 'string' } as const;

/** `GET /v1/{tenant}/audit`. */
export const auditOperation: Operation = operation({
  operationId: 'listAuditRecords',
  summary: "The project's audit trail of mutating calls, newest first (project admins)",
  tag: 'audit',
  url: '/v1/:tenant/audit',
  querystring: querystring({
    limit: queryInt('At most this many records.'),
    marker: queryText('Id of the last record of the previous page.'),
    since: queryText('Only records at or after this ISO 8601 time.'),
    action: queryText('Only these policy actions, e.g. stacks:create (repeat or comma-separate).'),
    result: queryText('Only these results: success, failure, denied (repeat or comma-separate).'),
  }),
  responses: {
    200: {
      type: 'object',
      description: 'The records',
      properties: {
        audit: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: text,
              time: text,
              project_id: text,
              user_id: text,
              user_name: text,
              method: text,
              route: {
                type: 'string',
                description: 'The route, e.g. /v1/:tenant/stacks/:stackName/:stackId',
              },
              action: { type: ['string', 'null'], description: 'The policy action, e.g. stacks:delete' },
              target: { type: ['string', 'null'] },
              status: { type: 'integer', description: 'HTTP status of the answer' },
              result: { type: 'string', enum: ['success', 'failure', 'denied'] },
              request_id: text,
            },
            required: ['id', 'time', 'project_id', 'method', 'route', 'status', 'result', 'request_id'],
          },
        },
      },
      required: ['audit'],
    },
  },
});

/** `GET /v1/{tenant}/stacks/{name}/{id}/stream`. */
export const streamOperation: Operation = operation({
  operationId: 'streamStack',
  summary: 'A live feed of a stack: server-sent events stack, event and gone',
  description:
    'text/event-stream. `stack` carries the stack status (first, then on every change), `event` one Heat event ' +
    '(its SSE id is the event id), `gone` ends the feed when the stack is deleted. Resume with the ' +
    'Last-Event-ID header or the last_event_id query parameter.',
  tag: 'events',
  url: '/v1/:tenant/stacks/:stackName/:stackId/stream',
  querystring: querystring({ last_event_id: queryText('Resume after this event (when no Last-Event-ID).') }),
  responses: {
    200: {
      description: 'The event stream',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    },
  },
});

const page = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
});

/** The dashboard's routes, by `METHOD url`. */
export const dashboardOperations: Record<string, Operation> = {
  'GET /dashboard': operation({
    operationId: 'openDashboard',
    summary: 'The dashboard (301 to /dashboard/)',
    tag: 'dashboard',
    url: '/dashboard',
    public: true,
    responses: { 301: { type: 'null', description: 'Moved: Location is /dashboard/' } },
  }),
  'GET /dashboard/config.json': operation({
    operationId: 'getDashboardConfig',
    summary: "The dashboard's configuration",
    tag: 'dashboard',
    url: '/dashboard/config.json',
    public: true,
    responses: {
      200: {
        type: 'object',
        description: 'How the dashboard signs in',
        properties: { auth: { type: 'string', enum: ['keystone', 'noauth'] }, identityPath: text },
        required: ['auth', 'identityPath'],
      },
    },
  }),
  'GET /dashboard/': operation({
    operationId: 'getDashboardPage',
    summary: "The dashboard's page",
    tag: 'dashboard',
    url: '/dashboard/',
    public: true,
    responses: { 200: page('The page'), 503: page('The dashboard is not built') },
  }),
  'GET /dashboard/*': operation({
    operationId: 'getDashboardFile',
    summary: "The dashboard's static files",
    tag: 'dashboard',
    url: '/dashboard/*',
    public: true,
    responses: {
      200: page('The file (HTML, script, style, image)'),
      503: page('The dashboard is not built'),
    },
  }),
};
