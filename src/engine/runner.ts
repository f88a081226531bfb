/**
 * One traversal of one stack: converges the stack's resources to a target definition (create, update or
 * replace what the target has; delete what it does not), in dependency order, in parallel, persisting every
 * transition as it happens so that a restarted engine can resume the same traversal.
 *
 * Order: every create/update/replace runs as soon as the resources it requires are done; cleanup (deleting
 * removed resources and replaced rows) runs afterwards, dependents first. A failure stops launching new work,
 * aborts work in flight, and fails the traversal with the leaf's reason.
 */
import { setMaxListeners } from 'node:events';
import { HeatError } from '../template/errors.js';
import { resolveValue } from '../template/functions/function.js';
import type { LoadedStack } from './loader.js';
import {
  ResourceFailure,
  UpdateReplace,
  type ActionContext,
  type ActionResult,
  type NestedStacks,
  type ResourcePlugin,
} from './plugin.js';
import { decide } from './decide.js';
import { newResourceRecord, now, resourceEvent, resultPatch } from './records.js';
import { stateOf } from './resource-handle.js';
import type { ResourceAction, ResourceRecord, StackRecord, WriteOp } from './store.js';
import { contextFor, resolveProperties } from './validator.js';
import type { WriteQueue } from './writer.js';
import type { RemoteResourceActions } from './resource-tasks.js';

/** Heat's `action_retry_limit`: retries of a create that failed with ResourceInError. */
export const ACTION_RETRY_LIMIT = 5;

/** Resource data key holding the resource's deletion policy when it is not `Delete`. */
export const DELETION_POLICY_KEY = 'hearth:deletion_policy';

/** Resource data key holding the breakpoint hook a resource waits at. */
export const HOOK_KEY = 'hearth:hook';

/** What a traversal needs from the engine. */
export interface RunnerDeps {
  readonly writer: WriteQueue;
  /** Engine role: the provider calls of distributable resources run as resource tasks on any engine. */
  readonly remote?: RemoteResourceActions;
  /** Child stacks of `row` (a resource of `stack`), aborted with `signal`. */
  nestedFor(
    stack: StackRecord,
    row: ResourceRecord,
    signal: AbortSignal,
    loaded: LoadedStack | null,
  ): NestedStacks;
  /** Plugin for a row that is not in the target (cleanup), by its stored type. */
  pluginForRow(
    stack: StackRecord,
    row: ResourceRecord,
    loaded: LoadedStack | null,
  ): ResourcePlugin | undefined;
  /** A resource row of a stack by name, fresh from the store (current row). */
  readRow(stackId: string, name: string): Promise<ResourceRecord | undefined>;
  /** `restricted_actions` set on a resource by the environment (`update`, `replace`). */
  restrictedActions(stack: StackRecord, name: string, target: LoadedStack | null): ReadonlySet<string>;
  /** Breakpoint hooks set on a resource by the environment (the target's, else the stack's current one). */
  hooks(stack: StackRecord, name: string, target: LoadedStack | null): ReadonlySet<string>;
  /** The signal URL and token of a resource. */
  signalEndpoint(stack: StackRecord, resourceName: string): { url: string; token: string };
  /** Masks secrets (hidden parameter values) in event properties. */
  redact(stack: StackRecord, value: Record<string, unknown> | null): Record<string, unknown> | null;
}

/** Raised when a traversal stops because of a failure; `reason` is the leaf's reason (Heat's layout). */
export class TraversalFailure extends Error {
  constructor(
    readonly reason: string,
    readonly action: string,
  ) {
    super(reason);
    this.name = 'TraversalFailure';
  }
}

/** A failure of a child stack, surfaced through the parent's resource with the leaf's reason. */
export class NestedStackFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NestedStackFailure';
  }
}

/**
 * Renders a resource path as Heat's `HeatExceptionWithPath`: dot-joined, digit-only segments as `[N]`
 * (`resources.grp.resources[0]`).
 */
export function renderResourcePath(segments: readonly string[]): string {
  let out = '';
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else out += out.length > 0 ? `.${s}` : s;
  }
  return out;
}

/**
 * A child stack's failure as its parent resource reports it: the leaf's path gains the owner's
 * (`ValueError: resources.broken: x` of resource `wrap` → `ValueError: resources.wrap.resources.broken: x`).
 */
export function nestReason(reason: string, ownerName: string): string {
  const prefix = renderResourcePath(['resources', ownerName]);
  const m = /^([^:\s]+): (resources(?:\.|\[)[^:]*): ([\s\S]*)$/.exec(reason);
  if (m) return `${m[1]}: ${prefix}.${m[2]}: ${m[3]}`;
  return `${prefix}: ${reason}`;
}

/** How a resource's failure reads: `ValueError: resources.wrap.resources.broken: Test Resource failed broken`. */
export function failureReason(err: unknown, resourcePath: string): string {
  if (err instanceof NestedStackFailure) return err.reason;
  if (err instanceof ResourceFailure) return err.message;
  if (err instanceof HeatError) return `${err.type}: ${resourcePath}: ${err.message}`;
  if (err instanceof Error) {
    if (err.name === 'AbortError') return `${resourcePath}: ${err.message}`;
    return `${err.name === 'ResourceFailure' ? 'Error' : err.name}: ${resourcePath}: ${err.message}`;
  }
  return `Error: ${resourcePath}: ${String(err)}`;
}

/** Options of a traversal. */
export interface TraversalOptions {
  /** The stack action this traversal performs (for resource actions and events). */
  readonly action: 'CREATE' | 'UPDATE' | 'DELETE' | 'ROLLBACK';
  /** Aborts the traversal (cancel, timeout, superseded, shutdown). */
  readonly signal: AbortSignal;
  /** Stops launching new work (work in flight finishes). */
  readonly drain: AbortSignal;
}

/** Runs one traversal. Rows are kept in memory and written through the queue. */
export class Traversal {
  private readonly rows = new Map<string, ResourceRecord>();
  /** What this traversal did to each resource (for checking an update against its preview). */
  readonly outcome = new Map<string, 'added' | 'replaced' | 'updated' | 'unchanged' | 'deleted'>();
  private readonly currentByName = new Map<string, ResourceRecord>();
  private liveCtx: ReturnType<typeof contextFor> | undefined;
  private readonly done = new Set<string>();
  private failed: { reason: string; action: string } | null = null;
  /** Set when work was left undone because the traversal was drained. */
  private unfinished = false;
  private readonly inner = new AbortController();

  constructor(
    private readonly deps: RunnerDeps,
    private readonly stack: StackRecord,
    rows: ResourceRecord[],
    /** The target; null converges to nothing (delete). */
    private readonly target: LoadedStack | null,
    private readonly options: TraversalOptions,
  ) {
    for (const r of rows) {
      this.rows.set(r.id, r);
      if (r.current) this.currentByName.set(r.name, r);
    }
    // Every resource action of the traversal waits on this one signal (hundreds at a time in big stacks).
    setMaxListeners(0, this.inner.signal);
    const onAbort = (): void => this.inner.abort(options.signal.reason);
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  }

  /** The current row of a resource name. */
  current(name: string): ResourceRecord | undefined {
    return this.currentByName.get(name);
  }

  /** One live resolve context per traversal (handles read rows lazily). */
  private liveContext(target: LoadedStack): ReturnType<typeof contextFor> {
    this.liveCtx ??= contextFor(target, (n) => this.current(n), false);
    return this.liveCtx;
  }

  /** All rows (for views after the traversal). */
  allRows(): ResourceRecord[] {
    return [...this.rows.values()];
  }

  private async persist(ops: WriteOp[]): Promise<void> {
    await this.deps.writer.write(ops);
  }

  private async transition(
    row: ResourceRecord,
    patch: Partial<ResourceRecord>,
    extra: WriteOp[] = [],
    emit = true,
  ): Promise<void> {
    Object.assign(row, patch, { updatedAt: now(), traversal: this.stack.traversal });
    const { id: _id, stackId: _s, ...rest } = row;
    const ops: WriteOp[] = [...extra, { kind: 'updateResource', id: row.id, patch: rest }];
    if (emit) {
      ops.push({
        kind: 'insertEvent',
        event: resourceEvent(this.stack, {
          ...row,
          properties: this.deps.redact(this.stack, row.properties),
        }),
      });
    }
    await this.persist(ops);
  }

  /** Runs the traversal. @throws TraversalFailure */
  async run(): Promise<void> {
    try {
      if (this.target) await this.upsertAll(this.target);
      if (!this.failed && !this.unfinished) await this.cleanup();
    } finally {
      this.inner.abort(new Error('traversal finished'));
    }
    if (this.failed) throw new TraversalFailure(this.failed.reason, this.failed.action);
    this.throwIfAborted();
    if (this.options.drain.aborted && this.unfinished) {
      throw new TraversalFailure('stopped before finishing', this.options.action);
    }
  }

  private throwIfAborted(): void {
    if (this.options.signal.aborted) {
      const r = this.options.signal.reason;
      throw new TraversalFailure(
        r instanceof Error ? r.message : String(r ?? 'cancelled'),
        this.options.action,
      );
    }
  }

  /**
   * Records the first failure: no new work starts; work in flight finishes (Heat's convergence), so resources
   * being acted on are not left half-done or failed for another resource's reason.
   */
  private fail(reason: string, action: string = this.options.action): void {
    if (!this.failed) this.failed = { reason, action };
  }

  private async upsertAll(target: LoadedStack): Promise<void> {
    const defs = target.definition.resources;
    const waiting = new Set(defs.keys());
    const running = new Map<string, Promise<void>>();
    await new Promise<void>((resolveAll) => {
      const pump = (): void => {
        if (this.launching) {
          for (const name of [...waiting]) {
            const def = defs.get(name)!;
            let ready = true;
            for (const dep of def.requires) {
              if (defs.has(dep) && !this.done.has(dep)) {
                ready = false;
                break;
              }
            }
            if (!ready) continue;
            waiting.delete(name);
            const p = this.upsert(target, name)
              .then(
                () => {
                  this.done.add(name);
                },
                (err: unknown) => {
                  if (err instanceof TraversalFailure) this.fail(err.reason, err.action);
                  else this.fail(String(err));
                },
              )
              .finally(() => {
                running.delete(name);
                pump();
              });
            running.set(name, p);
          }
        }
        if (running.size === 0) resolveAll();
      };
      pump();
    });
    if (!this.failed && waiting.size > 0) {
      this.throwIfAborted();
      this.unfinished = true;
    }
  }

  private actionContext(row: ResourceRecord, target: LoadedStack | null): ActionContext {
    const signal = this.inner.signal;
    return {
      stack: { stackId: this.stack.id, stackName: this.stack.name, projectId: this.stack.projectId },
      state: stateOf(row),
      signal,
      saveData: async (data) => {
        row.data = { ...row.data, ...data };
        await this.persist([{ kind: 'updateResource', id: row.id, patch: { data: row.data } }]);
      },
      savePhysicalId: async (id) => {
        row.physicalId = id;
        await this.persist([{ kind: 'updateResource', id: row.id, patch: { physicalId: id } }]);
      },
      sleep: (ms) => abortableSleep(ms, signal),
      nested: this.deps.nestedFor(this.stack, row, signal, target),
      updatePolicy: this.updatePolicyOf(row.name, target),
      stackTimeoutMins: this.stack.timeoutMins,
      readResource: async (name) => {
        const r = await this.deps.readRow(this.stack.id, name);
        return r ? stateOf(r) : undefined;
      },
      signalEndpoint: () => this.deps.signalEndpoint(this.stack, row.name),
      event: async (reason) => {
        await this.persist([
          {
            kind: 'insertEvent',
            event: resourceEvent(this.stack, { ...row, statusReason: reason, properties: null }),
          },
        ]);
      },
    };
  }

  private updatePolicyOf(name: string, target: LoadedStack | null): unknown {
    const def = target?.definition.resources.get(name);
    if (!target || !def || def.updatePolicy === undefined || def.updatePolicy === null) return undefined;
    try {
      return resolveValue(def.updatePolicy, this.liveContext(target));
    } catch {
      return undefined;
    }
  }

  private resourcePath(name: string): string {
    return renderResourcePath(['resources', name]);
  }

  /** The resource tasks a resource's provider calls run as (engine role, distributable types), else none. */
  private remoteFor(plugin: ResourcePlugin | undefined): RemoteResourceActions | undefined {
    return plugin?.distributable ? this.deps.remote : undefined;
  }

  /** Waits for a provider call recorded as a resource task (written with the IN_PROGRESS state). */
  private async remoteOutcome(remote: RemoteResourceActions, row: ResourceRecord): Promise<ActionResult> {
    remote.queued();
    return remote.outcome(row, this.stack.traversal, this.inner.signal);
  }

  /** Whether new work may start. */
  private get launching(): boolean {
    return !this.failed && !this.inner.signal.aborted && !this.options.drain.aborted;
  }

  /** Creates, updates or replaces one resource to match the target. */
  private async upsert(target: LoadedStack, name: string): Promise<void> {
    const def = target.definition.resources.get(name)!;
    const plugin = target.plugins.get(name)!;
    const type = target.types.get(name) ?? def.type;
    let row = this.current(name);
    const requires = [...def.requires].filter((d) => target.definition.resources.has(d)).sort();
    const ctx = this.liveContext(target);
    let properties: Record<string, unknown>;
    try {
      properties = resolveProperties(target, name, ctx);
    } catch (e) {
      const action: ResourceAction = row && row.action !== 'INIT' ? 'UPDATE' : this.createAction();
      const failRow = row ?? (await this.insertRow(name, type, requires));
      const reason = failureReason(e, this.resourcePath(name));
      await this.transition(failRow, { action, status: 'FAILED', statusReason: reason });
      throw new TraversalFailure(reason, action);
    }
    const metadata = this.resolveMetadata(target, name, ctx);
    const decision = decide(row, { type, properties, metadata, requires }, plugin);
    this.outcome.set(
      name,
      decision.action === 'create'
        ? 'added'
        : decision.action === 'replace'
          ? 'replaced'
          : decision.action === 'update'
            ? 'updated'
            : 'unchanged',
    );
    if (decision.action === 'none') return;
    if (decision.action === 'create' || !row) {
      if (!row) row = await this.insertRow(name, type, requires);
      await this.create(row, plugin, properties, metadata, requires, target);
      return;
    }
    await this.pauseAtHook(row, 'pre-update', 'UPDATE', target);
    const restricted = this.deps.restrictedActions(this.stack, name, target);
    const blocked = decision.action === 'replace' ? restricted.has('replace') : restricted.has('update');
    if (blocked) {
      const reason = `ResourceActionRestricted: ${this.resourcePath(name)}: ${decision.action} is restricted for resource.`;
      await this.transition(row, { action: 'UPDATE', status: 'FAILED', statusReason: reason });
      throw new TraversalFailure(reason, 'UPDATE');
    }
    if (decision.action === 'replace') {
      if (row.status !== 'FAILED') {
        await this.announceReplacement(row, decision.replacedBy === 'plugin' ? this.longName(row) : name);
      }
      await this.replace(row, name, type, plugin, properties, metadata, requires, target);
      return;
    }
    if (decision.immutable.length > 0) {
      const reason = `NotSupported: ${this.resourcePath(name)}: Update to properties ${decision.immutable.join(', ')} of ${name} (${type}) is not supported.`;
      await this.transition(row, { action: 'UPDATE', status: 'FAILED', statusReason: reason });
      throw new TraversalFailure(reason, 'UPDATE');
    }
    const request = {
      oldProperties: row.properties ?? {},
      newProperties: properties,
      changed: decision.changed,
      oldMetadata: row.metadata,
      newMetadata: metadata,
    };
    const repairing = row.status === 'FAILED';
    row.data = this.withDeletionPolicy(row.data, target, name);
    const calls =
      plugin.update !== undefined &&
      (decision.changed.length > 0 || decision.metadataChanged || plugin.alwaysUpdate === true || repairing);
    const remote = calls ? this.remoteFor(plugin) : undefined;
    await this.transition(
      row,
      {
        action: 'UPDATE',
        status: 'IN_PROGRESS',
        statusReason: 'state changed',
        requires,
      },
      remote ? [remote.taskOp(this.stack, row, 'UPDATE', { ...request })] : [],
    );
    try {
      const result = remote
        ? await this.remoteOutcome(remote, row)
        : calls
          ? await plugin.update!(request, this.actionContext(row, target))
          : undefined;
      await this.transition(row, {
        ...resultPatch(row, result),
        status: 'COMPLETE',
        statusReason: 'state changed',
        properties,
        metadata,
      });
    } catch (e) {
      if (e instanceof UpdateReplace) {
        this.outcome.set(name, 'replaced');
        await this.transition(row, {
          status: 'COMPLETE',
          statusReason: `The Resource ${this.longName(row)} requires replacement.`,
        });
        await this.replace(row, name, type, plugin, properties, metadata, requires, target);
        return;
      }
      const reason = this.timedOutReason('UPDATE', row) ?? failureReason(e, this.resourcePath(name));
      await this.transition(row, { status: 'FAILED', statusReason: reason });
      throw new TraversalFailure(reason, 'UPDATE');
    }
    await this.pauseAtHook(row, 'post-update', 'UPDATE', target);
  }

  /**
   * Heat's `action_retry_limit`: a create that fails with `ResourceInError` (the thing went into an error state)
   * is deleted and tried again, up to {@link ACTION_RETRY_LIMIT} more times with exponential backoff; any other
   * failure is final.
   */
  private async createWithRetries(
    row: ResourceRecord,
    plugin: ResourcePlugin,
    properties: Record<string, unknown>,
    target: LoadedStack,
    remote?: RemoteResourceActions,
  ): Promise<ActionResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (remote) {
          // The first call was recorded with the IN_PROGRESS state; a retry records the call again.
          if (attempt > 1) await this.persist([remote.taskOp(this.stack, row, 'CREATE', { properties })]);
          return await this.remoteOutcome(remote, row);
        }
        return await plugin.create(properties, this.actionContext(row, target));
      } catch (e) {
        const retry = e instanceof Error && e.name === 'ResourceInError' && attempt <= ACTION_RETRY_LIMIT;
        if (!retry || this.inner.signal.aborted) throw e;
        await this.persist([
          {
            kind: 'insertEvent',
            event: resourceEvent(this.stack, {
              ...row,
              statusReason: `${failureReason(e, this.resourcePath(row.name))} (attempt ${attempt} of ${ACTION_RETRY_LIMIT + 1}, retrying)`,
              properties: null,
            }),
          },
        ]);
        try {
          await plugin.delete(this.actionContext(row, target));
        } catch {
          // the next attempt starts from whatever is left; its own failure is what counts
        }
        await abortableSleep(
          Math.min(2 ** attempt * 100, 5_000) * (0.5 + Math.random() / 2),
          this.inner.signal,
        );
      }
    }
  }

  /** The row's data with the definition's deletion policy (Delete, Retain, Snapshot) recorded for its delete. */
  private withDeletionPolicy(
    data: Record<string, unknown>,
    target: LoadedStack,
    name: string,
  ): Record<string, unknown> {
    const policy = target.definition.resources.get(name)?.deletionPolicyValue ?? 'Delete';
    if (policy === 'Delete') {
      const { [DELETION_POLICY_KEY]: _dropped, ...rest } = data;
      return rest;
    }
    return { ...data, [DELETION_POLICY_KEY]: policy };
  }

  /** Heat's long description of a resource: `TestResource "a" [<physical id>] Stack "s" [<id>]`. */
  private longName(row: ResourceRecord): string {
    const cls = row.type.split('::').pop() ?? row.type;
    return `${cls} "${row.name}" [${row.physicalId ?? 'None'}] Stack "${this.stack.name}" [${this.stack.id}]`;
  }

  /** Heat's events on a resource about to be replaced: UPDATE_IN_PROGRESS, then UPDATE_COMPLETE "requires replacement". */
  private async announceReplacement(row: ResourceRecord, who: string): Promise<void> {
    await this.transition(row, { action: 'UPDATE', status: 'IN_PROGRESS', statusReason: 'state changed' });
    await this.transition(row, {
      status: 'COMPLETE',
      statusReason: `The Resource ${who} requires replacement.`,
    });
  }

  /** Heat's reason for an action cut short by the stack timeout or a user's cancel (a delete). */
  private timedOutReason(action: string, row: ResourceRecord): string | null {
    const r: unknown = this.options.signal.reason;
    if (!this.options.signal.aborted || !(r instanceof Error)) return null;
    if (r.message === 'user triggered cancel') return `${action} aborted (user triggered cancel)`;
    if (r.message !== 'Timed out') return null;
    const cls = row.type.split('::').pop() ?? row.type;
    return `${action} aborted (Task ${action.toLowerCase()} from ${cls} "${row.name}" Stack "${this.stack.name}" [${this.stack.id}] Timed out)`;
  }

  private createAction(): ResourceAction {
    return 'CREATE';
  }

  private resolveMetadata(
    target: LoadedStack,
    name: string,
    ctx: ReturnType<typeof contextFor>,
  ): Record<string, unknown> {
    const def = target.definition.resources.get(name)!;
    if (def.metadata === undefined || def.metadata === null) return {};
    try {
      const v = resolveValue(def.metadata, ctx);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  private async insertRow(name: string, type: string, requires: string[]): Promise<ResourceRecord> {
    const row = newResourceRecord(this.stack.id, name, type, this.stack.traversal);
    row.requires = requires;
    this.rows.set(row.id, row);
    this.currentByName.set(name, row);
    await this.persist([{ kind: 'insertResource', resource: { ...row } }]);
    return row;
  }

  /**
   * Waits at a breakpoint hook set by the environment, until `{"unset_hook": hook}` is signalled: writes the
   * hook into the row's data with Heat's event ("CREATE paused until Hook pre-create is cleared") and polls the
   * row (the signal handler clears it). Resumable: after a restart the pause continues without a second event.
   */
  private async pauseAtHook(
    row: ResourceRecord,
    hook: string,
    action: string,
    target: LoadedStack | null,
  ): Promise<void> {
    if (!this.deps.hooks(this.stack, row.name, target).has(hook)) return;
    if (row.data[HOOK_KEY] !== hook) {
      row.data = { ...row.data, [HOOK_KEY]: hook };
      await this.persist([
        { kind: 'updateResource', id: row.id, patch: { data: row.data } },
        {
          kind: 'insertEvent',
          event: resourceEvent(this.stack, {
            ...row,
            statusReason: `${action} paused until Hook ${hook} is cleared`,
            properties: null,
          }),
        },
      ]);
    }
    try {
      for (;;) {
        await abortableSleep(100, this.inner.signal);
        const fresh = await this.deps.readRow(this.stack.id, row.name);
        if (!fresh || fresh.id !== row.id || fresh.data[HOOK_KEY] !== hook) {
          if (fresh && fresh.id === row.id) row.data = fresh.data;
          else row.data = Object.fromEntries(Object.entries(row.data).filter(([k]) => k !== HOOK_KEY));
          return;
        }
      }
    } catch (e) {
      const reason = this.timedOutReason(action, row) ?? failureReason(e, this.resourcePath(row.name));
      throw new TraversalFailure(reason, action);
    }
  }

  private async create(
    row: ResourceRecord,
    plugin: ResourcePlugin,
    properties: Record<string, unknown>,
    metadata: Record<string, unknown>,
    requires: string[],
    target: LoadedStack,
    replacement = false,
  ): Promise<void> {
    if (!replacement) await this.pauseAtHook(row, 'pre-create', 'CREATE', target);
    row.data = this.withDeletionPolicy(row.data, target, row.name);
    const remote = this.remoteFor(plugin);
    await this.transition(
      row,
      {
        action: 'CREATE',
        status: 'IN_PROGRESS',
        statusReason: 'state changed',
        properties,
        metadata,
        requires,
      },
      remote ? [remote.taskOp(this.stack, row, 'CREATE', { properties })] : [],
    );
    try {
      const result = await this.createWithRetries(row, plugin, properties, target, remote);
      await this.transition(row, {
        ...resultPatch(row, result),
        status: 'COMPLETE',
        statusReason: 'state changed',
      });
    } catch (e) {
      const reason = this.timedOutReason('CREATE', row) ?? failureReason(e, this.resourcePath(row.name));
      await this.transition(row, { status: 'FAILED', statusReason: reason });
      throw new TraversalFailure(reason, 'CREATE');
    }
    await this.pauseAtHook(
      row,
      replacement ? 'post-update' : 'post-create',
      replacement ? 'UPDATE' : 'CREATE',
      target,
    );
  }

  private async replace(
    old: ResourceRecord,
    name: string,
    type: string,
    plugin: ResourcePlugin,
    properties: Record<string, unknown>,
    metadata: Record<string, unknown>,
    requires: string[],
    target: LoadedStack,
  ): Promise<void> {
    old.current = false;
    const row = newResourceRecord(this.stack.id, name, type, this.stack.traversal);
    row.requires = requires;
    row.replaces = old.id;
    this.rows.set(row.id, row);
    this.currentByName.set(name, row);
    await this.persist([
      { kind: 'updateResource', id: old.id, patch: { current: false } },
      { kind: 'insertResource', resource: { ...row } },
    ]);
    await this.create(row, plugin, properties, metadata, requires, target, true);
  }

  /** Deletes rows not in the target and replaced rows, dependents first. */
  private async cleanup(): Promise<void> {
    const targetNames = this.target ? new Set(this.target.definition.resources.keys()) : new Set<string>();
    const doomed = [...this.rows.values()].filter((r) => !r.current || !targetNames.has(r.name));
    if (doomed.length === 0) return;
    const pending = new Set(doomed.map((r) => r.id));
    // A row waits while another doomed row that requires it is not deleted yet (dependents go first).
    const byName = new Map<string, ResourceRecord[]>();
    for (const r of doomed) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
    const blockers = new Map<string, number>(doomed.map((r) => [r.id, 0]));
    const requiredRows = (r: ResourceRecord): ResourceRecord[] =>
      r.requires.flatMap((n) => (n === r.name ? [] : (byName.get(n) ?? [])));
    for (const r of doomed)
      for (const x of requiredRows(r)) blockers.set(x.id, (blockers.get(x.id) ?? 0) + 1);
    const running = new Map<string, Promise<void>>();
    await new Promise<void>((resolveAll) => {
      const pump = (): void => {
        if (this.launching) {
          for (const id of [...pending]) {
            if ((blockers.get(id) ?? 0) > 0) continue;
            const row = this.rows.get(id)!;
            pending.delete(id);
            const p = this.deleteRow(row)
              .then(() => {
                for (const x of requiredRows(row)) blockers.set(x.id, (blockers.get(x.id) ?? 1) - 1);
              })
              .catch((err: unknown) =>
                err instanceof TraversalFailure ? this.fail(err.reason, err.action) : this.fail(String(err)),
              )
              .finally(() => {
                running.delete(id);
                pump();
              });
            running.set(id, p);
          }
        }
        if (running.size === 0) resolveAll();
      };
      pump();
    });
    if (!this.failed && pending.size > 0) {
      this.throwIfAborted();
      this.unfinished = true;
    }
  }

  private forget(row: ResourceRecord): void {
    this.rows.delete(row.id);
    if (this.currentByName.get(row.name) === row) this.currentByName.delete(row.name);
  }

  private async deleteRow(row: ResourceRecord): Promise<void> {
    if (row.current) this.outcome.set(row.name, 'deleted');
    const plugin = this.deps.pluginForRow(this.stack, row, this.target);
    if (row.action === 'INIT' || (row.action === 'DELETE' && row.status === 'COMPLETE')) {
      this.forget(row);
      await this.persist([{ kind: 'deleteResource', id: row.id }]);
      return;
    }
    if (row.current) await this.pauseAtHook(row, 'pre-delete', 'DELETE', this.target);
    const policy = row.data[DELETION_POLICY_KEY];
    const remote = policy === undefined || policy === 'Delete' ? this.remoteFor(plugin) : undefined;
    await this.transition(
      row,
      { action: 'DELETE', status: 'IN_PROGRESS', statusReason: 'state changed' },
      remote ? [remote.taskOp(this.stack, row, 'DELETE', {})] : [],
    );
    try {
      if (remote) await this.remoteOutcome(remote, row);
      if (plugin && policy === 'Snapshot' && plugin.snapshot) {
        const snapshot = await plugin.snapshot(this.actionContext(row, this.target));
        await this.persist([
          {
            kind: 'insertEvent',
            event: resourceEvent(this.stack, {
              ...row,
              statusReason: `Snapshot taken before delete: ${JSON.stringify(snapshot)}`,
              properties: null,
            }),
          },
        ]);
      }
      if (plugin && policy !== 'Retain' && !remote) await plugin.delete(this.actionContext(row, this.target));
    } catch (e) {
      const reason = failureReason(e, this.resourcePath(row.name));
      await this.transition(row, { status: 'FAILED', statusReason: reason });
      throw new TraversalFailure(reason, 'DELETE');
    }
    row.status = 'COMPLETE';
    row.statusReason = 'state changed';
    if (row.current && this.deps.hooks(this.stack, row.name, this.target).has('post-delete')) {
      await this.transition(row, { status: 'COMPLETE', statusReason: 'state changed' });
      await this.pauseAtHook(row, 'post-delete', 'DELETE', this.target);
      this.forget(row);
      await this.persist([{ kind: 'deleteResource', id: row.id }]);
      return;
    }
    this.forget(row);
    await this.persist([
      { kind: 'deleteResource', id: row.id },
      {
        kind: 'insertEvent',
        event: resourceEvent(this.stack, {
          ...row,
          properties: this.deps.redact(this.stack, row.properties),
        }),
      },
    ]);
  }
}

/** Sleeps `ms`, rejecting with the signal's reason when aborted. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): Error {
  const r = signal.reason;
  const e = new Error(r instanceof Error ? r.message : String(r ?? 'Operation cancelled'));
  e.name = 'AbortError';
  return e;
}
