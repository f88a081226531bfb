/**
 * The engine: Hearth's implementation of {@link EngineService}. Validates requests completely before storing
 * anything, persists stacks and their resources, runs actions through the {@link Executor}, and on start resumes
 * every action a previous process left IN_PROGRESS (so no stack stays stuck after a crash).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SignalTokens } from './signal-tokens.js';
import { HeatError, throwIfProblems } from '../template/errors.js';
import { environmentToJSON, userEnvironmentToJSON } from '../template/environment/index.js';
import { describeFunctions, getTemplateVersion, listTemplateVersions } from '../template/versions.js';
import { Executor, hiddenValues, identityOf, redact, type PreviewCheck } from './executor.js';
import { previewUpdate } from './planner.js';
import { DEFAULT_LIMITS, purgeStackEvents, type EngineLimits } from './limits.js';
import { checkEnvironment, loadStack, type LoadedStack } from './loader.js';
import { CurrentResources } from './current-resources.js';
import type { PluginSource } from './plugin-source.js';
import { newResourceRecord, newRootStackRecord, now, resourceEvent, stackEvent } from './records.js';
import { HOOK_KEY } from './runner.js';
import { HOOK_TYPES, isHookType } from '../template/environment/index.js';
import type {
  EngineService,
  EventView,
  OutputView,
  PreviewResult,
  ResourceView,
  SnapshotView,
  StackCreateRequest,
  UpdatePreview,
  StackUpdateRequest,
  StackView,
  ValidateRequest,
  ValidateResult,
} from './service.js';
import type {
  EventListQuery,
  ResourceRecord,
  StackInputs,
  StackListQuery,
  StackAction,
  StackRecord,
  Store,
  WriteOp,
} from './store.js';
import { taskFor, type TaskQueue } from './tasks.js';
import { TaskWorker, type WorkerOptions } from './worker.js';
import { RemoteResourceActions } from './resource-tasks.js';
import { validateLoaded } from './validator.js';
import { immutableParametersModified } from '../template/parameters/index.js';
import { describeParameters, nestedParameters } from './validate-view.js';
import { Views } from './views.js';
import { StackOperations, adoptActionData, adoptParameters } from './operations/index.js';
import { WriteQueue } from './writer.js';
import { resourceTypeSchema, resourceTypeTemplate } from './resource-types.js';

/** Options of the engine. */
export interface EngineOptions {
  readonly limits?: Partial<EngineLimits>;
  /** Secret for resource signal tokens (random when not given: tokens then die with the process). */
  readonly signalSecret?: Buffer;
  /** Base URL of the API as clients reach it (for signal URLs). */
  readonly publicUrl?: string;
  /**
   * `embedded` (default, `hearth server`): actions run in this process and unfinished ones resume at start.
   * `api` (`hearth api`): actions are recorded as tasks in `tasks` for engine processes; nothing runs here.
   * `engine` (`hearth engine`): actions run when claimed by a {@link TaskWorker} ({@link Engine.startWorker}).
   */
  readonly role?: 'embedded' | 'api' | 'engine';
  /** The task queue (roles `api` and `engine`). */
  readonly tasks?: TaskQueue;
}

/** The embedded engine. */
export class Engine implements EngineService {
  private readonly writer: WriteQueue;
  private readonly executor: Executor;
  private readonly views: Views;
  /** Suspend/resume/check, snapshots, export/abandon/adopt, mark unhealthy. */
  private readonly operations: StackOperations;
  /** Current resource rows by stack and name (resource signals, e.g. a deployed server's metadata refresh). */
  private readonly currentResources: CurrentResources;
  readonly limits: EngineLimits;
  readonly role: 'embedded' | 'api' | 'engine';
  private readonly tasks: TaskQueue | undefined;
  /** Signal URLs and tokens (the API checks tokens through it). */
  readonly signals: SignalTokens;

  constructor(
    private readonly store: Store,
    private readonly plugins: PluginSource,
    options: EngineOptions = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.writer = new WriteQueue(store);
    this.signals = new SignalTokens(
      options.signalSecret ?? randomBytes(32),
      options.publicUrl ?? 'http://127.0.0.1:8004',
    );
    this.executor = new Executor(store, this.writer, plugins, this.limits, this.signals);
    this.role = options.role ?? 'embedded';
    this.tasks = options.tasks;
    if (this.role !== 'embedded' && !this.tasks)
      throw new Error(`engine role ${this.role} needs a task queue`);
    this.executor.queueRootActions = this.role === 'api';
    this.executor.fenceRootWrites = this.role === 'engine';
    this.views = new Views(store, this.executor);
    this.operations = new StackOperations(this.executor.operationHost());
    this.currentResources = new CurrentResources(store);
  }

  /**
   * Resumes what a previous process left IN_PROGRESS: root stacks are resumed; nested stacks are resumed by their
   * parent's resource; nested stacks without a live parent action are failed.
   */
  async start(): Promise<void> {
    if (this.role !== 'embedded') return; // engines resume work through their task worker
    const stacks = await this.store.listStacksInProgress();
    const ids = new Set(stacks.map((s) => s.id));
    for (const s of stacks) {
      if (s.parentId === null) {
        await this.executor.writeStack({ ...s, statusReason: `Resuming ${s.action} after engine restart` }, [
          'statusReason',
        ]);
        void this.executor.start(s, s.action);
      } else if (!ids.has(s.parentId)) {
        s.status = 'FAILED';
        s.statusReason = `Engine went down during stack ${s.action}`;
        await this.executor.writeStack(s, ['status', 'statusReason']);
      }
    }
  }

  /**
   * Engine role: starts claiming and running tasks (see {@link TaskWorker}); stop it with `worker.stop()` before
   * {@link close}.
   */
  startWorker(options: WorkerOptions): TaskWorker {
    if (this.role !== 'engine' || !this.tasks) throw new Error('startWorker needs the engine role');
    const executor = this.executor;
    const worker = new TaskWorker(
      {
        store: this.store,
        start: (stack) => executor.start(stack, stack.action),
        interrupt: (stackId, cause) => executor.interrupt(stackId, cause),
        cancel: (stackId, rollback) => executor.cancel(stackId, rollback),
        noteResumed: async (stack, reason) => {
          stack.statusReason = reason;
          await executor.writeStack(stack, ['statusReason']);
        },
        runResourceTask: (task, signal) => executor.runResourceTask(task, signal),
      },
      this.tasks,
      { ...options, onCallEnded: () => executor.remote?.pollSoon() },
    );
    if (options.resourceTasks) {
      executor.remote = new RemoteResourceActions(options.resourceTasks, {
        onQueued: () => worker.pokeResources(),
      });
    }
    void worker.start();
    return worker;
  }

  /** The write that hands a root stack's action to the engines (API role), else nothing. */
  private taskOps(stack: StackRecord, action: StackAction): WriteOp[] {
    return this.role === 'api' ? [{ kind: 'putTask', task: taskFor(stack, action) }] : [];
  }

  async close(): Promise<void> {
    await this.executor.shutdown();
  }

  /**
   * Turns on preview verification: every update is previewed when accepted and, once complete, compared with
   * what it did; `report` receives each comparison. Used by the conformance tests.
   */
  verifyPreviews(report: (result: PreviewCheck) => void): void {
    this.executor.previewCheck = report;
  }

  /** Waits until the stack has no action running in this process (tests, CLI --wait in-process). */
  async settle(stackId: string): Promise<void> {
    await this.executor.settle(stackId);
  }

  private inputsOf(req: StackCreateRequest | ValidateRequest): StackInputs {
    checkEnvironment(req.environment);
    return {
      template: req.template,
      environment: req.environment ?? null,
      mergedEnvironment: {},
      files: req.files ?? {},
      environmentFiles: req.environmentFiles ?? [],
      parameters: req.parameters ?? {},
    };
  }

  private validated(
    inputs: StackInputs,
    stack: { id: string; name: string; projectId: string },
  ): LoadedStack {
    const loaded = loadStack(
      inputs,
      { stackId: stack.id, stackName: stack.name, projectId: stack.projectId },
      this.plugins,
      {
        validating: true,
        maxTemplateSize: this.limits.maxTemplateSize,
      },
    );
    throwIfProblems(validateLoaded(loaded));
    if (
      this.limits.maxResourcesPerStack >= 0 &&
      loaded.definition.resources.size > this.limits.maxResourcesPerStack
    ) {
      throw new HeatError(
        'RequestLimitExceeded',
        'Request limit exceeded: Maximum resources per stack exceeded.',
      );
    }
    inputs.mergedEnvironment = environmentToJSON(loaded.environment);
    return loaded;
  }

  async createStack(projectId: string, req: StackCreateRequest): Promise<StackRecord> {
    if (await this.store.findStackByName(projectId, req.stackName)) {
      throw new HeatError('StackExists', `The Stack (${req.stackName}) already exists.`);
    }
    // As Heat: admins are not held to the limit; -1 means no limit.
    const stackLimit = this.limits.maxStacksPerProject;
    if (
      !req.callerIsAdmin &&
      stackLimit >= 0 &&
      (await this.store.countStacks({ projectId })) >= stackLimit
    ) {
      throw new HeatError(
        'RequestLimitExceeded',
        `Request limit exceeded: You have reached the maximum stacks per tenant, ${stackLimit}. Please delete some stacks.`,
      );
    }
    const id = randomUUID();
    const inputs = this.inputsOf(req);
    const adopt = req.adoptStackData;
    if (adopt) {
      StackOperations.checkAdoptData(adopt);
      inputs.parameters = adoptParameters(adopt, inputs.parameters);
    }
    const loaded = this.validated(inputs, { id, name: req.stackName, projectId });
    const timeoutMins = req.timeoutMins ?? this.limits.defaultTimeoutMins;
    const stack: StackRecord = {
      ...newRootStackRecord(id, projectId, req, inputs),
      action: adopt ? 'ADOPT' : 'CREATE',
      status: 'IN_PROGRESS',
      statusReason: adopt ? 'Stack ADOPT started' : 'Stack CREATE started',
      traversal: randomUUID(),
      actionData: adopt ? adoptActionData(adopt) : {},
    };
    stack.deadline = new Date(Date.parse(stack.createdAt) + timeoutMins * 60_000).toISOString();
    const ops: WriteOp[] = [{ kind: 'insertStack', stack }];
    for (const name of loaded.definition.resources.keys()) {
      ops.push({
        kind: 'insertResource',
        resource: newResourceRecord(id, name, loaded.types.get(name) ?? '', stack.traversal),
      });
    }
    ops.push({ kind: 'insertEvent', event: stackEvent(stack) }, ...this.taskOps(stack, stack.action));
    await this.writer.write(ops);
    this.executor.prime(stack, loaded);
    if (this.role !== 'api') void this.executor.start(stack, stack.action);
    return { ...stack };
  }

  async previewStack(projectId: string, req: StackCreateRequest): Promise<PreviewResult> {
    const id = randomUUID();
    const inputs = this.inputsOf(req);
    const loaded = this.validated(inputs, { id, name: req.stackName, projectId });
    return this.views.preview(projectId, id, req, inputs, loaded);
  }

  /** The inputs of an update (PUT, or PATCH with `existing`), validated, with the immutable-parameter check. */
  private prepareUpdate(
    stack: StackRecord,
    req: StackUpdateRequest,
  ): { inputs: StackInputs; next: LoadedStack } {
    const base = stack.inputs;
    const parameters = req.existing
      ? Object.fromEntries(
          Object.entries({ ...base.parameters, ...(req.parameters ?? {}) }).filter(
            ([k]) => !(req.clearParameters ?? []).includes(k),
          ),
        )
      : (req.parameters ?? {});
    const inputs: StackInputs = {
      template: req.template ?? (req.existing ? base.template : undefined),
      environment: req.environment ?? (req.existing ? base.environment : null),
      mergedEnvironment: {},
      files: req.files ?? (req.existing ? base.files : {}),
      environmentFiles: req.environmentFiles ?? (req.existing ? base.environmentFiles : []),
      parameters,
    };
    if (inputs.template === undefined) {
      throw new HeatError('HTTPBadRequest', 'No template specified');
    }
    checkEnvironment(inputs.environment);
    const next = this.validated(inputs, stack);
    let current: LoadedStack | null = null;
    try {
      current = this.executor.loaded(stack);
    } catch {
      current = null; // the stored inputs no longer load (e.g. a plugin went away): nothing to compare
    }
    if (current) {
      const changed = immutableParametersModified(
        current.parameters,
        next.template.parameters,
        next.parameters,
        req.parameters ?? {},
      );
      if (changed.length > 0) {
        throw new HeatError(
          'ImmutableParameterModified',
          `The following parameters are immutable and may not be updated: ${changed.join(', ')}`,
        );
      }
    }
    return { inputs, next };
  }

  async previewUpdateStack(
    projectId: string,
    stackId: string,
    req: StackUpdateRequest & { showNested?: boolean },
  ): Promise<UpdatePreview> {
    const stack = await this.views.owned(projectId, stackId);
    const { next } = this.prepareUpdate(stack, req);
    const rows = await this.store.listResources(stack.id);
    const secrets = [...this.executor.hiddenValuesOf(stack), ...hiddenValues(next)];
    return previewUpdate(stack, rows, next, { redact: (v) => redact(v, secrets) ?? {} });
  }

  async updateStack(projectId: string, stackId: string, req: StackUpdateRequest): Promise<StackRecord> {
    const stack = await this.views.owned(projectId, stackId);
    if (stack.action === 'DELETE' || stack.action === 'SUSPEND') {
      // Heat's service.update_stack texts (NotSupported, 400).
      const state = stack.action === 'SUSPEND' ? 'suspended' : 'deleting';
      throw new HeatError('NotSupported', `Updating a stack when it is ${state} is not supported.`);
    }
    const { inputs, next } = this.prepareUpdate(stack, req);
    const previous = stack.status === 'COMPLETE' ? stack.inputs : (stack.previousInputs ?? stack.inputs);
    Object.assign(stack, {
      inputs,
      previousInputs: previous,
      action: 'UPDATE',
      status: 'IN_PROGRESS',
      statusReason: 'Stack UPDATE started',
      traversal: randomUUID(),
      updatedAt: now(),
      disableRollback: req.disableRollback ?? stack.disableRollback,
      timeoutMins: req.timeoutMins === undefined ? stack.timeoutMins : req.timeoutMins,
      tags: req.tags ?? (req.existing ? stack.tags : []),
    });
    stack.deadline = new Date(
      Date.now() + (stack.timeoutMins ?? this.limits.defaultTimeoutMins) * 60_000,
    ).toISOString();
    await this.executor.writeStack(
      stack,
      [
        'inputs',
        'previousInputs',
        'action',
        'status',
        'statusReason',
        'traversal',
        'updatedAt',
        'disableRollback',
        'timeoutMins',
        'tags',
        'deadline',
      ],
      true,
      this.taskOps(stack, 'UPDATE'),
    );
    if (this.executor.previewCheck) {
      // Verification mode (tests): the update must then do exactly what its preview says.
      const rows = await this.store.listResources(stack.id);
      this.executor.expectOutcome(stack, previewUpdate(stack, rows, next, { redact: (v) => v }));
    }
    if (this.role !== 'api') void this.executor.start(stack, 'UPDATE');
    return { ...stack };
  }

  async deleteStack(projectId: string, stackId: string): Promise<void> {
    const stack = await this.views.owned(projectId, stackId);
    // API role: the engine running the stack sees the DELETE task and aborts its action itself.
    const wasRunning =
      this.role === 'api' ? stack.status === 'IN_PROGRESS' : this.executor.isRunning(stack.id);
    await this.executor.interrupt(stack.id, 'delete');
    const fresh = (await this.store.getStack(stack.id)) ?? stack;
    if (wasRunning && fresh.status === 'IN_PROGRESS' && fresh.action !== 'DELETE') {
      // Heat: the interrupted action ends as cancelled before the delete starts.
      fresh.status = 'FAILED';
      fresh.statusReason = `Stack ${fresh.action} cancelled`;
      await this.executor.writeStack(fresh, ['status', 'statusReason']);
    }
    Object.assign(fresh, {
      action: 'DELETE',
      status: 'IN_PROGRESS',
      statusReason: 'Stack DELETE started',
      traversal: randomUUID(),
      deadline: null,
    });
    await this.executor.writeStack(
      fresh,
      ['action', 'status', 'statusReason', 'traversal', 'deadline'],
      true,
      this.taskOps(fresh, 'DELETE'),
    );
    if (this.role !== 'api') void this.executor.start(fresh, 'DELETE');
  }

  async stackAction(projectId: string, stackId: string, action: string): Promise<void> {
    const stack = await this.views.owned(projectId, stackId);
    if (action === 'cancel_update' || action === 'cancel_without_rollback') {
      const allowed = action === 'cancel_update' ? ['UPDATE'] : ['UPDATE', 'CREATE'];
      if (stack.status !== 'IN_PROGRESS' || !allowed.includes(stack.action)) {
        throw new HeatError(
          'NotSupported',
          `Cancelling update when stack is ${stack.action}_${stack.status} is not supported.`,
        );
      }
      const rollback = action === 'cancel_update';
      if (this.role === 'api') {
        await this.tasks?.setControl(stack.id, rollback ? 'cancel' : 'cancel-no-rollback');
      } else {
        await this.executor.cancel(stack.id, rollback);
      }
      return;
    }
    if (StackOperations.handles(action)) return this.operations.stackAction(stack, action);
    throw new HeatError(
      'NotSupported',
      `The stack action "${action}" is not supported by this Hearth release (supported: cancel_update, cancel_without_rollback).`,
    );
  }

  lookupStack(projectId: string, nameOrId: string): Promise<StackRecord> {
    return this.views.lookup(projectId, nameOrId);
  }

  getStack(projectId: string, name: string, id: string): Promise<StackRecord> {
    return this.views.exact(projectId, name, id);
  }

  showStack(projectId: string, stackId: string, options?: { resolveOutputs?: boolean }): Promise<StackView> {
    return this.views.showStack(projectId, stackId, options?.resolveOutputs ?? true);
  }

  listStacks(projectId: string | null, query: StackListQuery): Promise<StackView[]> {
    return this.views.listStacks(projectId, query);
  }

  countStacks(projectId: string | null, query: StackListQuery): Promise<number> {
    return this.store.countStacks({
      ...query,
      projectId: projectId ?? undefined,
      limit: undefined,
      marker: undefined,
    });
  }

  listOutputs(projectId: string, stackId: string): Promise<OutputView[]> {
    return this.views.outputs(projectId, stackId);
  }

  showOutput(projectId: string, stackId: string, key: string): Promise<OutputView> {
    return this.views.output(projectId, stackId, key);
  }

  listResources(
    projectId: string,
    stackId: string,
    options?: { nestedDepth?: number; withDetail?: boolean },
  ): Promise<ResourceView[]> {
    return this.views.resources(projectId, stackId, options?.nestedDepth ?? 0, options?.withDetail ?? false);
  }

  showResource(
    projectId: string,
    stackId: string,
    resourceName: string,
    options?: { withAttr?: string[] },
  ): Promise<ResourceView> {
    return this.views.resource(projectId, stackId, resourceName, options?.withAttr);
  }

  async resourceMetadata(
    projectId: string,
    stackId: string,
    resourceName: string,
  ): Promise<Record<string, unknown>> {
    return (await this.views.resource(projectId, stackId, resourceName)).metadata;
  }

  async signalResource(
    projectId: string,
    stackId: string,
    resourceName: string,
    details: unknown,
  ): Promise<void> {
    const stack = await this.views.owned(projectId, stackId);
    const row = await this.currentResources.find(stack.id, resourceName);
    if (!row) {
      throw new HeatError(
        'ResourceNotFound',
        `The Resource (${resourceName}) could not be found in Stack ${stack.name}.`,
      );
    }
    if (details && typeof details === 'object' && !Array.isArray(details) && 'unset_hook' in details) {
      await this.unsetHook(stack, row, (details as Record<string, unknown>)['unset_hook']);
      return;
    }
    await this.executor.signalRow(stack, row, details);
  }

  async signalResourceById(projectId: string, resourceId: string, details: unknown): Promise<boolean> {
    const row = await this.store.getResource(resourceId);
    const stack = row && (await this.store.getStack(row.stackId));
    if (!row || !row.current || !stack || stack.projectId !== projectId) return false;
    await this.executor.signalRow(stack, row, details);
    return true;
  }

  async appendResourceEvents(
    projectId: string,
    resourceId: string,
    reasons: readonly string[],
  ): Promise<number> {
    if (reasons.length === 0) return 0;
    const row = await this.store.getResource(resourceId);
    const stack = row && (await this.store.getStack(row.stackId));
    if (!row || !stack || stack.projectId !== projectId) return 0;
    await this.writer.write(
      reasons.map((reason) => ({
        kind: 'insertEvent' as const,
        event: resourceEvent(stack, { ...row, statusReason: reason, properties: null }),
      })),
    );
    await purgeStackEvents(this.store, stack.id, this.limits);
    return reasons.length;
  }

  /** Clears a breakpoint hook (`{"unset_hook": "pre-create"}`), as Heat's resource signal does. */
  private async unsetHook(stack: StackRecord, row: ResourceRecord, hook: unknown): Promise<void> {
    const cls = row.type.split('::').pop() ?? row.type;
    const where = `${cls} "${row.name}" [${row.physicalId ?? 'None'}] Stack "${stack.name}" [${stack.id}]`;
    if (typeof hook !== 'string' || !isHookType(hook)) {
      throw new HeatError(
        'InvalidBreakPointHook',
        `Invalid hook type "${String(hook)}" for ${where}; expected one of ${HOOK_TYPES.join(', ')}`,
      );
    }
    if (!this.executor.hooksOf(stack, row.name).has(hook)) {
      throw new HeatError('InvalidBreakPointHook', `The "${hook}" hook is not defined on ${where}`);
    }
    const data = Object.fromEntries(
      Object.entries(row.data).filter(([k, v]) => k !== HOOK_KEY || v !== hook),
    );
    await this.writer.write([
      { kind: 'updateResource', id: row.id, patch: { data } },
      {
        kind: 'insertEvent',
        event: resourceEvent(stack, { ...row, statusReason: `Hook ${hook} is cleared`, properties: null }),
      },
    ]);
  }

  async markResourceUnhealthy(
    projectId: string,
    stackId: string,
    resourceName: string,
    markUnhealthy: boolean,
    reason: string,
  ): Promise<void> {
    const stack = await this.views.owned(projectId, stackId);
    await this.operations.markResourceUnhealthy(stack, resourceName, markUnhealthy, reason);
  }

  async createSnapshot(projectId: string, stackId: string, name: string | null): Promise<SnapshotView> {
    return this.operations.createSnapshot(await this.views.owned(projectId, stackId), name);
  }

  async listSnapshots(projectId: string, stackId: string): Promise<SnapshotView[]> {
    return this.operations.listSnapshots(await this.views.owned(projectId, stackId));
  }

  async showSnapshot(projectId: string, stackId: string, snapshotId: string): Promise<SnapshotView> {
    return this.operations.showSnapshot(await this.views.owned(projectId, stackId), snapshotId);
  }

  async deleteSnapshot(projectId: string, stackId: string, snapshotId: string): Promise<void> {
    await this.operations.deleteSnapshot(await this.views.owned(projectId, stackId), snapshotId);
  }

  async restoreSnapshot(projectId: string, stackId: string, snapshotId: string): Promise<void> {
    await this.operations.restoreSnapshot(await this.views.owned(projectId, stackId), snapshotId);
  }

  async exportStack(projectId: string, stackId: string): Promise<Record<string, unknown>> {
    return this.operations.exportStack(await this.views.owned(projectId, stackId));
  }

  async abandonStack(projectId: string, stackId: string): Promise<Record<string, unknown>> {
    return this.operations.abandonStack(await this.views.owned(projectId, stackId));
  }

  listEvents(
    projectId: string,
    stackId: string,
    query: Omit<EventListQuery, 'stackIds'> & { nestedDepth?: number },
  ): Promise<EventView[]> {
    return this.views.events(projectId, stackId, query);
  }

  showEvent(projectId: string, stackId: string, resourceName: string, eventId: string): Promise<EventView> {
    return this.views.event(projectId, stackId, resourceName, eventId);
  }

  async validateTemplate(projectId: string, req: ValidateRequest): Promise<ValidateResult> {
    const inputs = this.inputsOf(req);
    const stub = { stackId: 'None', stackName: 'None', projectId };
    const loaded = loadStack(inputs, stub, this.plugins, {
      validating: true,
      requireValues: false,
      maxTemplateSize: this.limits.maxTemplateSize,
    });
    throwIfProblems(validateLoaded(loaded));
    const env = loaded.environment;
    const result: ValidateResult = {
      Description: loaded.template.description,
      Parameters: describeParameters(loaded.template.parameters, env.parameters, env.parameterDefaults),
      Environment: userEnvironmentToJSON(env),
    };
    if (loaded.template.parameterGroups.length > 0) result.ParameterGroups = loaded.template.parameterGroups;
    if (req.showNested) {
      const nested = nestedParameters(loaded);
      if (Object.keys(nested).length > 0) result.NestedParameters = nested;
    }
    if (loaded.template.warnings.length > 0) result.Warnings = loaded.template.warnings;
    return result;
  }

  templateVersions(): { version: string; type: 'hot' | 'cfn'; aliases: string[] }[] {
    // The CFN formats are listed as Heat lists them; loading a CFN template is refused with a precise error.
    const cfn: { version: string; type: 'hot' | 'cfn'; aliases: string[] }[] = [
      { version: 'AWSTemplateFormatVersion.2010-09-09', type: 'cfn', aliases: [] },
      { version: 'HeatTemplateFormatVersion.2012-12-12', type: 'cfn', aliases: [] },
    ];
    return [
      ...cfn,
      ...listTemplateVersions().map((v) => ({
        version: `heat_template_version.${v.key}`,
        type: v.type,
        aliases: v.aliases.map((a) => `heat_template_version.${a}`),
      })),
    ];
  }

  templateFunctions(
    version: string,
    withConditionFunctions: boolean,
  ): { functions: string; description: string }[] {
    const key = version.replace(/^heat_template_version\./, '');
    const v = getTemplateVersion(key);
    if (!v) throw new HeatError('NotFound', `Template with version ${version} not found`);
    return describeFunctions(v, withConditionFunctions);
  }

  resourceTypes(options?: { name?: string; withDescription?: boolean; supportStatus?: string }): {
    resource_type: string;
    description?: string;
  }[] {
    let re: RegExp | undefined;
    if (options?.name) {
      try {
        re = new RegExp(options.name);
      } catch {
        throw new HeatError('HTTPBadRequest', `Invalid regular expression in "name": ${options.name}`);
      }
    }
    return this.plugins
      .types()
      .filter((t) => {
        const p = this.plugins.get(t);
        if (p?.supportStatus?.status === 'HIDDEN') return false;
        if (options?.supportStatus && (p?.supportStatus?.status ?? 'SUPPORTED') !== options.supportStatus)
          return false;
        return !re || re.test(t);
      })
      .sort()
      .map((t) =>
        options?.withDescription
          ? { resource_type: t, description: this.plugins.get(t)?.description ?? '' }
          : { resource_type: t },
      );
  }

  resourceTypeSchema(type: string): Record<string, unknown> {
    const p = this.plugins.get(type);
    if (!p) throw new HeatError('EntityNotFound', `The Resource Type (${type}) could not be found.`);
    return resourceTypeSchema(type, p);
  }

  resourceTypeTemplate(type: string, templateType: 'hot' | 'cfn'): Record<string, unknown> {
    const p = this.plugins.get(type);
    if (!p) throw new HeatError('EntityNotFound', `The Resource Type (${type}) could not be found.`);
    return resourceTypeTemplate(type, p, templateType);
  }
}

export { identityOf };
