/**
 * OS::Heat::Stack — a stack defined inline (Heat's `RemoteStack`). Hearth runs it locally as a child stack of
 * this resource: `template` (HOT text or a map), `parameters`, `timeout` (minutes). A `context` naming another
 * region or a credential is rejected at validation (Hearth has no remote Heat endpoints).
 * Attributes `stack_name` and `outputs`; physical id and `get_resource` are the child stack id.
 */
import { HeatError } from '../../template/errors.js';
import type { ActionContext, ActionResult, Properties, ResourcePlugin } from '../../engine/plugin.js';
import { pyRepr } from '../../template/parameters/python.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { physicalNameOf, SHOW_ATTRIBUTE } from '../support/common.js';
import { PythonError } from '../support/errors.js';
import { definedOutputs } from '../support/nested-snapshot.js';

async function run(
  ctx: ActionContext,
  action: 'CREATE' | 'UPDATE',
  props: Properties,
): Promise<ActionResult> {
  const timeout = props['timeout'];
  const result = await ctx.nested.createOrUpdate({
    template: props['template'] as Record<string, unknown> | string,
    parameters: (props['parameters'] ?? {}) as Record<string, unknown>,
    ...(typeof timeout === 'number' ? { timeoutMins: timeout } : {}),
  });
  const stackName = physicalNameOf(ctx);
  if (result.status === 'FAILED') {
    await ctx.savePhysicalId(result.stackId);
    throw new PythonError('ResourceInError', `Went to status ${action}_FAILED due to "${result.reason}"`);
  }
  return {
    physicalId: result.stackId,
    attributes: { stack_name: stackName, outputs: definedOutputs(result) },
  };
}

/** The OS::Heat::Stack plugin. */
export const stackResource: ResourcePlugin = {
  type: 'OS::Heat::Stack',
  updateFailedInPlace: true,
  description: 'A Resource representing a stack.',
  supportStatus: { status: 'SUPPORTED', version: '2014.2' },
  properties: {
    context: {
      type: 'map',
      description: 'Context for this stack.',
      updateAllowed: true,
      schema: {
        region_name: { type: 'string', description: 'Region name in which this stack will be created.' },
        credential_secret_id: {
          type: 'string',
          description: 'A Barbican secret ID holding the credential of a remote cloud.',
          updateAllowed: true,
        },
        ca_cert: { type: 'string', description: 'CA Cert for SSL.', updateAllowed: true },
        insecure: {
          type: 'boolean',
          description: "If set, then the server's certificate will not be verified.",
          default: false,
          updateAllowed: true,
        },
      },
    },
    template: {
      type: 'any',
      description: 'Template that specifies the stack to be created as a resource.',
      required: true,
      updateAllowed: true,
    },
    timeout: {
      type: 'integer',
      description: 'Number of minutes to wait for this stack creation.',
      updateAllowed: true,
    },
    parameters: {
      type: 'map',
      description: 'Set of parameters passed to this stack.',
      default: {},
      updateAllowed: true,
    },
  },
  attributes: {
    stack_name: { description: 'Name of the stack.', type: 'string' },
    outputs: { description: 'A dict of key-value pairs output from the stack.', type: 'map' },
  },

  validate(properties, ctx) {
    const context = (properties['context'] ?? {}) as Record<string, unknown>;
    const region = context['region_name'];
    const credential = context['credential_secret_id'];
    if (
      (typeof region === 'string' && region !== '') ||
      (typeof credential === 'string' && credential !== '')
    ) {
      const location = credential ? 'remote cloud' : `region "${String(region)}"`;
      throw new HeatError(
        'StackValidationFailed',
        `Cannot establish connection to Heat endpoint at ${location} due to "Hearth runs OS::Heat::Stack locally ` +
          'only: context.region_name and context.credential_secret_id are not supported"',
        { path: ['resources', ctx.resourceName] },
      );
    }
    const template = properties['template'];
    const isMap = template !== null && typeof template === 'object' && !Array.isArray(template);
    if (template !== null && typeof template !== 'string' && !isMap) {
      throw new HeatError('StackValidationFailed', `Value must be a string; got ${pyRepr(template)}`, {
        path: ['resources', ctx.resourceName, 'properties', 'template'],
      });
    }
  },

  create(props, ctx) {
    return run(ctx, 'CREATE', props);
  },

  update(request, ctx) {
    return run(ctx, 'UPDATE', request.newProperties);
  },

  needsReplace(request) {
    const region = (p: Record<string, unknown>): unknown =>
      ((p['context'] ?? {}) as Record<string, unknown>)['region_name'] ?? null;
    return (
      request.changed.includes('context') && region(request.oldProperties) !== region(request.newProperties)
    );
  },

  async delete(ctx) {
    await ctx.nested.delete();
  },

  async suspend(ctx) {
    const r = await ctx.nested.act('SUSPEND');
    if (r.status === 'FAILED')
      throw new PythonError('ResourceInError', `Went to status SUSPEND_FAILED due to "${r.reason}"`);
  },

  async resume(ctx) {
    const r = await ctx.nested.act('RESUME');
    if (r.status === 'FAILED')
      throw new PythonError('ResourceInError', `Went to status RESUME_FAILED due to "${r.reason}"`);
  },

  async check(ctx) {
    const r = await ctx.nested.act('CHECK');
    if (r.status === 'FAILED')
      throw new PythonError('ResourceInError', `Went to status CHECK_FAILED due to "${r.reason}"`);
  },

  referenceId(state) {
    return state.physicalId;
  },

  attribute(state, name, path) {
    if (state.physicalId === null) return null;
    if (name !== 'stack_name' && name !== 'outputs') return null;
    return selectFromAttribute(state.attributes[name] ?? null, path);
  },

  hasAttribute(name) {
    return name === 'stack_name' || name === 'outputs' || name === SHOW_ATTRIBUTE;
  },
};
