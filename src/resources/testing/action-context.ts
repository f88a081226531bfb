/**
 * Test support: a real, in-memory {@link ActionContext} for plugin unit tests (real timers, real abort), and a
 * {@link NestedStacks} that records the specs it receives and answers with members computed from the child
 * template (for ResourceGroup and provider unit tests; the engine integration tests run children for real).
 */
import type {
  ActionContext,
  NestedMember,
  NestedStackResult,
  NestedStackSpec,
  NestedStacks,
  NestedUpdateOptions,
  ResourceState,
} from '../../engine/plugin.js';
import { selectFromAttribute } from '../support/attribute-path.js';

/** A recorded child-stack call. */
export interface RecordedNestedCall {
  spec: NestedStackSpec;
  options?: NestedUpdateOptions;
}

/** Builds a child result from a spec (default: every resource COMPLETE, ref `<name>-ref`, attrs = its properties). */
export type NestedResponder = (spec: NestedStackSpec, call: number) => Partial<NestedStackResult>;

/** A NestedStacks double that records calls. */
export class RecordingNestedStacks implements NestedStacks {
  readonly calls: RecordedNestedCall[] = [];
  readonly acts: string[] = [];
  deleted = 0;
  last: NestedStackResult | null = null;

  constructor(private readonly respond: NestedResponder = () => ({})) {}

  async createOrUpdate(spec: NestedStackSpec, options?: NestedUpdateOptions): Promise<NestedStackResult> {
    this.calls.push(options ? { spec, options } : { spec });
    const resources = (typeof spec.template === 'object' ? spec.template['resources'] : {}) as Record<
      string,
      { type: string; properties?: Record<string, unknown> }
    >;
    const members: NestedMember[] = Object.entries(resources ?? {}).map(([name, def]) => member(name, def));
    const base: NestedStackResult = {
      stackId: 'child-stack-id',
      status: 'COMPLETE',
      reason: '',
      outputs: {},
      members,
    };
    this.last = { ...base, ...this.respond(spec, this.calls.length - 1) };
    return this.last;
  }

  async delete(): Promise<void> {
    this.deleted++;
    this.last = null;
  }

  async current(): Promise<NestedStackResult | null> {
    return this.last;
  }

  async act(action: 'SUSPEND' | 'RESUME' | 'CHECK'): Promise<NestedStackResult> {
    this.acts.push(action);
    if (!this.last) throw new Error('no child stack');
    return this.last;
  }
}

function member(name: string, def: { type: string; properties?: Record<string, unknown> }): NestedMember {
  const attributes: Record<string, unknown> = { ...(def.properties ?? {}) };
  if ('value' in attributes) attributes['output'] = attributes['value'];
  return {
    name,
    type: def.type,
    referenceId: `${name}-ref`,
    status: 'COMPLETE',
    action: 'CREATE',
    attributes,
    attribute: (attr, path) => selectFromAttribute(attributes[attr] ?? null, path),
    hasAttribute: (attr) => attr in attributes,
  };
}

/** A resource state for tests. */
export function makeState(overrides: Partial<ResourceState> = {}): ResourceState {
  return {
    id: '6f1b3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f',
    name: 'r',
    type: 'OS::Heat::None',
    physicalId: null,
    attributes: {},
    data: {},
    properties: null,
    metadata: {},
    ...overrides,
  };
}

/** An ActionContext over `state` that applies saved data/physical ids to it, with real abortable sleeps. */
export function makeContext(
  state: ResourceState,
  opts: {
    nested?: NestedStacks;
    stackName?: string;
    signal?: AbortSignal;
    updatePolicy?: unknown;
    /**
     * Sibling resources `readResource` answers from, by name or physical id (read live: tests may change them
     * while an action runs).
     */
    siblings?: Map<string, ResourceState>;
    /** Base URL of signal endpoints (default `http://127.0.0.1:8004`). */
    publicUrl?: string;
    /** Makes the context a signal-handling one (`ctx.signalResource` present). */
    signalResource?: (nameOrPhysicalId: string, details: unknown) => Promise<void>;
  } = {},
): ActionContext & { events: string[]; updatePolicy?: unknown } {
  const signal = opts.signal ?? new AbortController().signal;
  const events: string[] = [];
  return {
    stack: { stackId: 'stack-id', stackName: opts.stackName ?? 'mystack', projectId: 'tenant' },
    state,
    signal,
    events,
    updatePolicy: opts.updatePolicy,
    async saveData(data) {
      // Merged, as the engine does.
      state.data = { ...state.data, ...data };
    },
    async savePhysicalId(id) {
      state.physicalId = id;
    },
    sleep(ms) {
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const t = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = (): void => {
          clearTimeout(t);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    nested: opts.nested ?? new RecordingNestedStacks(),
    async event(reason) {
      events.push(reason);
    },
    async readResource(nameOrPhysicalId) {
      const all = [...(opts.siblings?.values() ?? [])];
      const found =
        opts.siblings?.get(nameOrPhysicalId) ?? all.find((r) => r.physicalId === nameOrPhysicalId);
      return found ? structuredClone(found) : undefined;
    },
    ...(opts.signalResource ? { signalResource: opts.signalResource } : {}),
    signalEndpoint() {
      const base = opts.publicUrl ?? 'http://127.0.0.1:8004';
      return {
        url: `${base}/v1/tenant/stacks/${opts.stackName ?? 'mystack'}/stack-id/resources/${state.name}/signal`,
        token: `token-${state.name}`,
      };
    },
  };
}
