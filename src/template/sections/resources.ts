/**
 * The `resources` section: structure checks (Heat's `Template.validate`/`validate_section`) and the parsing of
 * each resource definition (Heat's `_rsrc_defn_args`), with Heat's messages.
 */
import { HeatError, heatPathMessage, type Path } from '../errors.js';
import { IntrinsicFunction, isPlainMap } from '../functions/function.js';
import type { TemplateVersion } from '../versions.js';
import { collect } from './guard.js';
import type { ResourceSource } from './model.js';
import type { ParseContexts } from './parse-context.js';
import { pythonTypeName } from './python.js';

/**
 * Every resource key some HOT version accepts. Heat's structural check (`validate_section`) uses a table that is
 * shared by all HOT versions (so `condition` passes it even in 2015 templates, and so does `value`); the per-version
 * check comes later with a different message.
 */
const STRUCTURALLY_ACCEPTED = new Set([
  'type',
  'properties',
  'metadata',
  'depends_on',
  'deletion_policy',
  'update_policy',
  'description',
  'external_id',
  'condition',
  'value',
]);

/** What reading the `resources` section produced. */
export interface ResourcesReading {
  /** Resources whose definition could be read (in template order). */
  readonly resources: Map<string, ResourceSource>;
  /** Problems of the section's structure (Heat reports these first, before parameters). */
  readonly structural: HeatError[];
  /** Problems of individual definitions (reported after parameters and conditions). */
  readonly definitions: HeatError[];
}

/**
 * Reads the `resources` section.
 * @param conditionNames names defined in `conditions` (a string `condition` must name one of them)
 */
export function readResources(
  section: unknown,
  version: TemplateVersion,
  parsers: ParseContexts,
  conditionNames: ReadonlySet<string>,
): ResourcesReading {
  const resources = new Map<string, ResourceSource>();
  const structural: HeatError[] = [];
  const definitions: HeatError[] = [];
  if (section === null || section === undefined) return { resources, structural, definitions };
  if (!isPlainMap(section)) {
    structural.push(
      new HeatError(
        'StackValidationFailed',
        `"resources" must contain a map of resource maps. Found a [<class '${pythonTypeName(section)}'>] instead`,
        { path: ['resources'] },
      ),
    );
    return { resources, structural, definitions };
  }
  const broken = new Set<string>();
  for (const name of Object.keys(section).sort()) {
    const problems = checkStructure(name, section[name]);
    if (problems.length > 0) broken.add(name);
    structural.push(...problems);
  }
  for (const [name, raw] of Object.entries(section)) {
    if (broken.has(name)) continue;
    const before = definitions.length;
    const resource = readDefinition(
      name,
      raw as Record<string, unknown>,
      version,
      parsers,
      conditionNames,
      definitions,
    );
    if (definitions.length === before && resource) resources.set(name, resource);
  }
  return { resources, structural, definitions };
}

function checkStructure(name: string, raw: unknown): HeatError[] {
  const path = ['resources', name];
  const missingType = 'Each resource must contain a type key.';
  if (!raw || (isPlainMap(raw) && Object.keys(raw).length === 0)) {
    return [
      new HeatError('StackValidationFailed', missingType, { path, hint: `resource "${name}" is empty` }),
    ];
  }
  if (!isPlainMap(raw)) {
    const message = `"resources" must contain a map of resource maps. Found a [<class '${pythonTypeName(raw)}'>] instead`;
    return [new HeatError('StackValidationFailed', message, { path })];
  }
  const problems: HeatError[] = [];
  for (const key of Object.keys(raw)) {
    if (!STRUCTURALLY_ACCEPTED.has(key)) {
      problems.push(
        new HeatError(
          'StackValidationFailed',
          `"${key}" is not a valid keyword inside a resource definition`,
          {
            path: [...path, key],
            hint: keywordHint(key),
          },
        ),
      );
    }
  }
  if (problems.length > 0) return problems;
  if (!('type' in raw)) {
    return [
      new HeatError('StackValidationFailed', missingType, {
        path,
        hint: `add "type:" to resource "${name}"`,
      }),
    ];
  }
  if (!raw['type']) {
    return [
      new HeatError('StackValidationFailed', 'Each Resource must contain a Type key.', {
        path: [...path, 'type'],
      }),
    ];
  }
  return [];
}

function readDefinition(
  name: string,
  raw: Record<string, unknown>,
  version: TemplateVersion,
  parsers: ParseContexts,
  conditionNames: ReadonlySet<string>,
  problems: HeatError[],
): ResourceSource | undefined {
  const path: Path = ['resources', name];
  const invalid = Object.keys(raw).filter((k) => !version.resourceKeys.includes(k));
  if (invalid.length > 0) {
    problems.push(
      new HeatError(
        'StackValidationFailed',
        `Invalid keyword(s) inside a resource definition: ${invalid.join(', ')}`,
        {
          path: [...path, invalid[0] as string],
          hint: `heat_template_version ${version.key} accepts: ${version.resourceKeys.join(', ')}`,
        },
      ),
    );
    return undefined;
  }
  const field = (
    key: string,
    accepts: (v: unknown) => boolean,
    typeName: string,
    mode: 'template' | 'condition' | 'literal',
  ) =>
    collect(
      problems,
      [...path, key],
      () => {
        if (!(key in raw)) return undefined;
        const fieldPath = [...path, key];
        const value =
          mode === 'literal'
            ? raw[key]
            : mode === 'condition'
              ? parsers.condition.parse(raw[key], fieldPath)
              : parsers.template.parse(raw[key], fieldPath);
        if (!accepts(value)) {
          throw new HeatError('StackValidationFailed', `Resource ${name} ${key} type must be ${typeName}`, {
            path: fieldPath,
            value: raw[key],
          });
        }
        return value;
      },
      undefined,
    );
  const isFn = (v: unknown): boolean => v instanceof IntrinsicFunction;
  const isString = (v: unknown): boolean => typeof v === 'string';
  const isObject = (v: unknown): boolean => isPlainMap(v) || isFn(v);

  const type = field('type', isString, 'string', 'template') as string | undefined;
  const properties = field('properties', isObject, 'object', 'template');
  const metadata = field('metadata', isObject, 'object', 'template');
  const depends = field(
    'depends_on',
    (v) => typeof v === 'string' || Array.isArray(v),
    'list or string',
    'literal',
  );
  const dependsOn = typeof depends === 'string' ? [depends] : Array.isArray(depends) ? depends : [];
  if (dependsOn.some((d) => typeof d !== 'string')) {
    problems.push(
      new HeatError('StackValidationFailed', `Resource ${name} depends_on must be a list of strings`, {
        path: [...path, 'depends_on'],
      }),
    );
  }
  const deletionPolicy = field('deletion_policy', (v) => isString(v) || isFn(v), 'string', 'template');
  const updatePolicy = field('update_policy', isObject, 'object', 'template');
  const description = field('description', isString, 'string', 'literal') as string | undefined;
  const externalId = field('external_id', (v) => isString(v) || isFn(v), 'string', 'template');
  const condition = field(
    'condition',
    (v) => isString(v) || typeof v === 'boolean' || isFn(v),
    'string_or_boolean',
    'condition',
  );
  if (typeof condition === 'string' && !conditionNames.has(condition)) {
    const condPath = [...path, 'condition'];
    problems.push(
      new HeatError('StackValidationFailed', heatPathMessage(condPath, `Invalid condition "${condition}"`), {
        path: condPath,
        hint: conditionHint(conditionNames),
      }),
    );
  }
  if (type === undefined) return undefined;
  return {
    name,
    type,
    properties: properties ?? {},
    metadata: metadata ?? {},
    dependsOn: dependsOn as string[],
    updatePolicy,
    deletionPolicy,
    externalId,
    condition,
    description: description ?? '',
    path,
  };
}

const KNOWN_TYPOS: Record<string, string> = {
  property: 'properties',
  Properties: 'properties',
  Type: 'type',
  dependson: 'depends_on',
  depends: 'depends_on',
  dependsOn: 'depends_on',
  DependsOn: 'depends_on',
  Metadata: 'metadata',
  deletionpolicy: 'deletion_policy',
  DeletionPolicy: 'deletion_policy',
  UpdatePolicy: 'update_policy',
  conditions: 'condition',
};

function keywordHint(key: string): string {
  const known = KNOWN_TYPOS[key];
  return known
    ? `did you mean "${known}"?`
    : 'resource keys are: type, properties, metadata, depends_on, update_policy, deletion_policy, description, condition, external_id';
}

/** A hint listing the defined condition names. */
export function conditionHint(names: ReadonlySet<string>): string {
  return names.size > 0
    ? `defined conditions: ${[...names].join(', ')}`
    : 'the template defines no conditions';
}
