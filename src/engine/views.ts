/**
 * Read side of the engine: stacks, outputs, resources and events as the API shows them, with project scoping
 * and Heat's not-found errors.
 */
import { HeatError } from '../template/errors.js';
import { OMIT, resolveValue } from '../template/functions/function.js';
import { displayParameterValue } from '../template/parameters/index.js';
import type { Executor } from './executor.js';
import type { LoadedStack } from './loader.js';
import type {
  EventView,
  OutputView,
  PreviewResult,
  ResourceView,
  StackCreateRequest,
  StackView,
} from './service.js';
import type {
  EventListQuery,
  ResourceRecord,
  StackInputs,
  StackListQuery,
  StackRecord,
  Store,
} from './store.js';
import { contextFor, handlesFor, resolveProperties } from './validator.js';
import type { PluginResourceHandle } from './resource-handle.js';
import { newRootStackRecord } from './records.js';
import { loadStack } from './loader.js';
import { childEnvironment } from '../template/environment/index.js';

function providerKey(loaded: LoadedStack, name: string): string | undefined {
  const def = loaded.definition.resources.get(name);
  if (!def) return undefined;
  try {
    const r = loaded.environment.resourceRegistry.resolve(def.type, name);
    return r.kind === 'template' && loaded.files[r.template] !== undefined ? r.template : undefined;
  } catch {
    return undefined;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function stackNotFound(name: string): HeatError {
  return new HeatError('EntityNotFound', `The Stack (${name}) could not be found.`);
}

/** Queries over stored state. */
export class Views {
  constructor(
    private readonly store: Store,
    private readonly executor: Executor,
  ) {}

  /** A live stack of the project. @throws StackNotFound */
  async owned(projectId: string, stackId: string): Promise<StackRecord> {
    const s = await this.store.getStack(stackId);
    if (!s || s.projectId !== projectId) throw stackNotFound(stackId);
    if (s.deletedAt) throw stackNotFound(s.name);
    return s;
  }

  async lookup(projectId: string, nameOrId: string): Promise<StackRecord> {
    if (UUID.test(nameOrId)) {
      const s = await this.store.getStack(nameOrId);
      if (s && s.projectId === projectId && !s.deletedAt) return s;
    }
    const byName = await this.store.findStackByName(projectId, nameOrId);
    if (!byName) throw stackNotFound(nameOrId);
    return byName;
  }

  async exact(projectId: string, name: string, id: string): Promise<StackRecord> {
    const s = await this.store.getStack(id);
    if (!s || s.projectId !== projectId || s.name !== name) throw stackNotFound(name);
    return s;
  }

  private tryLoad(stack: StackRecord): LoadedStack | null {
    try {
      return this.executor.loaded(stack);
    } catch {
      return null;
    }
  }

  private async currentRows(stackId: string): Promise<Map<string, ResourceRecord>> {
    const rows = await this.store.listResources(stackId);
    const byName = new Map<string, ResourceRecord>();
    for (const r of rows) if (r.current || !byName.has(r.name)) byName.set(r.name, r);
    return byName;
  }

  private displayParameters(stack: StackRecord, loaded: LoadedStack | null): Record<string, unknown> {
    const out: Record<string, unknown> = {
      'OS::project_id': stack.projectId,
      'OS::stack_id': stack.id,
      'OS::stack_name': stack.name,
    };
    if (!loaded) return out;
    for (const [name, schema] of loaded.template.parameters) {
      out[name] = displayParameterValue(schema, loaded.parameters.get(name));
    }
    return out;
  }

  private async parentName(stack: StackRecord): Promise<string | null> {
    if (!stack.parentId) return null;
    return (await this.store.getStack(stack.parentId))?.name ?? null;
  }

  private view(stack: StackRecord, loaded: LoadedStack | null): StackView {
    return {
      ...stack,
      description: loaded?.template.description ?? '',
      displayParameters: this.displayParameters(stack, loaded),
    };
  }

  async showStack(projectId: string, stackId: string, resolveOutputs: boolean): Promise<StackView> {
    const s = await this.store.getStack(stackId);
    if (!s || s.projectId !== projectId) throw stackNotFound(stackId);
    const loaded = this.tryLoad(s);
    const v = this.view(s, loaded);
    v.parentName = await this.parentName(s);
    if (resolveOutputs && !s.deletedAt) v.outputs = await this.resolveOutputs(s, loaded);
    return v;
  }

  async listStacks(projectId: string | null, query: StackListQuery): Promise<StackView[]> {
    const rows = await this.store.listStacks({ ...query, projectId: projectId ?? undefined });
    return rows.map((s) => this.view(s, this.tryLoad(s)));
  }

  private async resolveOutputs(stack: StackRecord, loaded: LoadedStack | null): Promise<OutputView[]> {
    if (!loaded) return [];
    const rows = await this.currentRows(stack.id);
    const ctx = contextFor(loaded, (n) => rows.get(n), false);
    const out: OutputView[] = [];
    for (const [key, o] of loaded.definition.outputs) {
      const view: OutputView = { key, description: o.description ?? 'No description given' };
      if (!o.enabled) view.value = null;
      else {
        try {
          const v = resolveValue(o.value, ctx);
          view.value = v === OMIT || v === undefined ? null : v;
        } catch (e) {
          view.error = e instanceof Error ? e.message : String(e);
        }
      }
      out.push(view);
    }
    return out;
  }

  async outputs(projectId: string, stackId: string): Promise<OutputView[]> {
    const s = await this.owned(projectId, stackId);
    return this.resolveOutputs(s, this.tryLoad(s));
  }

  async output(projectId: string, stackId: string, key: string): Promise<OutputView> {
    const all = await this.outputs(projectId, stackId);
    const o = all.find((x) => x.key === key);
    if (!o) throw new HeatError('NotFound', `Specified output key ${key} not found.`);
    return o;
  }

  private async resourceViews(stack: StackRecord, withDetail: boolean): Promise<ResourceView[]> {
    const rows = [...(await this.currentRows(stack.id)).values()];
    const children = await this.store.listChildStacks(stack.id);
    const loaded = this.tryLoad(stack);
    const byName = new Map(rows.map((r) => [r.name, r]));
    const handles = loaded
      ? handlesFor(loaded, (n) => byName.get(n))
      : new Map<string, PluginResourceHandle>();
    return rows.map((r) => {
      const v: ResourceView = {
        ...r,
        stackName: stack.name,
        // Heat: from the template's dependency graph (rows not created yet have no `requires` of their own).
        requiredBy: loaded
          ? [...loaded.definition.resources.values()].filter((d) => d.requires.has(r.name)).map((d) => d.name)
          : rows.filter((o) => o.requires.includes(r.name)).map((o) => o.name),
        nestedStackId:
          children.find((c) => c.ownerResource === r.name && (c.actionData['ownerRowId'] ?? r.id) === r.id)
            ?.id ?? null,
        description: loaded?.definition.resources.get(r.name)?.description ?? '',
        parentResource: stack.ownerResource,
      };
      if (withDetail) {
        const h = handles.get(r.name);
        // Heat lists every attribute of the type; those not available yet (INIT, FAILED) are null.
        v.attributeValues = h
          ? (h.allAttributes() ??
            Object.fromEntries(
              h
                .attributeNames()
                .filter((n) => n !== 'show')
                .map((n) => [n, null]),
            ))
          : {};
      }
      return v;
    });
  }

  async resources(
    projectId: string,
    stackId: string,
    nestedDepth: number,
    withDetail: boolean,
  ): Promise<ResourceView[]> {
    const root = await this.store.getStack(stackId);
    if (!root || root.projectId !== projectId) throw stackNotFound(stackId);
    if (root.deletedAt) return [];
    const out: ResourceView[] = [];
    const walk = async (s: StackRecord, depth: number): Promise<void> => {
      out.push(...(await this.resourceViews(s, withDetail)));
      if (depth <= 0) return;
      for (const c of await this.store.listChildStacks(s.id)) await walk(c, depth - 1);
    };
    await walk(root, Math.max(0, nestedDepth));
    return out;
  }

  async resource(
    projectId: string,
    stackId: string,
    name: string,
    withAttr?: string[],
  ): Promise<ResourceView> {
    const s = await this.owned(projectId, stackId);
    const views = await this.resourceViews(s, true);
    const v = views.find((r) => r.name === name);
    if (!v)
      throw new HeatError(
        'ResourceNotFound',
        `The Resource (${name}) could not be found in Stack ${s.name}.`,
      );
    if (withAttr && withAttr.length > 0) {
      const loaded = this.tryLoad(s);
      const rows = await this.currentRows(s.id);
      const h = loaded ? handlesFor(loaded, (n) => rows.get(n)).get(name) : undefined;
      for (const a of withAttr) if (h) (v.attributeValues ??= {})[a] = h.attribute(a, []);
    }
    return v;
  }

  private async descendants(stack: StackRecord, depth: number): Promise<StackRecord[]> {
    const out = [stack];
    if (depth <= 0) return out;
    for (const c of await this.store.listChildStacks(stack.id))
      out.push(...(await this.descendants(c, depth - 1)));
    return out;
  }

  async events(
    projectId: string,
    stackId: string,
    query: Omit<EventListQuery, 'stackIds'> & { nestedDepth?: number },
  ): Promise<EventView[]> {
    const s = await this.store.getStack(stackId);
    if (!s || s.projectId !== projectId) throw stackNotFound(stackId);
    const stacks = await this.descendants(s, query.nestedDepth ?? 0);
    const names = new Map(stacks.map((x) => [x.id, x.name]));
    const { nestedDepth: _n, ...rest } = query;
    const events = await this.store.listEvents({ ...rest, stackIds: stacks.map((x) => x.id) });
    return events.map((e) => ({ ...e, stackName: names.get(e.stackId) ?? s.name }));
  }

  async event(projectId: string, stackId: string, resourceName: string, eventId: string): Promise<EventView> {
    const s = await this.owned(projectId, stackId);
    const e = await this.store.getEvent(eventId);
    if (!e || e.stackId !== s.id || e.resourceName !== resourceName) {
      throw new HeatError('EntityNotFound', `The Event (${eventId}) could not be found.`);
    }
    return { ...e, stackName: s.name };
  }

  /**
   * Resources of a create preview: each as it would be before creation (validated properties, unknown values as
   * null); the resources of a provider template's child stack follow as a nested list, as in Heat.
   */
  private previewResources(
    loaded: LoadedStack,
    stackName: string,
    projectId: string,
    parentResource: string | null,
    depth: number,
  ): unknown[] {
    const created = new Date().toISOString();
    const ctx = contextFor(loaded, () => undefined, true);
    const out: unknown[] = [];
    for (const def of loaded.definition.resources.values()) {
      let properties: Record<string, unknown> = {};
      try {
        properties = resolveProperties(loaded, def.name, ctx);
      } catch {
        properties = {};
      }
      const item: Record<string, unknown> = {
        resource_name: def.name,
        resource_type: loaded.types.get(def.name) ?? def.type,
        resource_action: 'INIT',
        resource_status: 'COMPLETE',
        resource_status_reason: '',
        physical_resource_id: '',
        required_by: [...loaded.definition.resources.values()]
          .filter((o) => o.requires.has(def.name))
          .map((o) => o.name),
        description: def.description ?? '',
        properties,
        metadata: {},
        stack_name: stackName,
        stack_identity: { stack_name: stackName, stack_id: 'None', tenant: projectId, path: '' },
        resource_identity: {
          stack_name: stackName,
          stack_id: 'None',
          tenant: projectId,
          path: `/resources/${def.name}`,
        },
        updated_time: created,
        creation_time: created,
      };
      if (parentResource) item['parent_resource'] = parentResource;
      const key = loaded.templatePaths.has(def.name) ? providerKey(loaded, def.name) : undefined;
      if (key !== undefined && depth < 5) {
        try {
          const childName = `${stackName}-${def.name}`;
          const child = loadStack(
            {
              template: loaded.files[key],
              environment: null,
              mergedEnvironment: {},
              files: loaded.files,
              environmentFiles: [],
              parameters: Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null)),
            },
            { stackId: 'None', stackName: childName, projectId },
            this.executor.pluginSource,
            {
              validating: true,
              requireValues: false,
              templateName: key,
              environment: childEnvironment(loaded.environment, def.name, {
                templateEntryPath: loaded.templatePaths.get(def.name),
              }),
            },
          );
          // Heat shows a nested stack resource as the list of its child's resources.
          out.push(this.previewResources(child, childName, projectId, def.name, depth + 1));
          continue;
        } catch {
          // the child is validated for real at create; the preview shows the resource itself
        }
      }
      out.push(item);
    }
    return out;
  }

  /** Heat's create preview: the stack and its resources as they would be created. */
  preview(
    projectId: string,
    id: string,
    req: StackCreateRequest,
    inputs: StackInputs,
    loaded: LoadedStack,
  ): PreviewResult {
    const stack: StackRecord = { ...newRootStackRecord(id, projectId, req, inputs), id: 'None' };
    const resources = this.previewResources(loaded, req.stackName, projectId, null, 0);
    const view = this.view(stack, loaded);
    view.outputs = [...loaded.definition.outputs.values()].map((o) => ({
      key: o.name,
      description: o.description,
      value: null,
    }));
    return { stack: view, resources };
  }
}
