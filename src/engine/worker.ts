/**
 * The engine role's loop (`hearth engine`): claims root stacks' tasks from the {@link TaskQueue} under leases, runs
 * their actions with the executor, renews the leases with heartbeats, applies what API processes ask for meanwhile
 * (a newer request supersedes, a delete aborts, cancel controls) and removes a task once its action has ended.
 *
 * A task whose engine died (SIGKILL, lost host) keeps its row; its lease expires and another engine claims it and
 * resumes the action from the stored rows — the same resumption a restarted `hearth server` does (provider calls
 * are idempotent by resource id, so nothing is created twice).
 */
import type { StackRecord, Store } from './store.js';
import type { TaskControl, TaskQueue, TaskRecord } from './tasks.js';
import type { ActionResult } from './plugin.js';
import { storeFailure, type ResourceTaskQueue, type ResourceTaskRecord } from './resource-tasks.js';

/** What the worker uses of the executor. */
export interface WorkerHost {
  readonly store: Store;
  /** Runs the action (the row says `<action>_IN_PROGRESS`); resolves when it ends (never rejects). */
  start(stack: StackRecord): Promise<void>;
  /** Interrupts the local action: `delete` aborts work in flight, `shutdown` stops without writing. */
  interrupt(stackId: string, cause: 'delete' | 'shutdown'): Promise<void>;
  /** cancel_update / cancel_without_rollback of the local action; false when none runs. */
  cancel(stackId: string, rollback: boolean): Promise<boolean>;
  /** Records why an action restarts here (event). */
  noteResumed(stack: StackRecord, reason: string): Promise<void>;
  /** Runs a resource task's provider call. */
  runResourceTask(task: ResourceTaskRecord, signal: AbortSignal): Promise<ActionResult>;
}

/** Options of {@link TaskWorker}. */
export interface WorkerOptions {
  /** This engine's id (stored as the lease holder). */
  engineId: string;
  /** Lease length (default 30 s): how long a dead engine's work waits before another engine takes it. */
  leaseMs?: number;
  /** Heartbeat and poll period (default 500 ms): how fast new requests and controls are seen. */
  pollMs?: number;
  /** Most root stacks run at once by this engine (default 64). */
  capacity?: number;
  /**
   * Most tasks claimed in one round (default 16): engines polling in turn then share a burst of requests instead of
   * the first one filling up to its capacity.
   */
  claimBatch?: number;
  /** Resource tasks (provider calls of distributable resources) this engine also claims and runs. */
  resourceTasks?: ResourceTaskQueue;
  /** Most provider calls run at once (default 2048: calls mostly wait on providers). */
  resourceCapacity?: number;
  /** Poll period of resource tasks (default 200 ms; a task written here is claimed at once). */
  resourcePollMs?: number;
  /** How many engines share the resource tasks (default 1): a round claims its share of those waiting. */
  peers?: () => number;
  /** Told when a call run here has its outcome recorded (a traversal here may be waiting for it). */
  onCallEnded?: () => void;
  /** Told about problems (database unreachable, …) without stopping the loop. */
  onError?: (message: string, error: unknown, stackId?: string) => void;
}

interface Local {
  /** The traversal the running action was started for (the task's, when claimed). */
  traversal: string;
  done: Promise<void>;
  /** Whether the action is still running. */
  running: boolean;
}

/** The claim/renew/run loop of one engine process. */
export class TaskWorker {
  readonly #host: WorkerHost;
  readonly #queue: TaskQueue;
  readonly #engineId: string;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #capacity: number;
  readonly #claimBatch: number;
  readonly #onError: (message: string, error: unknown, stackId?: string) => void;
  readonly #local = new Map<string, Local>();
  #timer: NodeJS.Timeout | undefined;
  readonly #resourceQueue: ResourceTaskQueue | undefined;
  readonly #resourceCapacity: number;
  readonly #resourcePollMs: number;
  readonly #peers: () => number;
  readonly #onCallEnded: () => void;
  /** Provider calls running here, by resource id. */
  readonly #calls = new Map<string, { task: ResourceTaskRecord; controller: AbortController }>();
  #resourceTimer: NodeJS.Timeout | undefined;
  #resourceBusy = false;
  #callsRenewedAt = 0;
  #resourceAgain = false;
  #stopped = false;
  #tick: Promise<void> = Promise.resolve();
  #wake: (() => void) | null = null;
  /** When the leases were last renewed (epoch ms; 0 before the first round). */
  lastRenewedAt = 0;
  /** Whether renewals are failing (logged once per outage). */
  #renewalFailing = false;
  /** While fenced actions wind down: renewals wait for it, so the engine stays fenced until they have stopped. */
  #stopping: Promise<unknown> | null = null;
  /** Claims made, tasks completed, takeovers (claims of a task another engine held). */
  readonly counters = { claimed: 0, completed: 0, takeovers: 0, calls: 0 };

  constructor(host: WorkerHost, queue: TaskQueue, options: WorkerOptions) {
    this.#host = host;
    this.#queue = queue;
    this.#engineId = options.engineId;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 500;
    this.#capacity = options.capacity ?? 64;
    this.#claimBatch = options.claimBatch ?? 16;
    this.#onError = options.onError ?? (() => undefined);
    this.#resourceQueue = options.resourceTasks;
    this.#resourceCapacity = options.resourceCapacity ?? 2048;
    this.#resourcePollMs = options.resourcePollMs ?? 200;
    this.#peers = options.peers ?? (() => 1);
    this.#onCallEnded = options.onCallEnded ?? (() => undefined);
  }

  /** Provider calls running here now. */
  get callCount(): number {
    return this.#calls.size;
  }

  /** Claims resource tasks now (a traversal here just wrote one). */
  pokeResources(): void {
    if (!this.#resourceQueue || this.#stopped) return;
    if (this.#resourceBusy) {
      this.#resourceAgain = true;
      return;
    }
    if (this.#resourceTimer) clearTimeout(this.#resourceTimer);
    this.#resourceTimer = setTimeout(() => void this.#resourceRound(), 0);
  }

  #scheduleResources(): void {
    if (!this.#resourceQueue || this.#stopped) return;
    if (this.#resourceTimer) clearTimeout(this.#resourceTimer);
    this.#resourceTimer = setTimeout(() => void this.#resourceRound(), this.#resourcePollMs);
  }

  /** Renews the calls' leases (seeing cancels), then claims calls up to the capacity and runs them. */
  async #resourceRound(): Promise<void> {
    const queue = this.#resourceQueue;
    if (!queue || this.#stopped) return;
    this.#resourceBusy = true;
    this.#resourceAgain = false;
    try {
      if (this.fenced) {
        for (const call of this.#calls.values()) call.controller.abort(new Error('engine fenced'));
        return;
      }
      // Leases are renewed (and cancels seen) every second; claims happen at every round.
      if (this.#calls.size > 0 && Date.now() - this.#callsRenewedAt >= 1000) {
        this.#callsRenewedAt = Date.now();
        const held = new Map(
          (await queue.renew(this.#engineId, this.#leaseMs)).map((t) => [t.resourceId, t.state]),
        );
        for (const [id, call] of this.#calls) {
          const state = held.get(id);
          if (state === 'cancelled') call.controller.abort(new Error('cancelled by its traversal'));
          else if (state === undefined) call.controller.abort(new Error('lease lost'));
        }
      }
      const room = Math.min(this.#resourceCapacity - this.#calls.size, 64);
      if (room <= 0) return;
      for (const task of await queue.claim(this.#engineId, room, this.#leaseMs, this.#peers())) {
        this.#call(queue, task);
      }
    } catch (e) {
      this.#onError('resource task round failed', e);
    } finally {
      this.#resourceBusy = false;
      if (this.#resourceAgain) this.pokeResources();
      else this.#scheduleResources();
    }
  }

  #call(queue: ResourceTaskQueue, task: ResourceTaskRecord): void {
    const controller = new AbortController();
    this.#calls.set(task.resourceId, { task, controller });
    this.counters.calls++;
    void this.#host
      .runResourceTask(task, controller.signal)
      .then(
        (result) => queue.finish(task.resourceId, this.#engineId, { result }),
        async (error: unknown) => {
          if (controller.signal.aborted) {
            // Cancelled by its traversal (or lost): nobody waits for an outcome.
            await queue.remove(task.resourceId, task.traversal);
            return;
          }
          await queue.finish(task.resourceId, this.#engineId, { failure: storeFailure(error) });
        },
      )
      .catch((e: unknown) =>
        this.#onError(`resource ${task.resourceId}: could not record the call's outcome`, e),
      )
      .finally(() => {
        if (this.#calls.get(task.resourceId)?.controller === controller) this.#calls.delete(task.resourceId);
        this.#onCallEnded();
      });
  }

  /**
   * Whether this engine must stop writing: its leases have not been renewed for 60% of their length (the database
   * is away), so another engine may soon take its stacks over. Its actions are then stopped, and store calls still
   * waiting for the database give up (see `patientStore`'s `giveUp`), so that no late write lands after a takeover.
   */
  get fenced(): boolean {
    return (
      this.#stopping !== null ||
      (this.lastRenewedAt > 0 && Date.now() - this.lastRenewedAt > this.#leaseMs * 0.6)
    );
  }

  /** Stacks whose action runs here now. */
  get runningCount(): number {
    let n = 0;
    for (const l of this.#local.values()) if (l.running) n++;
    return n;
  }

  /** Adopts stacks left IN_PROGRESS without a task, then starts the loop. */
  async start(): Promise<void> {
    try {
      await this.#queue.adoptOrphans();
    } catch (e) {
      this.#onError('could not adopt unfinished stacks', e);
    }
    this.#schedule(0);
    this.#scheduleResources();
  }

  /** Runs one claim/renew round now (tests, and after a wake-up). */
  poke(): void {
    this.#wake?.();
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#wake = null;
      this.#tick = this.#round().finally(() => this.#schedule(this.#pollMs));
    }, ms);
    this.#wake = () => {
      if (this.#timer) clearTimeout(this.#timer);
      this.#wake = null;
      this.#tick = this.#tick.then(() => this.#round()).finally(() => this.#schedule(this.#pollMs));
    };
  }

  async #round(): Promise<void> {
    if (this.#stopped || this.#stopping) return;
    let mine: TaskRecord[];
    try {
      mine = await this.#queue.renew(this.#engineId, this.#leaseMs);
      this.lastRenewedAt = Date.now();
      if (this.#renewalFailing) this.#onError('lease renewal works again', null);
      this.#renewalFailing = false;
    } catch (e) {
      if (!this.#renewalFailing) this.#onError('lease renewal failed (logged once until it works again)', e);
      this.#renewalFailing = true;
      if (this.fenced && this.runningCount > 0) {
        this.#onError(
          `leases not renewed for ${Math.round((Date.now() - this.lastRenewedAt) / 1000)} s: stopping ${this.runningCount} action(s) here; they resume once the database answers`,
          null,
        );
        const ids = [...this.#local.keys()];
        this.#local.clear();
        this.#stopping = Promise.allSettled(ids.map((id) => this.#host.interrupt(id, 'shutdown'))).finally(
          () => (this.#stopping = null),
        );
      }
      return;
    }
    const held = new Set(mine.map((t) => t.stackId));
    // A lease lost (e.g. the database was unreachable longer than the lease): another engine owns the work now.
    for (const [stackId, l] of this.#local) {
      if (!held.has(stackId) && l.running) {
        this.#onError(`lease of stack ${stackId} lost; stopping its action here`, null, stackId);
        void this.#host.interrupt(stackId, 'shutdown');
        this.#local.delete(stackId);
      }
    }
    for (const task of mine) await this.#follow(task, false);
    const room = Math.min(this.#capacity - this.runningCount, this.#claimBatch);
    if (room <= 0) return;
    let claimed: TaskRecord[];
    try {
      claimed = await this.#queue.claim(this.#engineId, room, this.#leaseMs);
    } catch (e) {
      this.#onError('claiming tasks failed', e);
      return;
    }
    for (const task of claimed) {
      this.counters.claimed++;
      const takeover = task.attempts > 1;
      if (takeover) this.counters.takeovers++;
      await this.#follow(task, takeover);
    }
  }

  /** Makes the local state match a task this engine holds. */
  async #follow(task: TaskRecord, takeover: boolean): Promise<void> {
    const local = this.#local.get(task.stackId);
    try {
      if (local?.running && local.traversal === task.traversal) {
        if (task.control) await this.#applyControl(task.stackId, task.control);
        return;
      }
      const stack = await this.#host.store.getStack(task.stackId);
      if (!stack || stack.deletedAt || stack.status !== 'IN_PROGRESS') {
        // Nothing left to run (finished, or the row is gone): unless a newer request arrives, the task is done.
        if (!local?.running) await this.#finish(task.stackId, task.traversal);
        return;
      }
      if (local?.running && stack.action === 'DELETE') {
        // A delete aborts the action in flight (Heat: "user triggered cancel").
        await this.#host.interrupt(task.stackId, 'delete');
      }
      if (!local?.running && (takeover || local)) {
        await this.#host.noteResumed(
          stack,
          takeover
            ? `Resuming ${stack.action}: the engine running it stopped renewing its lease`
            : `Resuming ${stack.action} after a database interruption`,
        );
      }
      this.#run(task.stackId, stack, task.traversal);
      if (task.control) await this.#applyControl(task.stackId, task.control);
    } catch (e) {
      this.#onError(`stack ${task.stackId}: could not follow its task`, e, task.stackId);
    }
  }

  #run(stackId: string, stack: StackRecord, traversal: string): void {
    const entry: Local = { traversal, running: true, done: Promise.resolve() };
    this.#local.set(stackId, entry);
    entry.done = this.#host.start(stack).then(async () => {
      if (this.#local.get(stackId) !== entry) return; // superseded here by a newer request
      entry.running = false;
      if (this.#stopped) return;
      try {
        const fresh = await this.#host.store.getStack(stackId);
        if (
          fresh &&
          !fresh.deletedAt &&
          fresh.status === 'IN_PROGRESS' &&
          fresh.traversal === stack.traversal
        ) {
          // Ended without an outcome (e.g. its writes failed while the database was away): run it again.
          return;
        }
        await this.#finish(stackId, traversal);
      } catch (e) {
        this.#onError(`stack ${stackId}: could not complete its task`, e, stackId);
      }
      this.poke();
    });
  }

  async #finish(stackId: string, traversal: string): Promise<void> {
    if (await this.#queue.complete(stackId, traversal)) {
      this.counters.completed++;
      this.#local.delete(stackId);
    }
  }

  async #applyControl(stackId: string, control: TaskControl): Promise<void> {
    if (await this.#host.cancel(stackId, control === 'cancel')) {
      await this.#queue.clearControl(stackId, control);
    }
  }

  /** Waits until the stack's local action (if any) has ended (tests). */
  async settle(stackId: string): Promise<void> {
    await this.#local.get(stackId)?.done;
  }

  /**
   * Stops claiming, stops the running actions without writing (their stacks stay IN_PROGRESS) and gives the
   * leases back so that other engines resume the work at once.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#resourceTimer) clearTimeout(this.#resourceTimer);
    for (const call of this.#calls.values()) call.controller.abort(new Error('engine stopping'));
    await this.#tick.catch(() => undefined);
    await Promise.allSettled([...this.#local.keys()].map((id) => this.#host.interrupt(id, 'shutdown')));
    try {
      await this.#queue.release(this.#engineId);
    } catch (e) {
      this.#onError('could not release leases', e);
    }
  }
}
