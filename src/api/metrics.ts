/**
 * Prometheus metrics of a Hearth process (`GET /metrics`, prom-client): request latency by route, method and
 * status; resource-action latency by type, action and outcome; stacks by status; event-loop lag and the process
 * metrics (CPU, memory, handles). Labels are route templates and type names only: never ids, names or secrets.
 */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { WriteOp } from '../engine/store.js';

/** What the metrics read from the store. */
export interface MetricsSource {
  /** Live stacks counted by status (read at each scrape). */
  countStacksByStatus(): Promise<Record<string, number>>;
  /** Calls the observer with each committed batch of writes; returns the function that stops it. */
  observeWrites(observer: (ops: readonly WriteOp[]) => void): () => void;
}

/** What the metrics read from a notification outbox publisher (`src/notify/`), when the process runs one. */
export interface OutboxMetricsSource {
  /** Rows waiting in the outbox. */
  depth(): Promise<number>;
  /** Age in seconds of the oldest waiting row (0 when empty). */
  lagSeconds(): Promise<number>;
  /** This process's counts: messages confirmed, and messages whose confirm was lost (sent again). */
  stats?(): { published: number; unconfirmed: number };
}

/** Buckets (seconds) of the request latency histogram. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets (seconds) of the resource action histogram (provider calls can take minutes). */
const ACTION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900];
/** In-progress actions remembered at most (older ones are forgotten, not observed). */
const MAX_OPEN_ACTIONS = 100_000;

/** A process's metrics registry and the hooks that feed it. */
export class HearthMetrics {
  /** The registry `/metrics` serialises. */
  readonly registry = new Registry();
  readonly #requests: Histogram<'method' | 'route' | 'status'>;
  readonly #actions: Histogram<'type' | 'action' | 'status'>;
  /** Start time (ms) of each resource action in progress, by `stack/resource/action`. */
  readonly #open = new Map<string, number>();
  readonly #stopObserving: () => void;

  constructor(source: MetricsSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hearth_' });
    this.#requests = new Histogram({
      name: 'hearth_http_request_duration_seconds',
      help: 'API request latency by route template, method and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: REQUEST_BUCKETS,
      registers: [this.registry],
    });
    this.#actions = new Histogram({
      name: 'hearth_resource_action_duration_seconds',
      help: 'Resource action latency (IN_PROGRESS to COMPLETE or FAILED) by resource type, action and outcome',
      labelNames: ['type', 'action', 'status'],
      buckets: ACTION_BUCKETS,
      registers: [this.registry],
    });
    new Gauge({
      name: 'hearth_stacks',
      help: 'Live stacks (nested ones included) by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [status, count] of Object.entries(await source.countStacksByStatus())) {
          this.set({ status }, count);
        }
      },
    });
    this.#stopObserving = source.observeWrites((ops) => this.#observeEvents(ops));
  }

  /**
   * Outbox gauges (a process that runs a notification publisher): `hearth_outbox_depth`, `…_lag_seconds` and, with
   * `stats`, `hearth_outbox_messages_total` by outcome.
   */
  watchOutbox(outbox: OutboxMetricsSource): void {
    new Gauge({
      name: 'hearth_outbox_depth',
      help: 'Notifications waiting in the outbox (written, not yet confirmed by the broker)',
      registers: [this.registry],
      async collect() {
        this.set(await outbox.depth());
      },
    });
    new Gauge({
      name: 'hearth_outbox_lag_seconds',
      help: 'Age of the oldest notification waiting in the outbox (0 when it is empty)',
      registers: [this.registry],
      async collect() {
        this.set(await outbox.lagSeconds());
      },
    });
    const stats = outbox.stats?.bind(outbox);
    if (stats === undefined) return;
    new Gauge({
      name: 'hearth_outbox_messages_total',
      help: 'Notifications this process sent: confirmed by the broker, or unconfirmed when a connection was lost',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        const { published, unconfirmed } = stats();
        this.set({ outcome: 'published' }, published);
        this.set({ outcome: 'unconfirmed' }, unconfirmed);
      },
    });
  }

  /**
   * Task queue gauges (split roles): tasks waiting and running, the oldest waiting task's age, and — on an engine —
   * its running stacks, claims, takeovers and the age of its leases (time since their last renewal).
   */
  watchTasks(
    stats: () => Promise<{ waiting: number; running: number; oldestWaitingSeconds: number }>,
    worker?: {
      readonly runningCount: number;
      readonly lastRenewedAt: number;
      readonly counters: { claimed: number; completed: number; takeovers: number; calls: number };
    },
  ): void {
    new Gauge({
      name: 'hearth_task_queue_depth',
      help: 'Root stack actions queued for engines, by state (waiting: no live lease; running: leased)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const s = await stats();
        this.set({ state: 'waiting' }, s.waiting);
        this.set({ state: 'running' }, s.running);
      },
    });
    new Gauge({
      name: 'hearth_task_oldest_waiting_seconds',
      help: 'Age of the oldest task no engine holds',
      registers: [this.registry],
      async collect() {
        this.set((await stats()).oldestWaitingSeconds);
      },
    });
    if (!worker) return;
    new Gauge({
      name: 'hearth_engine_running_stacks',
      help: 'Root stack actions this engine runs now',
      registers: [this.registry],
      collect() {
        this.set(worker.runningCount);
      },
    });
    new Gauge({
      name: 'hearth_engine_lease_age_seconds',
      help: 'Time since this engine last renewed its leases (grows while the database is away)',
      registers: [this.registry],
      collect() {
        this.set(worker.lastRenewedAt === 0 ? 0 : (Date.now() - worker.lastRenewedAt) / 1000);
      },
    });
    new Gauge({
      name: 'hearth_engine_tasks_total',
      help: 'Stack tasks this engine claimed, completed and took over from a lost engine; provider calls it ran',
      labelNames: ['event'],
      registers: [this.registry],
      collect() {
        for (const [event, n] of Object.entries(worker.counters)) this.set({ event }, n);
      },
    });
  }

  /** Times every request of `app` (by its route template; `unmatched` for 404s of unknown URLs). */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      this.#requests.observe(
        { method: req.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    app.addHook('onClose', async () => this.close());
  }

  /** Stops observing the store. */
  close(): void {
    this.#stopObserving();
  }

  /** Resource events of a committed batch: an IN_PROGRESS starts an action, COMPLETE/FAILED ends it. */
  #observeEvents(ops: readonly WriteOp[]): void {
    for (const op of ops) {
      if (op.kind !== 'insertEvent') continue;
      const { event } = op;
      const key = `${event.stackId}/${event.resourceName}/${event.action}`;
      const time = Date.parse(event.time);
      if (event.status === 'IN_PROGRESS') {
        if (this.#open.size >= MAX_OPEN_ACTIONS) this.#open.delete(this.#open.keys().next().value!);
        this.#open.set(key, time);
        continue;
      }
      const started = this.#open.get(key);
      if (started === undefined) continue;
      this.#open.delete(key);
      this.#actions.observe(
        { type: event.resourceType, action: event.action, status: event.status },
        Math.max(0, time - started) / 1000,
      );
    }
  }
}
