/**
 * The HOT template versions Heat knows (2013-05-23 … 2021-04-16, aliases newton … wallaby): for each, its
 * function tables (values and conditions), the removed CFN functions, and the keys allowed in its sections.
 * (Heat: `setup.cfg [heat.templates]`, `heat/engine/hot/template.py`.)
 */
import type { FunctionFactory, FunctionTable } from './functions/function.js';
import { containsSpec } from './functions/contains.js';
import { andSpec, equalsSpec, notSpec, orSpec } from './functions/conditions.js';
import {
  base64Spec,
  getAZsSpec,
  memberListToMapSpec,
  refSpec,
  selectSpec,
  splitSpec,
} from './functions/cfn.js';
import { digestSpec } from './functions/digest.js';
import { filterSpec } from './functions/filter.js';
import { getAttrSpec } from './functions/get-attr.js';
import { getFileSpec } from './functions/get-file.js';
import { getParamSpec } from './functions/get-param.js';
import { getResourceSpec } from './functions/get-resource.js';
import { ifSpec } from './functions/if.js';
import { listConcatSpec, listConcatUniqueSpec } from './functions/list-concat.js';
import { joinMultipleSpec, joinSpec } from './functions/list-join.js';
import { makeUrlSpec } from './functions/make-url.js';
import { mapMergeSpec } from './functions/map-merge.js';
import { mapReplaceSpec } from './functions/map-replace.js';
import { repeatSpec } from './functions/repeat.js';
import { cfnResourceFacadeSpec, resourceFacadeSpec } from './functions/resource-facade.js';
import {
  cfnReplaceSpec,
  replaceJsonSpec,
  replacePlainSpec,
  replaceStrictSpec,
  replaceVeryStrictSpec,
} from './functions/str-replace.js';
import { strSplitSpec } from './functions/str-split.js';
import type { FunctionSpec } from './functions/support.js';
import { yaqlSpec } from './functions/yaql.js';

/** One HOT template version. */
export interface TemplateVersion {
  /** The dated key, e.g. `2021-04-16`. */
  key: string;
  type: 'hot';
  /** Code-name aliases, e.g. `['wallaby']`. */
  aliases: string[];
  table: FunctionTable;
  /** Allowed top-level keys. */
  sections: readonly string[];
  /** Allowed keys of a resource definition. */
  resourceKeys: readonly string[];
  /** Allowed keys of an output definition. */
  outputKeys: readonly string[];
  /** Whether the `conditions` section (and resource/output `condition`, `if`) exist. */
  supportsConditions: boolean;
  /** Allowed keys of a parameter definition (`tags` only ≥ 2018-03-02). */
  parameterKeys: readonly string[];
}

type Entries = readonly (readonly [string, FunctionSpec])[];

/** What a version's tables hold, in Heat's order (the order `template_versions/…/functions` lists). */
interface VersionSpec {
  key: string;
  aliases: string[];
  functions: Entries;
  conditionFunctions: Entries;
  removed: readonly string[];
}

const REMOVED_2014 = [
  'Fn::GetAZs',
  'Fn::Join',
  'Fn::Split',
  'Fn::Replace',
  'Fn::Base64',
  'Fn::MemberListToMap',
  'Fn::ResourceFacade',
  'Ref',
];
const REMOVED_2015 = ['Fn::Select', ...REMOVED_2014];

const V20130523: Entries = [
  ['Fn::GetAZs', getAZsSpec],
  ['get_param', getParamSpec],
  ['get_resource', getResourceSpec],
  ['Ref', refSpec],
  ['get_attr', getAttrSpec('select')],
  ['Fn::Select', selectSpec],
  ['Fn::Join', joinSpec],
  ['list_join', joinSpec],
  ['Fn::Split', splitSpec],
  ['str_replace', replacePlainSpec],
  ['Fn::Replace', cfnReplaceSpec],
  ['Fn::Base64', base64Spec],
  ['Fn::MemberListToMap', memberListToMapSpec],
  ['resource_facade', resourceFacadeSpec],
  ['Fn::ResourceFacade', cfnResourceFacadeSpec],
  ['get_file', getFileSpec],
];

const BASE_2014: Entries = [
  ['get_attr', getAttrSpec('path')],
  ['get_file', getFileSpec],
  ['get_param', getParamSpec],
  ['get_resource', getResourceSpec],
  ['list_join', joinSpec],
];
const V20141016: Entries = [
  ...BASE_2014,
  ['resource_facade', resourceFacadeSpec],
  ['str_replace', replacePlainSpec],
  ['Fn::Select', selectSpec],
];
const V20150430: Entries = [
  ...BASE_2014,
  ['repeat', repeatSpec('lists')],
  ['resource_facade', resourceFacadeSpec],
  ['str_replace', replacePlainSpec],
  ['Fn::Select', selectSpec],
  ['digest', digestSpec],
];

/** The ≥ 2015-10-15 tables, parameterised by the generation of `repeat` and `if`. */
function modern(since: string, repeat: 'lists' | 'maps' | 'permutations', nullableIf: boolean): Entries {
  const at = (v: string): boolean => since >= v;
  const entries: [string, FunctionSpec][] = [
    ['get_attr', getAttrSpec('all')],
    ['get_file', getFileSpec],
    ['get_param', getParamSpec],
    ['get_resource', getResourceSpec],
    ['list_join', joinMultipleSpec],
    ['repeat', repeatSpec(repeat)],
    ['resource_facade', resourceFacadeSpec],
    ['str_replace', replaceJsonSpec],
    ['digest', digestSpec],
    ['str_split', strSplitSpec],
  ];
  if (at('2016-04-08')) entries.push(['map_merge', mapMergeSpec]);
  if (at('2016-10-14')) {
    entries.push(['yaql', yaqlSpec], ['map_replace', mapReplaceSpec], ['if', ifSpec(nullableIf)]);
  }
  if (at('2017-02-24')) entries.push(['filter', filterSpec], ['str_replace_strict', replaceStrictSpec]);
  if (at('2017-09-01')) {
    entries.push(
      ['make_url', makeUrlSpec],
      ['list_concat', listConcatSpec],
      ['str_replace_vstrict', replaceVeryStrictSpec],
      ['list_concat_unique', listConcatUniqueSpec],
      ['contains', containsSpec],
    );
  }
  return entries;
}

const CONDITIONS_2016: Entries = [
  ['get_param', getParamSpec],
  ['equals', equalsSpec],
  ['not', notSpec],
  ['and', andSpec],
  ['or', orSpec],
];
const CONDITIONS_2017: Entries = [...CONDITIONS_2016, ['yaql', yaqlSpec], ['contains', containsSpec]];

const SPECS: readonly VersionSpec[] = [
  { key: '2013-05-23', aliases: [], functions: V20130523, conditionFunctions: [], removed: [] },
  { key: '2014-10-16', aliases: [], functions: V20141016, conditionFunctions: [], removed: REMOVED_2014 },
  { key: '2015-04-30', aliases: [], functions: V20150430, conditionFunctions: [], removed: REMOVED_2014 },
  {
    key: '2015-10-15',
    aliases: [],
    functions: modern('2015-10-15', 'lists', false),
    conditionFunctions: [],
    removed: REMOVED_2015,
  },
  {
    key: '2016-04-08',
    aliases: [],
    functions: modern('2016-04-08', 'lists', false),
    conditionFunctions: [],
    removed: REMOVED_2015,
  },
  {
    key: '2016-10-14',
    aliases: ['newton'],
    functions: modern('2016-10-14', 'maps', false),
    conditionFunctions: CONDITIONS_2016,
    removed: REMOVED_2015,
  },
  {
    key: '2017-02-24',
    aliases: ['ocata'],
    functions: modern('2017-02-24', 'maps', false),
    conditionFunctions: CONDITIONS_2016,
    removed: REMOVED_2015,
  },
  {
    key: '2017-09-01',
    aliases: ['pike'],
    functions: modern('2017-09-01', 'permutations', false),
    conditionFunctions: CONDITIONS_2017,
    removed: REMOVED_2015,
  },
  {
    key: '2018-03-02',
    aliases: ['queens'],
    functions: modern('2018-03-02', 'permutations', false),
    conditionFunctions: CONDITIONS_2017,
    removed: REMOVED_2015,
  },
  {
    key: '2018-08-31',
    aliases: ['rocky'],
    functions: modern('2018-08-31', 'permutations', false),
    conditionFunctions: CONDITIONS_2017,
    removed: REMOVED_2015,
  },
  {
    key: '2021-04-16',
    aliases: ['wallaby'],
    functions: modern('2021-04-16', 'permutations', true),
    conditionFunctions: CONDITIONS_2017,
    removed: REMOVED_2015,
  },
];

const BASE_SECTIONS = [
  'heat_template_version',
  'description',
  'parameter_groups',
  'parameters',
  'resources',
  'outputs',
];
const BASE_RESOURCE_KEYS = [
  'type',
  'properties',
  'metadata',
  'depends_on',
  'deletion_policy',
  'update_policy',
  'description',
];
const BASE_PARAMETER_KEYS = [
  'type',
  'description',
  'default',
  'schema',
  'constraints',
  'hidden',
  'label',
  'immutable',
];

function factories(entries: Entries): ReadonlyMap<string, FunctionFactory> {
  return new Map(entries.map(([name, s]) => [name, s.factory]));
}

function build(s: VersionSpec): TemplateVersion {
  const conditions = s.key >= '2016-10-14';
  return {
    key: s.key,
    type: 'hot',
    aliases: [...s.aliases],
    table: {
      functions: factories(s.functions),
      conditionFunctions: factories(s.conditionFunctions),
      removed: new Set(s.removed),
    },
    sections: conditions ? [...BASE_SECTIONS, 'conditions'] : BASE_SECTIONS,
    resourceKeys: conditions ? [...BASE_RESOURCE_KEYS, 'external_id', 'condition'] : BASE_RESOURCE_KEYS,
    outputKeys: conditions ? ['description', 'value', 'condition'] : ['description', 'value'],
    supportsConditions: conditions,
    parameterKeys: s.key >= '2018-03-02' ? [...BASE_PARAMETER_KEYS, 'tags'] : BASE_PARAMETER_KEYS,
  };
}

const VERSIONS: readonly TemplateVersion[] = SPECS.map(build);
const SPEC_BY_KEY = new Map(SPECS.map((s) => [s.key, s]));
const BY_NAME = new Map<string, TemplateVersion>();
for (const v of VERSIONS) {
  for (const name of [v.key, ...v.aliases]) {
    BY_NAME.set(name, v);
    BY_NAME.set(`heat_template_version.${name}`, v);
  }
}

/**
 * The version named by a `heat_template_version` value: a dated key (`2021-04-16`), an alias (`wallaby`), or
 * either prefixed with `heat_template_version.` (as `GET /template_versions` lists them).
 */
export function getTemplateVersion(keyOrAlias: string): TemplateVersion | undefined {
  return BY_NAME.get(keyOrAlias);
}

/** Every HOT version, oldest first (for `GET /template_versions`). */
export function listTemplateVersions(): TemplateVersion[] {
  return [...VERSIONS];
}

/**
 * `GET /template_versions/<v>/functions`: the version's (non-removed) functions in Heat's order with the first
 * line of their description; `withConditionFunctions` appends the condition functions not already listed.
 */
export function describeFunctions(
  v: TemplateVersion,
  withConditionFunctions: boolean,
): { functions: string; description: string }[] {
  const s = SPEC_BY_KEY.get(v.key);
  if (!s) return [];
  const merged = new Map<string, FunctionSpec>(s.functions);
  if (withConditionFunctions) for (const [name, fs] of s.conditionFunctions) merged.set(name, fs);
  return [...merged].map(([name, fs]) => ({ functions: name, description: fs.description }));
}
