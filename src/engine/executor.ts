/**
 * The executor: runs stack actions (create, update, delete, rollback) as traversals, one at a time per stack,
 * keeps the stack row's action/status in step, handles timeouts, cancellation, supersession and rollback, and
 * drives child stacks for nested-stack resources. Persisted state is enough to resume any action after a crash.
 */
import { randomUUID } from 'node:crypto';
import { HeatError, problemsOf } from '../template/errors.js';
import {
  childEnvironment,
  environmentToJSON,
  mergeEnvironments,
  type Environment,
} from '../template/environment/index.js';
import { resolveValue, OMIT, type ResourceHandle } from '../template/functions/function.js';
import { purgeStackEvents, type EngineLimits } from './limits.js';
import { physicalResourceName } from './physical-name.js';
import type { SignalTokens } from './signal-tokens.js';
import { loadStack, type LoadedStack } from './loader.js';
import {
  type ActionContext,
  type ActionResult,
  type Properties,
  type UpdateRequest,
  type NestedMember,
  type NestedStackResult,
  type NestedStackSpec,
  type NestedStacks,
  type ResourcePlugin,
} from './plugin.js';
import type { PluginSource } from './plugin-source.js';
import { jsonEqual, newResourceRecord, now, resourceEvent, stackEvent } from './records.js';
import { stateOf } from './resource-handle.js';
import {
  abortableSleep,
  nestReason,
  NestedStackFailure,
  Traversal,
  TraversalFailure,
  type RunnerDeps,
} from './runner.js';
import type { ResourceRecord, StackAction, StackInputs, StackRecord, Store, WriteOp } from './store.js';
import type { UpdatePreview } from './service.js';
import { contextFor, handlesFor, validateLoaded } from './validator.js';
import { actOnChildStack, isWalkAction, runStackOperation, type OperationHost } from './operations/index.js';
import type { WriteQueue } from './writer.js';
import { taskFor } from './tasks.js';
import type { RemoteResourceActions, ResourceTaskRecord } from './resource-tasks.js';

/**
 * Why a running action was interrupted:
 * - `timeout`: the stack's deadline passed (work in flight is aborted);
 * - `cancel`: cancel_update — stop launching work, let work in flight finish, then roll back;
 * - `cancel-no-rollback`: cancel_without_rollback — stop launching work, let work in flight finish, stop;
 * - `superseded`: a newer update — stop launching work, let work in flight finish, then the new one runs;
 * - `delete`: a delete — work in flight is aborted ("user triggered cancel"), then the stack is deleted;
 * - `shutdown`: the engine stops — work in flight is aborted, state stays IN_PROGRESS for the next start.
 */
export type AbortCause = 'timeout' | 'cancel' | 'cancel-no-rollback' | 'superseded' | 'delete' | 'shutdown';

const ABORT_MESSAGES: Record<AbortCause, string> = {
  timeout: 'Timed out',
  cancel: 'user triggered cancel',
  'cancel-no-rollback': 'user triggered cancel',
  superseded: 'superseded by a newer action',
  delete: 'user triggered cancel',
  shutdown: 'Engine shutting down',
};

class AbortReason extends Error {
  constructor(override readonly cause: AbortCause) {
    super(ABORT_MESSAGES[cause]);
  }
}

/** Causes that abort work in flight (the others only stop new work from starting). */
const ABORTING: ReadonlySet<AbortCause> = new Set(['timeout', 'delete', 'shutdown']);

interface Running {
  traversal: string;
  /** The stack row object the action works on (interrupters update this same object). */
  stack: StackRecord;
  /** Aborts work in flight. Replaced when the action turns into its rollback. */
  controller: AbortController;
  /** Stops launching new work. Replaced with the controller. */
  drain: AbortController;
  /** Why the action was interrupted, if it was. */
  cause: AbortCause | null;
  /** Whether the interruption came from the parent stack's action (child stacks). */
  fromParent: boolean;
  done: Promise<void>;
}

/** The result of comparing an update with its preview. */
export interface PreviewCheck {
  readonly stackId: string;
  readonly stackName: string;
  /** Empty when the update did exactly what the preview said. */
  readonly mismatches: readonly string[];
}

/** Loaded stacks kept in memory (a 1000-resource stack's load is a few MB). */
const LOADED_CACHE_SIZE = 16;

/** Runs and tracks stack actions. */
export class Executor {
  private readonly running = new Map<string, Running>();
  /** API role: root actions become tasks for engine processes (see {@link launch}). */
  queueRootActions = false;
  /** Engine role: the ends of root actions are fenced by traversal (see {@link writeStack}). */
  fenceRootWrites = false;
  /** Engine role: provider calls of distributable resources run as resource tasks. */
  remote: RemoteResourceActions | undefined;
  private readonly loadedCache = new Map<string, LoadedStack>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly writer: WriteQueue,
    private readonly plugins: PluginSource,
    private readonly limits: EngineLimits,
    /** Signal URLs and tokens. */
    readonly signals: SignalTokens,
  ) {}

  /** The plugins this executor uses. */
  get pluginSource(): PluginSource {
    return this.plugins;
  }

  /**
   * Loads (cached per traversal) a stack's current inputs. The cache keeps the loads of the most recent traversal
   * of each stack (a new traversal of a stack evicts the old one's) and at most {@link LOADED_CACHE_SIZE} stacks.
   */
  loaded(stack: StackRecord, inputs: StackInputs = stack.inputs): LoadedStack {
    const key = `${stack.id}:${stack.traversal}:${inputs === stack.inputs ? 'cur' : 'prev'}`;
    const hit = this.loadedCache.get(key);
    if (hit) {
      // Most recently used last.
      this.loadedCache.delete(key);
      this.loadedCache.set(key, hit);
      return hit;
    }
    const l = loadStack(inputs, identityOf(stack), this.plugins, {
      validating: false,
      facade: (stack.actionData['facade'] as Record<string, unknown> | undefined) ?? {},
      templateName: (stack.actionData['templateName'] as string | undefined) ?? 'template.yaml',
    });
    this.remember(stack, key, l);
    return l;
  }

  private remember(stack: StackRecord, key: string, loaded: LoadedStack): void {
    for (const k of this.loadedCache.keys()) {
      if (k.startsWith(`${stack.id}:`) && !k.startsWith(`${stack.id}:${stack.traversal}:`))
        this.loadedCache.delete(k);
    }
    this.loadedCache.set(key, loaded);
    while (this.loadedCache.size > LOADED_CACHE_SIZE) {
      const oldest = this.loadedCache.keys().next().value;
      if (oldest === undefined) break;
      this.loadedCache.delete(oldest);
    }
  }

  /** Drops what is cached about a stack (it was deleted). */
  forget(stackId: string): void {
    for (const k of [...this.loadedCache.keys()]) if (k.startsWith(`${stackId}:`)) this.loadedCache.delete(k);
  }

  /** Seeds the cache with a stack's inputs as just validated (saves loading them twice on create/update). */
  prime(stack: StackRecord, loaded: LoadedStack): void {
    this.remember(stack, `${stack.id}:${stack.traversal}:cur`, loaded);
  }

  /** Whether an action is running for the stack in this process. */
  isRunning(stackId: string): boolean {
    return this.running.has(stackId);
  }

  /** Waits for the stack's running action, if any. */
  async settle(stackId: string): Promise<void> {
    await this.running.get(stackId)?.done;
  }

  /**
   * Interrupts the stack's running action for `cause` (see {@link AbortCause}); resolves once it has stopped.
   * With `wait: false`, resolves at once (the action winds down in the background).
   */
  async interrupt(stackId: string, cause: AbortCause, wait = true): Promise<void> {
    const r = this.running.get(stackId);
    if (!r) return;
    if (r.cause === null || ABORTING.has(cause)) r.cause = cause;
    r.drain.abort(new AbortReason(cause));
    if (ABORTING.has(cause)) r.controller.abort(new AbortReason(cause));
    if (wait) await r.done;
  }

  /** Stops everything (state stays IN_PROGRESS, to be resumed by the next start). */
  async shutdown(): Promise<void> {
    this.closed = true;
    const all = [...this.running.keys()];
    await Promise.allSettled(all.map((id) => this.interrupt(id, 'shutdown')));
    await this.writer.drain();
  }

  /**
   * Starts `action` on `stack` (whose row already says `<action>_IN_PROGRESS`, written by the caller). An action
   * still running for the stack is superseded: it stops launching work, and this one starts once its work in
   * flight has finished. Returns the promise of the action's end (it never rejects).
   */
  start(stack: StackRecord, action: StackAction, parentSignal?: AbortSignal): Promise<void> {
    const previous = this.running.get(stack.id);
    if (previous) void this.interrupt(stack.id, 'superseded', false);
    const entry: Running = {
      traversal: stack.traversal,
      stack,
      controller: new AbortController(),
      drain: new AbortController(),
      cause: null,
      fromParent: false,
      done: Promise.resolve(),
    };
    const onParentAbort = (): void => {
      const reason: unknown = parentSignal?.reason;
      const cause = reason instanceof AbortReason ? reason.cause : 'shutdown';
      entry.cause = cause;
      entry.fromParent = true;
      entry.drain.abort(reason);
      entry.controller.abort(reason);
    };
    if (parentSignal) {
      if (parentSignal.aborted) onParentAbort();
      else parentSignal.addEventListener('abort', onParentAbort, { once: true });
    }
    this.running.set(stack.id, entry);
    const done = (previous?.done ?? Promise.resolve())
      .then(() => this.run(stack, action, entry))
      .catch((e: unknown) => {
        // Last resort: never leave a stack IN_PROGRESS because of an engine bug.
        return this.finish(
          stack,
          'FAILED',
          `Engine error: ${e instanceof Error ? e.message : String(e)}`,
          {},
          entry,
        ).catch(() => undefined);
      })
      .finally(() => {
        parentSignal?.removeEventListener('abort', onParentAbort);
        if (this.running.get(stack.id) === entry) this.running.delete(stack.id);
      });
    entry.done = done;
    return done;
  }

  private deadlineTimer(stack: StackRecord, entry: Running): NodeJS.Timeout | undefined {
    if (!stack.deadline) return undefined;
    const ms = Date.parse(stack.deadline) - Date.now();
    const t = setTimeout(() => void this.interrupt(stack.id, 'timeout', false), Math.max(0, ms));
    t.unref();
    void entry;
    return t;
  }

  private async run(stack: StackRecord, action: StackAction, entry: Running): Promise<void> {
    if (entry.cause && entry.cause !== 'timeout') return;
    const timer = action === 'DELETE' ? undefined : this.deadlineTimer(stack, entry);
    try {
      if (isWalkAction(action)) {
        // Suspend/resume/check/snapshot/adopt: the operations module walks the resources and ends the action.
        const op = this.operationHost();
        return await runStackOperation(op, stack, action, entry.controller.signal, entry.drain.signal);
      }
      const rows = await this.store.listResources(stack.id);
      let target: LoadedStack | null = null;
      if (action === 'CREATE' || action === 'UPDATE' || action === 'RESTORE') target = this.loaded(stack);
      else if (action === 'ROLLBACK') {
        target = stack.previousInputs ? this.loaded(stack, stack.previousInputs) : null;
      }
      const traversal = new Traversal(this.deps(), stack, rows, target, {
        action:
          action === 'DELETE'
            ? 'DELETE'
            : action === 'ROLLBACK'
              ? 'ROLLBACK'
              : action === 'UPDATE' || action === 'RESTORE'
                ? 'UPDATE'
                : 'CREATE',
        signal: entry.controller.signal,
        drain: entry.drain.signal,
      });
      let failure: TraversalFailure | null = null;
      try {
        await traversal.run();
      } catch (e) {
        if (!(e instanceof TraversalFailure)) throw e;
        failure = e;
      }
      if (timer) clearTimeout(timer);
      const interrupted = entry.cause as AbortCause | null;
      if (entry.fromParent && stack.parentId && interrupted !== 'shutdown' && interrupted !== 'timeout') {
        // The parent stopped this child: it ends cancelled, never IN_PROGRESS.
        return await this.finish(stack, 'FAILED', `Stack ${action} cancelled`, {}, entry);
      }
      switch (entry.cause as AbortCause | null) {
        case 'shutdown':
        case 'superseded':
        case 'delete':
        case 'cancel-no-rollback':
          return; // the interrupter wrote (or the next action writes) the stack's status
        case 'cancel':
          return await this.rollback(entry, stack, action === 'ROLLBACK' ? 'UPDATE' : action, false);
        case 'timeout':
          return await this.failed(entry, stack, action, 'Timed out', failure?.reason ?? 'Timed out', true);
      }
      if (failure) {
        return await this.failed(
          entry,
          stack,
          action,
          `Resource ${failure.action} failed: ${failure.reason}`,
          failure.reason,
          true,
        );
      }
      if (action === 'DELETE') {
        await this.finish(
          stack,
          'COMPLETE',
          'Stack DELETE completed successfully',
          { deletedAt: now() },
          entry,
        );
        this.forget(stack.id);
      } else if (action === 'ROLLBACK') {
        // The previous inputs are current again (a new traversal id keeps caches keyed by traversal honest).
        const restored = stack.previousInputs
          ? { inputs: stack.previousInputs, previousInputs: null, traversal: randomUUID() }
          : {};
        await this.finish(stack, 'COMPLETE', 'Stack ROLLBACK completed successfully', restored, entry);
      } else {
        await this.finish(
          stack,
          'COMPLETE',
          `Stack ${action} completed successfully`,
          { previousInputs: null },
          entry,
        );
      }
      if (action === 'UPDATE') this.checkPreview(stack, traversal.outcome);
      await purgeStackEvents(this.store, stack.id, this.limits);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /**
   * With preview verification on (tests), the preview computed when an update was accepted, by stack id and
   * traversal; compared with what the update did once it completes.
   */
  private readonly expectedOutcomes = new Map<string, UpdatePreview>();
  /** Receives the result of every preview/update comparison (set by the engine when verifying previews). */
  previewCheck: ((result: PreviewCheck) => void) | null = null;

  /** Records the preview an update must agree with. */
  expectOutcome(stack: StackRecord, preview: UpdatePreview): void {
    this.expectedOutcomes.set(`${stack.id}:${stack.traversal}`, preview);
  }

  private checkPreview(stack: StackRecord, outcome: ReadonlyMap<string, string>): void {
    const key = `${stack.id}:${stack.traversal}`;
    const preview = this.expectedOutcomes.get(key);
    this.expectedOutcomes.delete(key);
    if (!preview || !this.previewCheck) return;
    const mismatches: string[] = [];
    for (const [list, entries] of Object.entries(preview.resource_changes)) {
      for (const e of entries) {
        const did = outcome.get(e.resource_name) ?? 'unchanged';
        if (did !== list) mismatches.push(`${e.resource_name}: previewed ${list}, did ${did}`);
      }
    }
    this.previewCheck({ stackId: stack.id, stackName: stack.name, mismatches });
  }

  /** Marks the action failed and, when allowed, rolls back. */
  private async failed(
    entry: Running,
    stack: StackRecord,
    action: StackAction,
    reason: string,
    leafReason: string,
    mayRollback: boolean,
  ): Promise<void> {
    const rollback =
      mayRollback &&
      !stack.disableRollback &&
      ['CREATE', 'UPDATE', 'RESTORE'].includes(action) &&
      !this.closed;
    if (!rollback) {
      await this.finish(stack, 'FAILED', reason, { actionData: { ...stack.actionData, leafReason } }, entry);
      return;
    }
    // The failure and the start of its rollback are written together: nobody sees a FAILED stack that is
    // about to roll back.
    stack.status = 'FAILED';
    stack.statusReason = reason;
    stack.actionData = { ...stack.actionData, leafReason };
    const failure: WriteOp[] = [
      {
        kind: 'updateStack',
        id: stack.id,
        patch: { status: 'FAILED', statusReason: reason, actionData: stack.actionData },
        ...this.fenceOf(stack, entry.traversal),
      },
      { kind: 'insertEvent', event: stackEvent(stack) },
    ];
    await this.rollback(entry, stack, action, true, failure);
  }

  /**
   * Rolls back a failed or cancelled create/update: a create converges to nothing, an update to the previous inputs.
   * @param writeStart whether to write "Stack ROLLBACK started" (cancel_update wrote it already)
   */
  private async rollback(
    entry: Running,
    stack: StackRecord,
    action: StackAction,
    writeStart: boolean,
    before: WriteOp[] = [],
  ): Promise<void> {
    if ((action !== 'CREATE' && action !== 'UPDATE' && action !== 'RESTORE') || this.closed) return;
    if (action === 'CREATE') stack.previousInputs = null;
    stack.traversal = randomUUID();
    if (writeStart || stack.action !== 'ROLLBACK') {
      stack.action = 'ROLLBACK';
      stack.status = 'IN_PROGRESS';
      stack.statusReason = 'Stack ROLLBACK started';
      await this.writeStack(
        stack,
        ['traversal', 'action', 'status', 'statusReason', 'previousInputs'],
        true,
        before,
        entry.traversal,
      );
    } else {
      await this.writeStack(stack, ['traversal', 'previousInputs'], false, [], entry.traversal);
    }
    entry.controller = new AbortController();
    entry.drain = new AbortController();
    entry.cause = null;
    entry.traversal = stack.traversal;
    await this.run(stack, 'ROLLBACK', entry);
  }

  /**
   * cancel_update (`rollback: true`) or cancel_without_rollback: the stack's status changes now, work in flight
   * finishes, no new work starts; with rollback, the rollback runs once work in flight has finished.
   * @returns false when no action of the stack runs in this process
   */
  async cancel(stackId: string, rollback: boolean): Promise<boolean> {
    const r = this.running.get(stackId);
    if (!r) return false;
    const stack = r.stack;
    if (rollback) {
      stack.action = 'ROLLBACK';
      stack.status = 'IN_PROGRESS';
      stack.statusReason = 'Stack ROLLBACK started';
      await this.writeStack(stack, ['action', 'status', 'statusReason']);
    } else {
      stack.status = 'FAILED';
      stack.statusReason = `Stack ${stack.action} cancelled`;
      await this.writeStack(stack, ['status', 'statusReason']);
    }
    await this.interrupt(stackId, rollback ? 'cancel' : 'cancel-no-rollback', false);
    return true;
  }

  /** Writes the end of an action. */
  private async finish(
    stack: StackRecord,
    status: 'COMPLETE' | 'FAILED',
    reason: string,
    extra: Partial<StackRecord> = {},
    entry?: Running,
  ): Promise<void> {
    stack.status = status;
    stack.statusReason = reason;
    Object.assign(stack, extra);
    const fields: (keyof StackRecord)[] = [
      'status',
      'statusReason',
      ...(Object.keys(extra) as (keyof StackRecord)[]),
    ];
    if (['UPDATE', 'ROLLBACK', 'RESTORE', 'DELETE'].includes(stack.action)) {
      stack.updatedAt = now();
      fields.push('updatedAt');
    }
    await this.writeStack(stack, fields, true, [], entry?.traversal);
  }

  /**
   * Persists the given fields of a stack row plus an event of its current status.
   * @param fence the traversal the row must still have (engine role: a newer request written by an API process
   *   wins over the end of an action it replaced); ignored unless {@link fenceRootWrites} and for root stacks
   */
  async writeStack(
    stack: StackRecord,
    fields: (keyof StackRecord)[],
    event = true,
    before: WriteOp[] = [],
    fence?: string,
  ): Promise<void> {
    const patch: Record<string, unknown> = {};
    for (const f of fields) patch[f] = stack[f];
    const ops: WriteOp[] = [
      ...before,
      { kind: 'updateStack', id: stack.id, patch, ...this.fenceOf(stack, fence) },
    ];
    if (event) ops.push({ kind: 'insertEvent', event: stackEvent(stack) });
    await this.writer.write(ops);
  }

  /** The fence of a root stack's write (see {@link writeStack}). */
  private fenceOf(stack: StackRecord, fence: string | undefined): { ifTraversal?: string } {
    return this.fenceRootWrites && fence !== undefined && stack.parentId === null
      ? { ifTraversal: fence }
      : {};
  }

  /**
   * Starts a root stack's action asked for by a user: here, or — in the API role ({@link queueRootActions}) — by
   * recording a task for the engine processes. The stack row says `<action>_IN_PROGRESS` already.
   */
  async launch(stack: StackRecord, action: StackAction): Promise<void> {
    if (this.queueRootActions) {
      await this.writer.write([{ kind: 'putTask', task: taskFor(stack, action) }]);
      return;
    }
    void this.start(stack, action);
  }

  /**
   * Runs a resource task (engine role): the provider call of a distributable resource recorded by a traversal,
   * possibly on another engine. Returns the call's result, with the data and physical id the call saved.
   */
  async runResourceTask(task: ResourceTaskRecord, signal: AbortSignal): Promise<ActionResult> {
    const stack = await this.stackForCall(task.stackId);
    const row = await this.store.getResource(task.resourceId);
    if (!stack || !row)
      throw new Error(`resource ${task.resourceId} of stack ${task.stackId} no longer exists`);
    const plugin = this.plugins.get(row.type);
    if (!plugin?.distributable) throw new Error(`resource type ${row.type} does not run as a resource task`);
    const ctx = this.standaloneContext(stack, row, signal, { nested: false });
    let result: ActionResult | void = undefined;
    if (task.action === 'CREATE') result = await plugin.create(task.request['properties'] as Properties, ctx);
    else if (task.action === 'UPDATE' && plugin.update) {
      result = await plugin.update(task.request as unknown as UpdateRequest, ctx);
    } else if (task.action === 'DELETE') await plugin.delete(ctx);
    return {
      ...(result ?? {}),
      physicalId: result?.physicalId !== undefined ? result.physicalId : row.physicalId,
      data: { ...row.data, ...(result?.data ?? {}) },
    };
  }

  /** Stacks of recent resource tasks (a call needs only the stack's identity, which never changes). */
  private readonly callStacks = new Map<string, StackRecord>();

  private async stackForCall(stackId: string): Promise<StackRecord | undefined> {
    const cached = this.callStacks.get(stackId);
    if (cached) return cached;
    const stack = await this.store.getStack(stackId);
    if (stack) {
      this.callStacks.set(stackId, stack);
      if (this.callStacks.size > 1000) this.callStacks.delete(this.callStacks.keys().next().value!);
    }
    return stack;
  }

  private deps(): RunnerDeps {
    return {
      writer: this.writer,
      ...(this.remote ? { remote: this.remote } : {}),
      nestedFor: (stack, row, signal, loaded) => this.nestedFor(stack, row, signal, loaded),
      pluginForRow: (stack, row, loaded) => this.pluginForRow(stack, row, loaded),
      redact: (stack, value) => redact(value, this.hiddenValuesOf(stack)),
      readRow: async (stackId, name) => {
        // By name, else by physical id (Heat's resource_by_refid: `get_resource` values find their resource).
        const rows = (await this.store.listResources(stackId)).filter((r) => r.current);
        return rows.find((r) => r.name === name) ?? rows.find((r) => r.physicalId === name);
      },
      signalEndpoint: (stack, name) => this.signals.endpoint(stack, name),
      restrictedActions: (stack, name, target) => {
        try {
          return (target ?? this.loaded(stack)).environment.resourceRegistry.restrictedActions(name);
        } catch {
          return new Set<string>();
        }
      },
      hooks: (stack, name, target) => {
        try {
          return (target ?? this.loaded(stack)).environment.resourceRegistry.hooks(name);
        } catch {
          return new Set<string>();
        }
      },
    };
  }

  /** Values of the stack's hidden parameters (masked wherever resource properties are shown). */
  hiddenValuesOf(stack: StackRecord): string[] {
    try {
      return hiddenValues(this.loaded(stack));
    } catch {
      return [];
    }
  }

  private pluginForRow(
    stack: StackRecord,
    row: ResourceRecord,
    loaded: LoadedStack | null,
  ): ResourcePlugin | undefined {
    const byName = loaded?.plugins.get(row.name);
    if (byName && (loaded?.types.get(row.name) ?? byName.type) === row.type) return byName;
    const builtin = this.plugins.get(row.type);
    if (builtin) return builtin;
    // A provider-template resource no longer in the target: its plugin comes from the stack's stored inputs.
    for (const inputs of [stack.inputs, stack.previousInputs]) {
      if (!inputs) continue;
      try {
        const l = this.loaded(stack, inputs);
        const p = l.plugins.get(row.name);
        if (p) return p;
      } catch {
        // ignore: fall through to the generic nested cleanup
      }
    }
    return undefined;
  }

  /**
   * An ActionContext for work on a resource outside a stack action (signals, snapshots): writes go straight to
   * the store; `signal` aborts when the engine shuts down.
   */
  standaloneContext(
    stack: StackRecord,
    row: ResourceRecord,
    signal?: AbortSignal,
    options: { nested?: boolean } = {},
  ): ActionContext {
    const controller = new AbortController();
    if (signal) {
      if (signal.aborted) controller.abort(signal.reason);
      else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    }
    // Distributable calls need no child stacks: the stack's template is then not even loaded.
    const withNested = options.nested ?? true;
    const loaded = withNested
      ? (() => {
          try {
            return this.loaded(stack);
          } catch {
            return null;
          }
        })()
      : null;
    const deps = this.deps();
    return {
      stack: identityOf(stack),
      state: stateOf(row),
      signal: controller.signal,
      saveData: async (data) => {
        row.data = { ...row.data, ...data };
        await this.writer.write([{ kind: 'updateResource', id: row.id, patch: { data: row.data } }]);
      },
      savePhysicalId: async (id) => {
        row.physicalId = id;
        await this.writer.write([{ kind: 'updateResource', id: row.id, patch: { physicalId: id } }]);
      },
      sleep: (ms) => abortableSleep(ms, controller.signal),
      nested: withNested
        ? this.nestedFor(stack, row, controller.signal, loaded)
        : (undefined as unknown as ActionContext['nested']),
      event: async (reason) => {
        await this.writer.write([
          {
            kind: 'insertEvent',
            event: resourceEvent(stack, { ...row, statusReason: reason, properties: null }),
          },
        ]);
      },
      readResource: async (name) => {
        const r = await deps.readRow(stack.id, name);
        return r ? stateOf(r) : undefined;
      },
      signalEndpoint: () => this.signals.endpoint(stack, row.name),
      signalResource: async (nameOrPhysicalId, details) => {
        const target = await deps.readRow(stack.id, nameOrPhysicalId);
        if (!target) {
          throw new HeatError(
            'ResourceNotFound',
            `The Resource (${nameOrPhysicalId}) could not be found in Stack ${stack.name}.`,
          );
        }
        await this.signalRow(stack, target, details);
      },
    };
  }

  private readonly signalChains = new Map<string, Promise<unknown>>();

  /**
   * Runs a resource's `plugin.signal` with a standalone context and persists its result. Signals to one
   * resource run one at a time, each seeing the row as the previous one left it (no lost signals).
   * @throws HeatError ResourceActionNotSupported / NotSupported, or what the plugin throws
   */
  async signalRow(stack: StackRecord, row: ResourceRecord, details: unknown): Promise<void> {
    const plugin = this.pluginOf(stack, row);
    if (!plugin?.signal)
      throw new HeatError('ResourceActionNotSupported', 'signal is not supported for resource.');
    if (row.action === 'SUSPEND' || row.action === 'DELETE') {
      throw new HeatError('NotSupported', `Cannot signal resource during ${row.action}`);
    }
    const previous = this.signalChains.get(row.id) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        const fresh = (await this.store.getResource(row.id)) ?? row;
        const result = await plugin.signal!(details, this.standaloneContext(stack, fresh));
        if (!result) return;
        const patch: Partial<ResourceRecord> = {};
        if (result.attributes !== undefined) patch.attributes = result.attributes;
        if (result.data !== undefined) patch.data = { ...fresh.data, ...result.data };
        if (result.metadata !== undefined) patch.metadata = result.metadata;
        if (result.physicalId !== undefined) patch.physicalId = result.physicalId;
        if (Object.keys(patch).length > 0)
          await this.writer.write([{ kind: 'updateResource', id: fresh.id, patch }]);
      });
    this.signalChains.set(row.id, run);
    try {
      await run;
    } finally {
      if (this.signalChains.get(row.id) === run) this.signalChains.delete(row.id);
    }
  }

  /** Breakpoint hooks the stack's environment sets on a resource. */
  hooksOf(stack: StackRecord, name: string): ReadonlySet<string> {
    return this.deps().hooks(stack, name, null);
  }

  /** What the stack operations (src/engine/operations) use of this executor. */
  operationHost(): OperationHost {
    return {
      store: this.store,
      writer: this.writer,
      limits: this.limits,
      loaded: (stack, inputs) => this.loaded(stack, inputs),
      pluginOf: (stack, row) => this.pluginOf(stack, row),
      nestedFor: (stack, row, signal, loaded) => this.nestedFor(stack, row, signal, loaded),
      writeStack: (stack, fields, event) => this.writeStack(stack, fields, event),
      start: (stack, action, parentSignal) =>
        parentSignal || !this.queueRootActions
          ? this.start(stack, action, parentSignal)
          : this.launch(stack, action),
      isRunning: (stackId) => this.isRunning(stackId),
      settle: (stackId) => this.settle(stackId),
      nestedResult: (child) => this.nestedResult(child),
      signalEndpoint: (stack, name) => this.signals.endpoint(stack, name),
      redact: (stack, value) => redact(value, this.hiddenValuesOf(stack)),
    };
  }

  /** The plugin of a row (public for signals and operations). */
  pluginOf(stack: StackRecord, row: ResourceRecord): ResourcePlugin | undefined {
    let loaded: LoadedStack | null = null;
    try {
      loaded = this.loaded(stack);
    } catch {
      loaded = null;
    }
    return this.pluginForRow(stack, row, loaded);
  }

  /** Child stacks of a resource. */
  private nestedFor(
    stack: StackRecord,
    row: ResourceRecord,
    signal: AbortSignal,
    loaded: LoadedStack | null,
  ): NestedStacks {
    // A child belongs to one resource row: a replacement row gets its own child, and deleting the replaced row
    // deletes only the old one.
    const findChild = async (): Promise<StackRecord | undefined> =>
      (await this.store.listChildStacks(stack.id)).find(
        (c) => c.ownerResource === row.name && (c.actionData['ownerRowId'] ?? row.id) === row.id,
      );
    return {
      createOrUpdate: async (spec) => {
        if (stack.depth + 1 > this.limits.maxNestedDepth) {
          throw namedError(
            'StackRecursionLimitReached',
            `Recursion depth exceeds ${this.limits.maxNestedDepth}.`,
          );
        }
        const environment = this.childEnvironmentFor(loaded, row.name, spec);
        const envJSON = environmentToJSON(environment);
        const inputs: StackInputs = {
          template: spec.template,
          environment: envJSON,
          mergedEnvironment: envJSON,
          files: spec.files ?? loaded?.files ?? {},
          environmentFiles: [],
          parameters: spec.parameters ?? {},
        };
        let child = await findChild();
        if (!child) {
          child = await this.createChild(stack, row, inputs, spec);
          if (!row.physicalId) {
            row.physicalId = child.id;
            await this.writer.write([
              { kind: 'updateResource', id: row.id, patch: { physicalId: child.id } },
            ]);
          }
          await this.start(child, 'CREATE', signal);
        } else if (child.status === 'IN_PROGRESS' && !this.running.has(child.id)) {
          await this.start(child, child.action, signal);
        } else if (this.running.has(child.id)) {
          await this.settle(child.id);
        } else if (child.status === 'FAILED' || !sameInputs(child.inputs, inputs)) {
          await this.updateChild(child, inputs, spec);
          await this.start(child, 'UPDATE', signal);
        }
        const fresh = (await this.store.getStack(child.id)) ?? child;
        if (fresh.status !== 'COMPLETE') {
          const leaf = (fresh.actionData['leafReason'] as string | undefined) ?? fresh.statusReason;
          throw new NestedStackFailure(nestReason(leaf, row.name));
        }
        return this.nestedResult(fresh);
      },
      delete: async () => {
        const child = await findChild();
        if (!child) return;
        await this.interrupt(child.id, 'delete');
        child.traversal = randomUUID();
        child.action = 'DELETE';
        child.status = 'IN_PROGRESS';
        child.statusReason = 'Stack DELETE started';
        await this.writeStack(child, ['traversal', 'action', 'status', 'statusReason']);
        await this.start(child, 'DELETE', signal);
        const fresh = await this.store.getStack(child.id);
        if (fresh && fresh.status !== 'COMPLETE') {
          throw new NestedStackFailure(
            nestReason(
              (fresh.actionData['leafReason'] as string | undefined) ?? fresh.statusReason,
              row.name,
            ),
          );
        }
      },
      current: async () => {
        const child = await findChild();
        return child ? this.nestedResult(child) : null;
      },
      act: async (action) => {
        const child = await findChild();
        if (!child)
          throw namedError('Error', `Cannot ${action.toLowerCase()} ${row.name}, stack not created`);
        return actOnChildStack(this.operationHost(), child, action, signal);
      },
    };
  }

  private childEnvironmentFor(
    loaded: LoadedStack | null,
    ownerName: string,
    spec: NestedStackSpec,
  ): Environment {
    const templateEntryPath = loaded?.templatePaths.get(ownerName);
    const base = loaded
      ? childEnvironment(loaded.environment, ownerName, templateEntryPath ? { templateEntryPath } : {})
      : undefined;
    if (!spec.environment) {
      if (base) return base;
      return childEnvironment(loadStackEnvironmentless(), ownerName);
    }
    const extra = loadEnvironmentObject(spec.environment);
    if (!base) return extra;
    return {
      ...base,
      parameters: { ...base.parameters, ...extra.parameters },
      parameterDefaults: { ...base.parameterDefaults, ...extra.parameterDefaults },
    };
  }

  private async createChild(
    parent: StackRecord,
    row: ResourceRecord,
    inputs: StackInputs,
    spec: NestedStackSpec,
  ): Promise<StackRecord> {
    const id = randomUUID();
    const name = physicalResourceName(parent.name, row.name, row.id);
    const child: StackRecord = {
      id,
      name,
      projectId: parent.projectId,
      parentId: parent.id,
      ownerResource: row.name,
      rootId: parent.rootId,
      depth: parent.depth + 1,
      action: 'CREATE',
      status: 'IN_PROGRESS',
      statusReason: 'Stack CREATE started',
      inputs,
      previousInputs: null,
      disableRollback: true,
      timeoutMins: spec.timeoutMins ?? parent.timeoutMins,
      tags: [],
      username: parent.username,
      createdAt: now(),
      updatedAt: null,
      deletedAt: null,
      traversal: randomUUID(),
      deadline: parent.deadline,
      actionData: {
        facade: spec.facade ?? {},
        ownerRowId: row.id,
        templateName: spec.templateName ?? 'template.yaml',
      },
    };
    const loaded = this.validateChild(child);
    await this.checkTreeSize(parent.rootId, loaded.definition.resources.size, null, row.id);
    const ops: WriteOp[] = [{ kind: 'insertStack', stack: child }];
    for (const rname of loaded.definition.resources.keys()) {
      const r = newResourceRecord(child.id, rname, loaded.types.get(rname) ?? '', child.traversal);
      ops.push({ kind: 'insertResource', resource: r });
    }
    ops.push({ kind: 'insertEvent', event: stackEvent(child) });
    await this.writer.write(ops);
    return child;
  }

  /**
   * Heat's `max_resources_per_stack`, counted over the whole tree: every resource of every stack under `rootId`,
   * except the resources that stand for a child stack (a ResourceGroup counts as its members — so, as in Heat, a
   * group of 1000 fits the default limit of 1000) and except the child about to be updated (`replacing`), plus the
   * `adding` resources of the child being made for resource row `ownerRowId`.
   */
  private async checkTreeSize(
    rootId: string,
    adding: number,
    replacing: string | null,
    ownerRowId: string,
  ): Promise<void> {
    const limit = this.limits.maxResourcesPerStack;
    if (limit < 0) return;
    let total = adding;
    const pending = [rootId];
    while (pending.length > 0) {
      const id = pending.pop()!;
      const children = await this.store.listChildStacks(id);
      const owners = new Set(children.map((c) => String(c.actionData['ownerRowId'] ?? c.ownerResource)));
      owners.add(ownerRowId);
      if (id !== replacing) {
        total += (await this.store.listResources(id)).filter(
          (r) => r.current && !owners.has(r.id) && !owners.has(r.name),
        ).length;
      }
      for (const c of children) pending.push(c.id);
    }
    if (total > limit) {
      throw namedError(
        'RequestLimitExceeded',
        `Maximum resources per stack exceeded: the stack tree would have ${total} resources, the limit is ${limit}.`,
      );
    }
  }

  private validateChild(child: StackRecord): LoadedStack {
    let loaded: LoadedStack;
    try {
      loaded = this.loaded(child);
    } catch (e) {
      throw namedError(e instanceof HeatError ? e.type : 'Error', childProblem(e));
    }
    const problems = validateLoaded(loaded);
    if (problems.length > 0) {
      throw namedError(problems[0]!.type, problems.map((p) => p.message).join('; '));
    }
    return loaded;
  }

  private async updateChild(child: StackRecord, inputs: StackInputs, spec: NestedStackSpec): Promise<void> {
    const previous = child.status === 'COMPLETE' ? child.inputs : child.previousInputs;
    const next: StackRecord = { ...child, inputs, traversal: randomUUID() };
    next.actionData = { ...child.actionData, facade: spec.facade ?? child.actionData['facade'] ?? {} };
    const loaded = this.validateChild(next);
    await this.checkTreeSize(
      child.rootId,
      loaded.definition.resources.size,
      child.id,
      String(child.actionData['ownerRowId'] ?? ''),
    );
    Object.assign(child, {
      inputs,
      previousInputs: previous,
      traversal: next.traversal,
      actionData: next.actionData,
      action: 'UPDATE',
      status: 'IN_PROGRESS',
      statusReason: 'Stack UPDATE started',
      updatedAt: now(),
    });
    await this.writeStack(child, [
      'inputs',
      'previousInputs',
      'traversal',
      'actionData',
      'action',
      'status',
      'statusReason',
      'updatedAt',
    ]);
  }

  /** A child stack as its parent's plugin sees it. */
  async nestedResult(child: StackRecord): Promise<NestedStackResult> {
    const rows = await this.store.listResources(child.id);
    const byName = new Map(rows.filter((r) => r.current).map((r) => [r.name, r]));
    let loaded: LoadedStack | null = null;
    try {
      loaded = this.loaded(child);
    } catch {
      loaded = null;
    }
    const members: NestedMember[] = [];
    const outputs: Record<string, unknown> = {};
    if (loaded) {
      const handles = handlesFor(loaded, (n) => byName.get(n));
      for (const [name, h] of handles) members.push(memberOf(h, byName.get(name)));
      const ctx = contextFor(loaded, (n) => byName.get(n), false);
      for (const [key, out] of loaded.definition.outputs) {
        if (!out.enabled) {
          outputs[key] = null;
          continue;
        }
        try {
          const v = resolveValue(out.value, ctx);
          outputs[key] = v === OMIT ? null : v;
        } catch {
          outputs[key] = undefined;
        }
      }
    }
    return {
      stackId: child.id,
      status: child.status === 'COMPLETE' ? 'COMPLETE' : 'FAILED',
      reason: child.statusReason,
      outputs,
      members,
    };
  }
}

function memberOf(h: ResourceHandle, row: ResourceRecord | undefined): NestedMember {
  return {
    name: h.name,
    type: h.type,
    referenceId: row ? h.referenceId() : null,
    status: row?.status ?? 'COMPLETE',
    action: row?.action ?? 'INIT',
    attributes: h.allAttributes(),
    attribute: (name, path) => h.attribute(name, path),
    hasAttribute: (name) => h.hasAttribute(name),
  };
}

/** An Error rendered by the engine as `<name>: <resource path>: <message>`. */
function namedError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function childProblem(e: unknown): string {
  if (e instanceof HeatError)
    return problemsOf(e)
      .map((p) => p.message)
      .join('; ');
  return e instanceof Error ? e.message : String(e);
}

function sameInputs(a: StackInputs, b: StackInputs): boolean {
  return (
    jsonEqual(a.template, b.template) &&
    jsonEqual(a.parameters, b.parameters) &&
    jsonEqual(a.mergedEnvironment, b.mergedEnvironment) &&
    jsonEqual(a.files, b.files)
  );
}

/** The identity (pseudo parameters) of a stack. */
export function identityOf(stack: StackRecord): { stackId: string; stackName: string; projectId: string } {
  return { stackId: stack.id, stackName: stack.name, projectId: stack.projectId };
}

/** Values of a loaded stack's hidden parameters, as strings. */
export function hiddenValues(loaded: LoadedStack): string[] {
  const out: string[] = [];
  for (const [name, schema] of loaded.template.parameters) {
    if (!schema.hidden) continue;
    const v = loaded.parameters.get(name);
    if (v !== undefined && v !== null && String(v) !== '')
      out.push(typeof v === 'string' ? v : JSON.stringify(v));
  }
  return out;
}

/** Replaces every occurrence of a secret string in a JSON value by `******`. */
export function redact(
  value: Record<string, unknown> | null,
  secrets: readonly string[],
): Record<string, unknown> | null {
  if (!value || secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let s = v;
      for (const secret of secrets) if (secret && s.includes(secret)) s = s.split(secret).join('******');
      return s;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as Record<string, unknown>;
}

function loadEnvironmentObject(env: Record<string, unknown> | string): Environment {
  return mergeEnvironments({ files: {}, environmentFiles: [], environment: env });
}

function loadStackEnvironmentless(): Environment {
  return mergeEnvironments({ files: {}, environmentFiles: [] });
}
