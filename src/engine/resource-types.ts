/**
 * Heat's resource type documents: `GET /resource_types/{type}` (schema) and `…/template` (a provider template
 * skeleton), rendered from a plugin's property and attribute schemas.
 */
import type { PropertySchema, ResourcePlugin } from './plugin.js';

const HEAT_TYPE: Record<string, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  map: 'map',
  list: 'list',
  any: 'any',
};

function constraintsOf(p: PropertySchema): Record<string, unknown>[] {
  return (p.constraints ?? []).map((c) => {
    const out: Record<string, unknown> = {};
    if (c.description) out['description'] = c.description;
    switch (c.kind) {
      case 'range':
      case 'length':
        out[c.kind] = Object.fromEntries(
          Object.entries({ min: c.min, max: c.max }).filter(([, v]) => v !== undefined),
        );
        break;
      case 'allowed_values':
        out['allowed_values'] = c.values;
        break;
      case 'allowed_pattern':
        out['allowed_pattern'] = c.pattern;
        break;
      case 'custom':
        out['custom_constraint'] = c.name;
        break;
    }
    return out;
  });
}

function propertyDoc(p: PropertySchema): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    type: HEAT_TYPE[p.type] ?? p.type,
    description: p.description ?? '',
    required: p.required ?? false,
    update_allowed: p.updateAllowed ?? false,
    immutable: p.immutable ?? false,
  };
  if (p.default !== undefined) doc['default'] = p.default;
  const c = constraintsOf(p);
  if (c.length > 0) doc['constraints'] = c;
  if (p.schema)
    doc['schema'] = Object.fromEntries(Object.entries(p.schema).map(([k, v]) => [k, propertyDoc(v)]));
  if (p.items) doc['schema'] = { '*': propertyDoc(p.items) };
  return doc;
}

/** Heat's schema document of a type. */
export function resourceTypeSchema(type: string, p: ResourcePlugin): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(p.attributes)) {
    attributes[k] = { description: a.description ?? '', ...(a.type ? { type: a.type } : {}) };
  }
  attributes['show'] = { description: 'Detailed information about resource.', type: 'map' };
  return {
    resource_type: type,
    properties: Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, propertyDoc(v)])),
    attributes,
    support_status: {
      status: p.supportStatus?.status ?? 'SUPPORTED',
      version: p.supportStatus?.version ?? null,
      message: p.supportStatus?.message ?? null,
      previous_status: null,
    },
  };
}

/** Heat names the resource of a generated template after the type's Python class. */
const CLASS_NAMES: Record<string, string> = { 'OS::Heat::None': 'NoneResource' };

/** Heat's generated provider template for a type. */
export function resourceTypeTemplate(
  type: string,
  p: ResourcePlugin,
  templateType: 'hot' | 'cfn',
): Record<string, unknown> {
  const res = CLASS_NAMES[type] ?? type.split('::').pop() ?? 'resource';
  const parameters: Record<string, unknown> = {};
  const props: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(p.properties)) {
    const t =
      s.type === 'integer' || s.type === 'number'
        ? 'number'
        : s.type === 'boolean'
          ? 'boolean'
          : s.type === 'list'
            ? 'comma_delimited_list'
            : s.type === 'map'
              ? 'json'
              : 'string';
    parameters[k] = {
      type: t,
      description: s.description ?? '',
      ...(s.default !== undefined ? { default: s.default } : {}),
    };
    props[k] = templateType === 'hot' ? { get_param: k } : { Ref: k };
  }
  const outputs: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(p.attributes)) {
    outputs[k] =
      templateType === 'hot'
        ? { description: a.description ?? '', value: { get_attr: [res, k] } }
        : { Description: a.description ?? '', Value: { 'Fn::GetAtt': [res, k] } };
  }
  outputs['OS::stack_id'] =
    templateType === 'hot' ? { value: { get_resource: res } } : { Value: { Ref: res } };
  if (templateType === 'cfn') {
    return {
      HeatTemplateFormatVersion: '2012-12-12',
      Description: `Initial template of ${type.split('::').pop()}`,
      Parameters: parameters,
      Resources: { [res]: { Type: type, Properties: props } },
      Outputs: outputs,
    };
  }
  return {
    heat_template_version: '2016-10-14',
    description: `Initial template of ${type.split('::').pop()}`,
    parameters,
    resources: { [res]: { type, properties: props } },
    outputs,
  };
}
