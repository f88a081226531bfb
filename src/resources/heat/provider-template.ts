/**
 * Provider (template) resources — Heat's `TemplateResource`: a type implemented by a template file. Properties
 * are the template's parameters (required when the parameter has no default; all update in place), attributes
 * are its outputs plus `OS::stack_id`; create/update run the child stack with the properties as parameters.
 * The physical id is the child stack id; `get_resource` is the child's `OS::stack_id` output when it has one,
 * else the child stack ARN `arn:openstack:heat::<project>:stacks/<child name>/<child id>`.
 */
import type {
  ActionContext,
  ActionResult,
  Properties,
  PropertySchema,
  PropertyType,
  ResourcePlugin,
} from '../../engine/plugin.js';
import type { ConvertiblePropertySchema } from '../../engine/properties.js';
import { pyStr } from '../../template/parameters/python.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { physicalNameOf } from '../support/common.js';
import { invalidAttribute } from '../support/errors.js';
import { failIfNestedFailed } from '../support/nested-action.js';
import {
  nestedResourceAttribute,
  readMembers,
  snapshotMembers,
  definedOutputs,
} from '../support/nested-snapshot.js';

/** The id output a provider template may define to choose its `get_resource` value. */
export const STACK_ID_OUTPUT = 'OS::stack_id';

/** What the factory needs to know of the provider template. */
export interface ProviderTemplateInfo {
  /** Template parameters: HOT type, default, and whether a default exists (template or parameter_defaults). */
  parameters: ReadonlyMap<string, { type: string; default?: unknown; hasDefault: boolean }>;
  /** Names of the template's outputs. */
  outputs: readonly string[];
}

/** `Schema.from_parameter`: HOT parameter type → property type (unknown types are maps). */
const PARAM_TO_PROPERTY: Readonly<Record<string, PropertyType>> = {
  string: 'string',
  number: 'number',
  comma_delimited_list: 'list',
  json: 'map',
  boolean: 'boolean',
};

function propertySchemaOf(param: { type: string; hasDefault: boolean }): ConvertiblePropertySchema {
  return {
    type: PARAM_TO_PROPERTY[param.type] ?? 'map',
    required: !param.hasDefault,
    updateAllowed: true,
    allowConversion: param.type === 'json' || param.type === 'comma_delimited_list',
  };
}

/**
 * `TemplateResource.child_params`: the set (non-null) properties; lists are passed as comma-delimited strings
 * (`''` when empty; lists of maps flattened to `.member.<i>.<key>=<value>` items).
 */
export function childParameters(
  schema: Readonly<Record<string, PropertySchema>>,
  properties: Properties,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema)) {
    const val = properties[name];
    if (val === null || val === undefined) continue;
    if (prop.type === 'list' && Array.isArray(val)) {
      if (val.length === 0) params[name] = '';
      else if (val[0] !== null && typeof val[0] === 'object' && !Array.isArray(val[0])) {
        params[name] = val
          .flatMap((item, i) =>
            Object.entries((item ?? {}) as Record<string, unknown>).map(
              ([k, v]) => `.member.${i}.${k}=${pyStr(v)}`,
            ),
          )
          .join(',');
      } else params[name] = val.map((x) => (x === null || x === undefined ? '' : pyStr(x))).join(',');
    } else params[name] = val;
  }
  return params;
}

/** Builds the plugin of a provider-template type. */
export function providerTemplatePlugin(
  typeName: string,
  templateKey: string,
  templateText: string,
  info: ProviderTemplateInfo,
): ResourcePlugin {
  const properties: Record<string, PropertySchema> = {};
  for (const [name, param] of info.parameters) properties[name] = propertySchemaOf(param);
  const attributes = Object.fromEntries(info.outputs.map((o) => [o, {}]));
  const hasIdOutput = info.outputs.includes(STACK_ID_OUTPUT);

  async function run(
    ctx: ActionContext,
    action: 'CREATE' | 'UPDATE',
    props: Properties,
  ): Promise<ActionResult> {
    const childName = physicalNameOf(ctx);
    const result = await ctx.nested.createOrUpdate({
      template: templateText,
      templateName: templateKey,
      parameters: childParameters(properties, props),
    });
    const outputs = definedOutputs(result);
    const arn = `arn:openstack:heat::${ctx.stack.projectId}:stacks/${childName}/${result.stackId}`;
    const data = {
      ...ctx.state.data,
      stack_name: childName,
      stack_arn: arn,
      members: snapshotMembers(result.members),
    };
    await failIfNestedFailed(ctx, action, result, data);
    const stackId = hasIdOutput ? (outputs[STACK_ID_OUTPUT] ?? null) : result.stackId;
    return { physicalId: result.stackId, data, attributes: { ...outputs, [STACK_ID_OUTPUT]: stackId } };
  }

  return {
    type: typeName,
    description: `Provider template ${templateKey}`,
    properties,
    // Only the nested outputs form the schema (what resource show lists, as Heat's TemplateResource);
    // hasAttribute still accepts `OS::stack_id` in validation (Heat does too), attribute() resolves it.
    attributes,
    acceptsAnyAttribute: true,
    alwaysUpdate: true,
    updateFailedInPlace: true,

    create(props, ctx) {
      return run(ctx, 'CREATE', props);
    },

    update(request, ctx) {
      return run(ctx, 'UPDATE', request.newProperties);
    },

    async delete(ctx) {
      await ctx.nested.delete();
    },

    async suspend(ctx) {
      const r = await ctx.nested.act('SUSPEND');
      await failIfNestedFailed(ctx, 'SUSPEND', r, ctx.state.data);
    },

    async resume(ctx) {
      const r = await ctx.nested.act('RESUME');
      await failIfNestedFailed(ctx, 'RESUME', r, ctx.state.data);
    },

    async check(ctx) {
      const r = await ctx.nested.act('CHECK');
      await failIfNestedFailed(ctx, 'CHECK', r, ctx.state.data);
    },

    referenceId(state) {
      if (state.physicalId === null) return state.name;
      if (hasIdOutput) {
        const v = state.attributes[STACK_ID_OUTPUT];
        if (v !== null && v !== undefined) return pyStr(v);
      }
      const arn = state.data['stack_arn'];
      return typeof arn === 'string' ? arn : state.physicalId;
    },

    attribute(state, name, path) {
      if (state.physicalId === null) return null;
      if (name.startsWith('resource.')) {
        return nestedResourceAttribute(readMembers(state.data), state.name, name, path);
      }
      // Heat 19's TemplateResource reads every attribute from the nested outputs: without an `OS::stack_id`
      // output, get_attr OS::stack_id passes validation but resolves to InvalidTemplateAttribute.
      if (name === STACK_ID_OUTPUT && !hasIdOutput) throw invalidAttribute(state.name, name);
      if (!Object.hasOwn(state.attributes, name) && !info.outputs.includes(name)) {
        throw invalidAttribute(state.name, name);
      }
      return selectFromAttribute(state.attributes[name] ?? null, path);
    },

    hasAttribute(name) {
      return name === STACK_ID_OUTPUT || info.outputs.includes(name) || name.startsWith('resource.');
    },
  };
}
