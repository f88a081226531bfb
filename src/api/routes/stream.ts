/**
 * `GET /v1/{tenant}/stacks/{name}/{id}/stream`: a live feed of one stack for the dashboard, as server-sent events
 * (`text/event-stream`). Hearth extension; authenticated like every /v1 route (browsers read it with `fetch`, so
 * the token travels in `X-Auth-Token`, never in the URL).
 *
 * Messages:
 * - `stack` — the stack's status (`{id, stack_name, stack_status, stack_status_reason, creation_time,
 *   updated_time}`), sent first and whenever it changes;
 * - `event` — one Heat event of the stack or of its nested stacks (the event list's shape, with `root_stack_id`);
 *   its SSE `id:` is the event id, so a client reconnecting with `Last-Event-ID` (header, or the query parameter
 *   `last_event_id`) gets every event it missed, in order;
 * - `gone` — the stack was deleted (or is no longer visible); the stream then ends;
 * - comments (`: keep-alive`) every {@link StreamOptions.heartbeatMs} so clients can tell a dead connection.
 *
 * Without `Last-Event-ID` the feed starts after the newest event at connect time (clients read history from
 * `…/events`); `Last-Event-ID: 0` replays the stack's events from the first one. The feed polls the engine (it works unchanged when several processes share one database): every
 * {@link StreamOptions.activePollMs} while the stack is IN_PROGRESS, every {@link StreamOptions.idlePollMs}
 * otherwise, and never more often than four times the cost of one poll.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { StackRecord } from '../../engine/store.js';
import { HeatError } from '../../template/errors.js';
import { identifiedStack, param, query, type ApiContext } from '../context.js';
import { heatTime } from '../links.js';
import { single } from '../params.js';
import { route } from '../route-table.js';
import { streamOperation } from '../schemas/extensions.js';
import { formatEvent } from '../views/event.js';
import { displayStatus } from '../views/stack.js';

/** Timing of the feed (tests shorten them). */
export interface StreamOptions {
  /** Poll interval while the stack is IN_PROGRESS; default 250 ms. */
  activePollMs: number;
  /** Poll interval otherwise; default 1000 ms. */
  idlePollMs: number;
  /** Interval of keep-alive comments; default 15 s. */
  heartbeatMs: number;
}

/** Defaults of {@link StreamOptions}. */
export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  activePollMs: 250,
  idlePollMs: 1000,
  heartbeatMs: 15_000,
};

/** Nested stacks whose events the feed carries (deeper than any allowed nesting). */
const NESTED_DEPTH = 100;
/** Events written per poll at most (the next poll follows at once when there were more). */
const EVENTS_PER_POLL = 500;

/** The `Last-Event-ID` that asks for every event from the first one. */
export const FROM_START = '0';

/** One server-sent event as text: `event:`, optional `id:`, one `data:` line of JSON. */
export function sseMessage(event: string, data: unknown, id?: string): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/** The `stack` message body. */
export function stackStatusBody(s: StackRecord): Record<string, unknown> {
  return {
    id: s.id,
    stack_name: s.name,
    stack_status: displayStatus(s),
    stack_status_reason: s.statusReason,
    creation_time: heatTime(s.createdAt),
    updated_time: heatTime(s.updatedAt),
  };
}

/** The id a client resumes after: `Last-Event-ID` header, else `last_event_id` query parameter. */
function resumeId(req: FastifyRequest): string | undefined {
  const header = req.headers['last-event-id'];
  const value = (Array.isArray(header) ? header[0] : header) ?? single(query(req), 'last_event_id');
  return value ? value.trim() || undefined : undefined;
}

/** Streams open at the moment, ended when the server closes. */
type OpenStreams = Set<() => void>;

/** Registers the stream route; open streams end when the application closes. */
export function registerStreamRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  options: Partial<StreamOptions> = {},
): void {
  const timing = { ...DEFAULT_STREAM_OPTIONS, ...options };
  const open: OpenStreams = new Set();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  route(
    app,
    '/v1/:tenant/stacks/:stackName/:stackId/stream',
    {
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        const resume = resumeId(req);
        const cursor =
          resume === FROM_START
            ? undefined
            : (resume ?? (await newestEventId(ctx, param(req, 'tenant'), stack.id)));
        void reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-openstack-request-id': req.id,
        });
        if (req.method === 'HEAD') {
          raw.end();
          return reply;
        }
        raw.write('retry: 2000\n\n');
        feed(ctx, req, raw, stack, cursor, timing, open);
        return reply;
      },
    },
    { GET: streamOperation },
  );
}

/** Id of the newest event of the stack tree, or undefined when it has none. */
async function newestEventId(ctx: ApiContext, tenant: string, stackId: string): Promise<string | undefined> {
  const newest = await ctx.engine.listEvents(tenant, stackId, {
    sortDir: 'desc',
    limit: 1,
    nestedDepth: NESTED_DEPTH,
  });
  return newest[0]?.id;
}

/** Runs one client's feed until it disconnects, the stack goes away or the server closes. */
function feed(
  ctx: ApiContext,
  req: FastifyRequest,
  raw: ServerResponse,
  first: StackRecord,
  resumeAfter: string | undefined,
  timing: StreamOptions,
  open: OpenStreams,
): void {
  const tenant = param(req, 'tenant');
  let cursor = resumeAfter;
  let lastStatus = '';
  let ended = false;
  let pollTimer: NodeJS.Timeout | undefined;
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), timing.heartbeatMs);

  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    clearTimeout(pollTimer);
    open.delete(end);
    raw.end();
  };
  open.add(end);
  raw.on('close', end);

  const sendStack = (s: StackRecord) => {
    const body = stackStatusBody(s);
    const key = JSON.stringify(body);
    if (key === lastStatus) return;
    lastStatus = key;
    raw.write(sseMessage('stack', body));
  };
  sendStack(first);

  const poll = async (): Promise<number> => {
    const started = Date.now();
    let stack: StackRecord;
    try {
      stack = await ctx.engine.getStack(tenant, first.name, first.id);
    } catch (err) {
      if (err instanceof HeatError && err.status === 404) {
        raw.write(sseMessage('gone', { id: first.id, stack_name: first.name, reason: 'not_found' }));
        end();
        return 0;
      }
      throw err;
    }
    const events = await ctx.engine.listEvents(tenant, stack.id, {
      sortDir: 'asc',
      limit: EVENTS_PER_POLL,
      nestedDepth: NESTED_DEPTH,
      ...(cursor ? { marker: cursor } : {}),
    });
    for (const e of events) {
      raw.write(
        sseMessage('event', formatEvent(req, tenant, e, { detail: false, withRootStackId: true }), e.id),
      );
      cursor = e.id;
    }
    sendStack(stack);
    if (stack.action === 'DELETE' && stack.status === 'COMPLETE') {
      raw.write(sseMessage('gone', { id: stack.id, stack_name: stack.name, reason: 'deleted' }));
      end();
      return 0;
    }
    if (events.length === EVENTS_PER_POLL) return 0;
    const base = stack.status === 'IN_PROGRESS' ? timing.activePollMs : timing.idlePollMs;
    return Math.max(base, 4 * (Date.now() - started));
  };

  const loop = () => {
    poll().then(
      (delay) => {
        if (!ended) pollTimer = setTimeout(loop, delay);
      },
      (err: unknown) => {
        req.log.error({ err }, 'stack stream poll failed');
        if (!ended) raw.write(sseMessage('error', { message: 'The stream failed; reconnect to resume.' }));
        end();
      },
    );
  };
  loop();
}
