/**
 * A small in-memory {@link EngineService} for the API's own tests (routing, body checks, shapes, errors).
 * It keeps stacks, two resources per stack and their events; it does not run templates.
 */
import { randomUUID } from 'node:crypto';
import type {
  EngineService,
  EventView,
  OutputView,
  PreviewResult,
  ResourceView,
  StackCreateRequest,
  StackUpdateRequest,
  StackView,
  ValidateRequest,
  ValidateResult,
} from '../../engine/service.js';
import type { StackListQuery, StackRecord } from '../../engine/store.js';
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
}

/** The fake engine plus its recorded calls. */
export interface FakeEngine extends EngineService {
  calls: FakeCalls;
  stacks: Map<string, StackRecord>;
  /** Makes the next call of `method` throw `err`. */
  failNext(method: keyof EngineService, err: unknown): void;
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
  };
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
  const events = (s: StackRecord): EventView[] =>
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
    failNext(method, err) {
      failures.set(method, err);
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
        action: 'CREATE',
        status: 'COMPLETE',
        statusReason: 'Stack CREATE completed successfully',
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
      return s;
    },
    async deleteStack(projectId, stackId) {
      const s = byId(projectId, stackId);
      calls.deleted.push(stackId);
      stacks.set(stackId, { ...s, action: 'DELETE', deletedAt: '2026-11-25T19:17:00.000Z' });
    },
    async stackAction(projectId, stackId, action) {
      maybeFail('stackAction');
      byId(projectId, stackId);
      calls.actions.push({ stackId, action });
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
    async listEvents(projectId, stackId, query) {
      calls.eventQueries.push(query);
      let list = events(byId(projectId, stackId));
      if (query.resourceName) list = list.filter((e) => query.resourceName!.includes(e.resourceName));
      if (query.sortDir !== 'asc') list.reverse();
      return list;
    },
    async showEvent(projectId, stackId, name, eventId) {
      const e = events(byId(projectId, stackId)).find((x) => x.id === eventId && x.resourceName === name);
      if (!e) throw new HeatError('HTTPNotFound', `No event ${eventId} found`);
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
    async close() {},
  };
  return engine;
}
