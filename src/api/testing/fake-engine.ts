/**
 * A small in-memory {@link EngineService} for the API's and CLI's own tests (routing, body checks, shapes,
 * errors). It keeps stacks, two resources per stack, their events (tests may add more), snapshots, and answers
 * update previews with a fixed realistic plan (replaceable); it does not run templates.
 */
import { randomUUID } from 'node:crypto';
import type {
  EngineService,
  EventView,
  OutputView,
  PreviewResult,
  ResourceChange,
  ResourceView,
  SnapshotView,
  StackCreateRequest,
  StackUpdateRequest,
  StackView,
  UpdatePreview,
  ValidateRequest,
  ValidateResult,
} from '../../engine/service.js';
import type { StackAction, StackListQuery, StackRecord, Status } from '../../engine/store.js';
import { HeatError } from '../../template/errors.js';

/** Calls recorded by the fake, for assertions. */
export interface FakeCalls {
  created: StackCreateRequest[];
  updated: { stackId: string; req: StackUpdateRequest }[];
  deleted: string[];
  actions: { stackId: string; action: string }[];
  signals: { resource: string; details: unknown }[];
  listQueries: StackListQuery[];
  eventQueries: unknown[];
  validated: ValidateRequest[];
  previews: { stackId: string; req: StackUpdateRequest & { showNested?: boolean } }[];
  unhealthy: { stackId: string; resource: string; mark: boolean; reason: string }[];
  snapshots: { op: 'create' | 'delete' | 'restore'; stackId: string; snapshot: string | null }[];
  exported: string[];
  abandoned: string[];
}

/** An event a test adds to a fake stack (the rest is filled in). */
export interface FakeEventInput {
  resourceName: string;
  action: string;
  status: string;
  reason: string;
  physicalId?: string | null;
  resourceType?: string;
}

/** The fake engine plus its recorded calls. */
export interface FakeEngine extends EngineService {
  calls: FakeCalls;
  stacks: Map<string, StackRecord>;
  /** Makes the next call of `method` throw `err`. */
  failNext(method: keyof EngineService, err: unknown): void;
  /** Appends an event to a stack's event list (ids `<stack id>-ev<n>`, in order). */
  addEvent(stackId: string, event: FakeEventInput): EventView;
  /** What `previewUpdateStack` answers (default: {@link samplePreview} of the stack). */
  preview: ((stack: StackRecord) => UpdatePreview) | undefined;
}

/** A Heat `resource_changes` entry for a resource of `stackName`. */
function change(stackName: string, name: string, type: string, physicalId = ''): ResourceChange {
  return {
    resource_name: name,
    resource_type: type,
    resource_action: 'INIT',
    resource_status: 'COMPLETE',
    resource_status_reason: '',
    physical_resource_id: physicalId,
    stack_name: stackName,
    required_by: [],
  };
}

/**
 * A realistic update preview: `web` added, `old` deleted, `db` replaced (its `flavor` forced it), `a` updated in
 * place, `b` unchanged.
 */
export function samplePreview(stackName: string): UpdatePreview {
  return {
    resource_changes: {
      added: [change(stackName, 'web', 'OS::Heat::TestResource')],
      deleted: [change(stackName, 'old', 'OS::Heat::None', 'old-id')],
      replaced: [change(stackName, 'db', 'OS::Heat::TestResource', `${stackName}-db-abcdefghijkl`)],
      updated: [change(stackName, 'a', 'OS::Heat::TestResource', `${stackName}-a-abcdefghijkl`)],
      unchanged: [change(stackName, 'b', 'OS::Heat::Value')],
    },
    hearth_changes: [
      {
        resource: 'web',
        action: 'added',
        stack: '',
        properties: [{ name: 'value', old: null, new: 'w', updateAllowed: true, immutable: false }],
      },
      { resource: 'old', action: 'deleted', stack: '', properties: [] },
      {
        resource: 'db',
        action: 'replaced',
        stack: '',
        properties: [
          { name: 'flavor', old: 'small', new: 'large', updateAllowed: false, immutable: false },
          { name: 'value', old: 'x', new: 'y', updateAllowed: true, immutable: false },
        ],
        reason: 'flavor',
      },
      {
        resource: 'a',
        action: 'updated',
        stack: '',
        properties: [
          { name: 'value', old: 'x', new: { list: [1, 2] }, updateAllowed: true, immutable: false },
        ],
      },
      { resource: 'b', action: 'unchanged', stack: '', properties: [] },
    ],
  };
}

/** Builds a fake engine. */
export function fakeEngine(): FakeEngine {
  const stacks = new Map<string, StackRecord>();
  const calls: FakeCalls = {
    created: [],
    updated: [],
    deleted: [],
    actions: [],
    signals: [],
    listQueries: [],
    eventQueries: [],
    validated: [],
    previews: [],
    unhealthy: [],
    snapshots: [],
    exported: [],
    abandoned: [],
  };
  const snapshots = new Map<string, (SnapshotView & { stackId: string })[]>();
  const eventLog = new Map<string, EventView[]>();
  const failures = new Map<string, unknown>();
  const maybeFail = (method: string) => {
    if (failures.has(method)) {
      const err = failures.get(method);
      failures.delete(method);
      throw err;
    }
  };
  const notFound = (name: string) =>
    new HeatError('EntityNotFound', `The Stack (${name}) could not be found.`);
  const byId = (projectId: string, id: string) => {
    const s = stacks.get(id);
    if (!s || s.projectId !== projectId) throw notFound(id);
    return s;
  };
  const view = (s: StackRecord, outputs = true): StackView => ({
    ...s,
    description: 'fake stack',
    displayParameters: { 'OS::stack_id': s.id, 'OS::stack_name': s.name, 'OS::project_id': s.projectId },
    ...(outputs ? { outputs: [{ key: 'out', description: 'an output', value: 42 }] } : {}),
  });
  const resources = (s: StackRecord): ResourceView[] => [
    {
      id: `${s.id}-a`,
      stackId: s.id,
      stackName: s.name,
      name: 'a',
      type: 'OS::Heat::TestResource',
      action: 'CREATE',
      status: 'COMPLETE',
      statusReason: 'state changed',
      physicalId: `${s.name}-a-abcdefghijkl`,
      properties: { value: 'x' },
      attributes: {},
      data: {},
      metadata: { role: 'first' },
      requires: [],
      current: true,
      replaces: null,
      createdAt: '2026-11-25T19:16:00.123Z',
      updatedAt: null,
      traversal: 't',
      requiredBy: ['b'],
      nestedStackId: null,
      description: '',
      attributeValues: { output: 'x' },
      parentResource: null,
    },
    {
      id: `${s.id}-b`,
      stackId: s.id,
      stackName: s.name,
      name: 'b',
      type: 'OS::Heat::Value',
      action: 'CREATE',
      status: 'FAILED',
      statusReason: 'boom',
      physicalId: null,
      properties: null,
      attributes: {},
      data: {},
      metadata: {},
      requires: ['a'],
      current: true,
      replaces: null,
      createdAt: '2026-11-25T19:16:01.000Z',
      updatedAt: '2026-11-25T19:16:02.000Z',
      traversal: 't',
      requiredBy: [],
      nestedStackId: null,
      description: '',
      parentResource: null,
    },
  ];
  const seedEvents = (s: StackRecord): EventView[] =>
    ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'].map((st, i) => ({
      id: `${s.id}-ev${i}`,
      seq: i,
      stackId: s.id,
      stackName: s.name,
      rootStackId: s.id,
      resourceName: 'a',
      physicalId: null,
      resourceType: 'OS::Heat::TestResource',
      action: st.split('_')[0]!,
      status: st.slice(st.indexOf('_') + 1),
      reason: 'state changed',
      properties: { value: 'x' },
      time: `2026-11-25T19:16:0${i}.500Z`,
    }));
  const events = (s: StackRecord): EventView[] => {
    let list = eventLog.get(s.id);
    if (!list) eventLog.set(s.id, (list = seedEvents(s)));
    return [...list];
  };
  const snapshotOf = (projectId: string, stackId: string, snapshotId: string) => {
    byId(projectId, stackId);
    const found = (snapshots.get(stackId) ?? []).find((x) => x.id === snapshotId);
    if (!found) throw new HeatError('NotFound', `Snapshot with id ${snapshotId} not found`);
    return found;
  };
  const abandonData = (s: StackRecord): Record<string, unknown> => ({
    name: s.name,
    id: s.id,
    action: s.action,
    status: s.status,
    template: s.inputs.template,
    environment: { parameters: s.inputs.parameters },
    files: s.inputs.files,
    resources: Object.fromEntries(
      resources(s).map((r) => [
        r.name,
        {
          name: r.name,
          resource_id: r.physicalId,
          type: r.type,
          action: r.action,
          status: r.status,
          metadata: r.metadata,
          resource_data: {},
        },
      ]),
    ),
    project_id: s.projectId,
    stack_user_project_id: s.projectId,
    tags: s.tags,
  });
  const outputs: OutputView[] = [
    { key: 'out', description: 'an output', value: 42 },
    {
      key: 'bad',
      description: 'No description given',
      error: 'The Referenced Attribute (r x) is incorrect.',
    },
  ];

  const engine: FakeEngine = {
    calls,
    stacks,
    preview: undefined,
    failNext(method, err) {
      failures.set(method, err);
    },
    addEvent(stackId, input) {
      const s = stacks.get(stackId);
      if (!s) throw notFound(stackId);
      const list = events(s);
      const e: EventView = {
        id: `${s.id}-ev${list.length}`,
        seq: list.length,
        stackId: s.id,
        stackName: s.name,
        rootStackId: s.rootId,
        resourceName: input.resourceName,
        physicalId: input.physicalId ?? null,
        resourceType: input.resourceType ?? 'OS::Heat::TestResource',
        action: input.action,
        status: input.status,
        reason: input.reason,
        properties: {},
        time: new Date(Date.UTC(2026, 10, 25, 19, 17, list.length)).toISOString(),
      };
      eventLog.set(s.id, [...list, e]);
      return e;
    },
    async createStack(projectId, req) {
      maybeFail('createStack');
      calls.created.push(req);
      for (const s of stacks.values()) {
        if (s.name === req.stackName && s.projectId === projectId && !s.deletedAt) {
          throw new HeatError('StackExists', `The Stack (${req.stackName}) already exists.`);
        }
      }
      const id = randomUUID();
      const record: StackRecord = {
        id,
        name: req.stackName,
        projectId,
        parentId: null,
        ownerResource: null,
        rootId: id,
        depth: 0,
        action: req.adoptStackData ? 'ADOPT' : 'CREATE',
        status: 'COMPLETE',
        statusReason: `Stack ${req.adoptStackData ? 'ADOPT' : 'CREATE'} completed successfully`,
        inputs: {
          template: req.template,
          environment: req.environment ?? {},
          mergedEnvironment: {
            parameters: {},
            parameter_defaults: {},
            resource_registry: { resources: {} },
            event_sinks: [],
          },
          files: req.files ?? {},
          environmentFiles: req.environmentFiles ?? [],
          parameters: req.parameters ?? {},
        },
        previousInputs: null,
        disableRollback: req.disableRollback ?? true,
        timeoutMins: req.timeoutMins ?? null,
        tags: req.tags ?? [],
        username: req.username ?? null,
        createdAt: '2026-11-25T19:16:00.123Z',
        updatedAt: null,
        deletedAt: null,
        traversal: 't',
        deadline: null,
        actionData: {},
      };
      stacks.set(id, record);
      return record;
    },
    async previewStack(projectId, req): Promise<PreviewResult> {
      const id = 'None';
      const s = { ...(await engine.createStack(projectId, { ...req, stackName: req.stackName })), id };
      for (const [k, v] of stacks) if (v.name === req.stackName) stacks.delete(k);
      return { stack: view(s), resources: resources(s) };
    },
    async updateStack(projectId, stackId, req) {
      maybeFail('updateStack');
      const s = byId(projectId, stackId);
      calls.updated.push({ stackId, req });
      const updated: StackRecord = {
        ...s,
        action: 'UPDATE',
        status: 'COMPLETE',
        statusReason: 'Stack UPDATE completed successfully',
        updatedAt: new Date().toISOString(),
      };
      stacks.set(stackId, updated);
      return updated;
    },
    async deleteStack(projectId, stackId) {
      const s = byId(projectId, stackId);
      calls.deleted.push(stackId);
      stacks.set(stackId, { ...s, action: 'DELETE', deletedAt: '2026-11-25T19:17:00.000Z' });
    },
    async stackAction(projectId, stackId, action) {
      maybeFail('stackAction');
      const s = byId(projectId, stackId);
      calls.actions.push({ stackId, action });
      const done: Record<string, StackAction> = {
        suspend: 'SUSPEND',
        resume: 'RESUME',
        check: 'CHECK',
        cancel_update: 'ROLLBACK',
        cancel_without_rollback: 'UPDATE',
      };
      const act = done[action]!;
      const status: Status = action === 'cancel_without_rollback' ? 'FAILED' : 'COMPLETE';
      const reason = status === 'FAILED' ? 'Stack UPDATE cancelled' : `Stack ${act} completed successfully`;
      stacks.set(stackId, { ...s, action: act, status, statusReason: reason });
    },
    async lookupStack(projectId, nameOrId) {
      maybeFail('lookupStack');
      for (const s of stacks.values()) {
        if (s.projectId === projectId && (s.id === nameOrId || (s.name === nameOrId && !s.deletedAt)))
          return s;
      }
      throw notFound(nameOrId);
    },
    async getStack(projectId, name, id) {
      const s = stacks.get(id);
      if (!s || s.name !== name || s.projectId !== projectId) throw notFound(name);
      return s;
    },
    async showStack(projectId, stackId, options) {
      maybeFail('showStack');
      return view(byId(projectId, stackId), options?.resolveOutputs !== false);
    },
    async listStacks(projectId, query) {
      maybeFail('listStacks');
      calls.listQueries.push(query);
      let list = [...stacks.values()].filter(
        (s) => s.projectId === projectId && (query.showDeleted || !s.deletedAt),
      );
      if (query.filters?.name) list = list.filter((s) => query.filters!.name!.includes(s.name));
      if (query.marker) list = list.slice(list.findIndex((s) => s.id === query.marker) + 1);
      if (query.limit !== undefined) list = list.slice(0, query.limit);
      return list.map((s) => view(s, false));
    },
    async countStacks(projectId) {
      return [...stacks.values()].filter((s) => s.projectId === projectId && !s.deletedAt).length;
    },
    async listOutputs(projectId, stackId) {
      byId(projectId, stackId);
      return outputs.map(({ key, description }) => ({ key, description }));
    },
    async showOutput(projectId, stackId, key) {
      byId(projectId, stackId);
      const o = outputs.find((x) => x.key === key);
      if (!o) throw new HeatError('NotFound', `Specified output key ${key} not found.`);
      return o;
    },
    async listResources(projectId, stackId) {
      return resources(byId(projectId, stackId));
    },
    async showResource(projectId, stackId, name) {
      const s = byId(projectId, stackId);
      const r = resources(s).find((x) => x.name === name);
      if (!r)
        throw new HeatError(
          'ResourceNotFound',
          `The Resource (${name}) could not be found in Stack ${s.name}.`,
        );
      return r;
    },
    async resourceMetadata(projectId, stackId, name) {
      return (await engine.showResource(projectId, stackId, name)).metadata;
    },
    async signalResource(projectId, stackId, name, details) {
      await engine.showResource(projectId, stackId, name);
      calls.signals.push({ resource: name, details });
    },
    async signalResourceById() {
      return false; // the fake has no resource rows keyed by deployment id
    },
    async appendResourceEvents() {
      return 0; // the fake has no resource rows keyed by deployment id
    },
    async listEvents(projectId, stackId, query) {
      calls.eventQueries.push(query);
      let list = events(byId(projectId, stackId));
      if (query.resourceName) list = list.filter((e) => query.resourceName!.includes(e.resourceName));
      if (query.sortDir !== 'asc') list.reverse();
      if (query.marker) {
        const at = list.findIndex((e) => e.id === query.marker);
        if (at >= 0) list = list.slice(at + 1);
      }
      if (query.limit !== undefined) list = list.slice(0, query.limit);
      return list;
    },
    async showEvent(projectId, stackId, name, eventId) {
      const e = events(byId(projectId, stackId)).find((x) => x.id === eventId && x.resourceName === name);
      if (!e) throw new HeatError('EntityNotFound', `The Event (${eventId}) could not be found.`);
      return e;
    },
    async validateTemplate(_projectId, req): Promise<ValidateResult> {
      maybeFail('validateTemplate');
      calls.validated.push(req);
      return { Description: 'd', Parameters: {}, Environment: {}, Warnings: [] };
    },
    templateVersions() {
      return [
        {
          version: 'heat_template_version.2018-08-31',
          type: 'hot',
          aliases: ['heat_template_version.rocky'],
        },
      ];
    },
    templateFunctions(version, withCondition) {
      if (version !== 'heat_template_version.2018-08-31') {
        throw new HeatError('NotFound', `Template with version ${version} not found`);
      }
      const fns = [{ functions: 'get_param', description: 'A function for resolving parameter references.' }];
      if (withCondition) fns.push({ functions: 'equals', description: 'eq' });
      return fns;
    },
    resourceTypes(options) {
      const all = [
        { resource_type: 'OS::Heat::None', description: 'nothing' },
        { resource_type: 'OS::Heat::Value', description: 'a value' },
      ];
      const list = options?.name ? all.filter((t) => new RegExp(options.name!).test(t.resource_type)) : all;
      return options?.withDescription ? list : list.map(({ resource_type }) => ({ resource_type }));
    },
    resourceTypeSchema(type) {
      if (type !== 'OS::Heat::None') {
        throw new HeatError('EntityNotFound', `The Resource Type (${type}) could not be found.`);
      }
      return { resource_type: type, properties: {}, attributes: {}, support_status: {} };
    },
    resourceTypeTemplate(type, templateType) {
      return { templateType, type };
    },
    async previewUpdateStack(projectId, stackId, req) {
      maybeFail('previewUpdateStack');
      const s = byId(projectId, stackId);
      calls.previews.push({ stackId, req });
      return engine.preview ? engine.preview(s) : samplePreview(s.name);
    },
    async markResourceUnhealthy(projectId, stackId, resourceName, mark, reason) {
      const s = byId(projectId, stackId);
      const found = resources(s).some((r) => r.name === resourceName || r.physicalId === resourceName);
      if (!found) {
        throw new HeatError(
          'ResourceNotFound',
          `The Resource (${resourceName}) could not be found in Stack ${s.name}.`,
        );
      }
      calls.unhealthy.push({ stackId, resource: resourceName, mark, reason });
    },
    async createSnapshot(projectId, stackId, name) {
      maybeFail('createSnapshot');
      const s = byId(projectId, stackId);
      const list = snapshots.get(stackId) ?? [];
      const snap = {
        id: `${stackId}-snap${list.length}`,
        stackId,
        name,
        status: 'COMPLETE' as const,
        status_reason: 'Stack SNAPSHOT completed successfully',
        creation_time: '2026-11-25T19:18:00.000Z',
        data: abandonData(s),
      };
      snapshots.set(stackId, [...list, snap]);
      calls.snapshots.push({ op: 'create', stackId, snapshot: snap.id });
      const { stackId: _sid, ...view } = snap;
      return view;
    },
    async listSnapshots(projectId, stackId) {
      byId(projectId, stackId);
      return (snapshots.get(stackId) ?? []).map(({ stackId: _sid, ...view }) => view);
    },
    async showSnapshot(projectId, stackId, snapshotId) {
      const { stackId: _sid, ...view } = snapshotOf(projectId, stackId, snapshotId);
      return view;
    },
    async deleteSnapshot(projectId, stackId, snapshotId) {
      snapshotOf(projectId, stackId, snapshotId);
      snapshots.set(
        stackId,
        (snapshots.get(stackId) ?? []).filter((x) => x.id !== snapshotId),
      );
      calls.snapshots.push({ op: 'delete', stackId, snapshot: snapshotId });
    },
    async restoreSnapshot(projectId, stackId, snapshotId) {
      snapshotOf(projectId, stackId, snapshotId);
      const s = byId(projectId, stackId);
      stacks.set(stackId, {
        ...s,
        action: 'RESTORE',
        status: 'COMPLETE',
        statusReason: 'Stack RESTORE completed successfully',
      });
      calls.snapshots.push({ op: 'restore', stackId, snapshot: snapshotId });
    },
    async exportStack(projectId, stackId) {
      const s = byId(projectId, stackId);
      calls.exported.push(stackId);
      return abandonData(s);
    },
    async abandonStack(projectId, stackId) {
      const s = byId(projectId, stackId);
      calls.abandoned.push(stackId);
      stacks.delete(stackId);
      return abandonData(s);
    },
    async close() {},
  };
  return engine;
}
