/**
 * One resource's part of a stack operation, with Heat's per-resource rules and texts:
 * - suspend: refused unless the resource is stable (`State ('CREATE', 'FAILED') invalid for suspend`);
 * - resume: only from SUSPEND_COMPLETE, RESUME_FAILED or RESUME_COMPLETE;
 * - check: types without a check handler get `CHECK_COMPLETE "CHECK not supported for <type>"` (no IN_PROGRESS);
 * - snapshot: the plugin's snapshot data is collected for the stack snapshot;
 * - adopt: the resource takes over `resource_id`, `resource_data` and `metadata` of the adopt data.
 * Every transition is persisted with its event, as in a traversal.
 */
import { resolveValue } from '../../template/functions/function.js';
import type { LoadedStack } from '../loader.js';
import type { ActionContext, ActionResult, ResourcePlugin } from '../plugin.js';
import { resourceEvent, resultPatch } from '../records.js';
import { stateOf } from '../resource-handle.js';
import { abortableSleep, failureReason, renderResourcePath } from '../runner.js';
import type { ResourceRecord, StackRecord, WriteOp } from '../store.js';
import { contextFor, resolveProperties } from '../validator.js';
import type { OperationHost, WalkAction } from './host.js';
import { ResourceActionFailure } from './resource-walk.js';

/** Acts on the resources of one stack for one operation. */
export class ResourceActor {
  /** Snapshot data returned by plugins (SNAPSHOT), by resource name. */
  readonly snapshotData = new Map<string, Record<string, unknown>>();
  /** Names of resources whose type has no check handler (CHECK). */
  readonly checkUnsupported = new Set<string>();
  private readonly byName: Map<string, ResourceRecord>;

  constructor(
    private readonly host: OperationHost,
    private readonly stack: StackRecord,
    rows: readonly ResourceRecord[],
    private readonly loaded: LoadedStack | null,
    private readonly signal: AbortSignal,
    /** ADOPT: the `resources` map of the adopt data. */
    private readonly adoptResources: Record<string, unknown> = {},
  ) {
    this.byName = new Map(rows.map((r) => [r.name, r]));
  }

  /** Performs `action` on the resource `name`. @throws ResourceActionFailure (already persisted) */
  async act(action: WalkAction, name: string): Promise<void> {
    const row = this.byName.get(name);
    if (!row) return;
    // Resuming after a crash: what this traversal already completed is not done twice.
    if (row.traversal === this.stack.traversal && row.action === action && row.status === 'COMPLETE') return;
    const plugin = this.host.pluginOf(this.stack, row);
    switch (action) {
      case 'SUSPEND':
        return this.suspend(row, plugin);
      case 'RESUME':
        return this.resume(row, plugin);
      case 'CHECK':
        return this.check(row, plugin);
      case 'SNAPSHOT':
        return this.snapshot(row, plugin);
      case 'ADOPT':
        return this.adopt(row);
    }
  }

  private path(name: string): string {
    const prefix = (this.stack.actionData['pathPrefix'] as string | undefined) ?? '';
    return renderResourcePath([...prefix.split('.').filter(Boolean), 'resources', name]);
  }

  private async suspend(row: ResourceRecord, plugin: ResourcePlugin | undefined): Promise<void> {
    if (row.action === 'INIT') return; // never created: nothing to suspend (and it must stay creatable)
    if (row.action === 'DELETE' || (row.action !== 'SUSPEND' && row.status !== 'COMPLETE')) {
      throw new ResourceActionFailure(
        `Error: ${this.path(row.name)}: State ('${row.action}', '${row.status}') invalid for suspend`,
      );
    }
    await this.run(row, 'SUSPEND', plugin?.suspend?.bind(plugin));
  }

  private async resume(row: ResourceRecord, plugin: ResourcePlugin | undefined): Promise<void> {
    const allowed =
      (row.action === 'SUSPEND' && row.status === 'COMPLETE') ||
      (row.action === 'RESUME' && row.status !== 'IN_PROGRESS') ||
      (row.action === 'RESUME' && row.traversal === this.stack.traversal);
    if (!allowed) {
      throw new ResourceActionFailure(
        `Error: ${this.path(row.name)}: State ('${row.action}', '${row.status}') invalid for resume`,
      );
    }
    await this.run(row, 'RESUME', plugin?.resume?.bind(plugin));
  }

  private async check(row: ResourceRecord, plugin: ResourcePlugin | undefined): Promise<void> {
    if (!plugin?.check) {
      this.checkUnsupported.add(row.name);
      if (row.action === 'INIT') return;
      await this.transition(row, {
        action: 'CHECK',
        status: 'COMPLETE',
        statusReason: `CHECK not supported for ${row.type}`,
      });
      return;
    }
    if (row.action === 'INIT') {
      await this.transition(row, {
        action: 'CHECK',
        status: 'FAILED',
        statusReason: `Can not check ${row.name}, resource not created yet.`,
      });
      throw new ResourceActionFailure(
        `Exception: ${this.path(row.name)}: Resource ${row.name} not created yet.`,
      );
    }
    await this.run(row, 'CHECK', plugin.check.bind(plugin));
  }

  private async snapshot(row: ResourceRecord, plugin: ResourcePlugin | undefined): Promise<void> {
    if (row.action === 'INIT') return;
    await this.run(row, 'SNAPSHOT', async (ctx) => {
      const data = plugin?.snapshot ? await plugin.snapshot(ctx) : {};
      this.snapshotData.set(row.name, data);
    });
  }

  private async adopt(row: ResourceRecord): Promise<void> {
    const loaded = this.loaded;
    const entry = this.adoptResources[row.name];
    const data = isMap(entry) ? entry : {};
    let properties: Record<string, unknown> | null = null;
    let metadata: Record<string, unknown> = {};
    let requires = row.requires;
    if (loaded?.definition.resources.has(row.name)) {
      const ctx = contextFor(loaded, (n) => this.byName.get(n), false);
      const def = loaded.definition.resources.get(row.name)!;
      requires = [...def.requires].filter((d) => loaded.definition.resources.has(d)).sort();
      try {
        properties = resolveProperties(loaded, row.name, ctx);
        const meta =
          def.metadata === undefined || def.metadata === null ? {} : resolveValue(def.metadata, ctx);
        metadata = isMap(meta) ? meta : {};
      } catch (e) {
        const reason = failureReason(e, this.path(row.name));
        await this.transition(row, { action: 'ADOPT', status: 'FAILED', statusReason: reason, requires });
        throw new ResourceActionFailure(reason);
      }
    }
    await this.transition(row, {
      action: 'ADOPT',
      status: 'IN_PROGRESS',
      statusReason: 'state changed',
      properties,
      metadata,
      requires,
    });
    const resourceId = data['resource_id'];
    if (typeof resourceId !== 'string' || resourceId === '') {
      const reason = `Exception: ${this.path(row.name)}: Resource ID was not provided.`;
      await this.transition(row, { status: 'FAILED', statusReason: reason });
      throw new ResourceActionFailure(reason);
    }
    const resourceData = data['resource_data'];
    const adoptedMetadata = data['metadata'];
    await this.transition(row, {
      status: 'COMPLETE',
      statusReason: 'state changed',
      physicalId: resourceId,
      data: isMap(resourceData) ? { ...row.data, ...resourceData } : row.data,
      metadata:
        isMap(adoptedMetadata) && Object.keys(adoptedMetadata).length > 0 ? adoptedMetadata : metadata,
    });
  }

  /** IN_PROGRESS, the handler (if any), then COMPLETE or FAILED — Heat's `_do_action`. */
  private async run(
    row: ResourceRecord,
    action: 'SUSPEND' | 'RESUME' | 'CHECK' | 'SNAPSHOT',
    handler: ((ctx: ActionContext) => Promise<ActionResult | void>) | undefined,
  ): Promise<void> {
    await this.transition(row, { action, status: 'IN_PROGRESS', statusReason: 'state changed' });
    let result: ActionResult | void = undefined;
    try {
      if (handler) result = await handler(this.context(row));
    } catch (e) {
      const reason = failureReason(e, this.path(row.name));
      await this.transition(row, { status: 'FAILED', statusReason: reason });
      throw new ResourceActionFailure(reason);
    }
    await this.transition(row, {
      ...resultPatch(row, result),
      status: 'COMPLETE',
      statusReason: 'state changed',
    });
  }

  private async transition(row: ResourceRecord, patch: Partial<ResourceRecord>): Promise<void> {
    Object.assign(row, patch, { updatedAt: new Date().toISOString(), traversal: this.stack.traversal });
    const { id: _id, stackId: _stack, ...rest } = row;
    const ops: WriteOp[] = [
      { kind: 'updateResource', id: row.id, patch: rest },
      {
        kind: 'insertEvent',
        event: resourceEvent(this.stack, {
          ...row,
          properties: this.host.redact(this.stack, row.properties),
        }),
      },
    ];
    await this.host.writer.write(ops);
  }

  private context(row: ResourceRecord): ActionContext {
    const { host, stack, signal } = this;
    return {
      stack: { stackId: stack.id, stackName: stack.name, projectId: stack.projectId },
      state: stateOf(row),
      signal,
      stackTimeoutMins: stack.timeoutMins,
      saveData: async (data) => {
        row.data = { ...row.data, ...data };
        await host.writer.write([{ kind: 'updateResource', id: row.id, patch: { data: row.data } }]);
      },
      savePhysicalId: async (id) => {
        row.physicalId = id;
        await host.writer.write([{ kind: 'updateResource', id: row.id, patch: { physicalId: id } }]);
      },
      sleep: (ms) => abortableSleep(ms, signal),
      nested: host.nestedFor(stack, row, signal, this.loaded),
      event: async (reason) => {
        await host.writer.write([
          {
            kind: 'insertEvent',
            event: resourceEvent(stack, { ...row, statusReason: reason, properties: null }),
          },
        ]);
      },
      readResource: async (name) => {
        const r = (await host.store.listResources(stack.id)).find((x) => x.name === name && x.current);
        return r ? stateOf(r) : undefined;
      },
      signalEndpoint: () => host.signalEndpoint(stack, row.name),
    };
  }
}

/** A plain JSON object. */
export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
