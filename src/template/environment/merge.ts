/**
 * Merging `environment_files` (Heat's `environment_util.merge_environments`, which the engine runs on create,
 * update, preview and validate).
 *
 * Heat's exact behaviour, kept here:
 * - When `environment_files` is non-empty the request `environment` is ignored (the client already sent the
 *   merged form); the API `parameters` are the starting `parameters` section and the files are merged ON TOP
 *   of them, in order.
 * - `parameters` / `parameter_defaults`: only names declared by the template tree (`parameterTypes`) are
 *   merged, except that a section still empty takes the file's section whole. Per parameter, a strategy from
 *   the file's `parameter_merge_strategies` (the parameter's own, else the strategy it got from an earlier
 *   file, else the file's `default`, else `overwrite`); an unknown strategy name falls back to the file's
 *   default. A parameter given different strategies by different files → ConflictingMergeStrategyForParam.
 *   `merge`: string concatenation, comma_delimited_list extend / `a,b` join, json shallow update, anything else
 *   → InvalidMergeStrategyForParam; a value that is neither a string nor a list (e.g. a YAML number) is refused
 *   with "Invalid parameter in environment ." before that. `deep_merge`: as `merge`, json merged recursively.
 * - Other sections (`resource_registry`, `event_sinks`, …): shallow map merge, later file wins per top-level
 *   key (so a later file's `resources:` replaces an earlier one's), `null` values are skipped.
 */
import { HeatError } from '../errors.js';
import { mergeStrategyError, valueError } from './errors.js';
import { buildEnvironment, parseEnvironmentDocument, type Environment } from './format.js';
import { isPlainMap, pyTruthy, type PlainMap } from './python.js';

/** The merge strategies, in Heat's order. */
export const MERGE_STRATEGIES = ['overwrite', 'merge', 'deep_merge'] as const;
/** A parameter merge strategy. */
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

/** A parameter type as merging sees it. */
export type MergeParameterType = 'string' | 'number' | 'comma_delimited_list' | 'json' | 'boolean';

/** Input of {@link mergeEnvironments}. */
export interface MergeEnvironmentsInput {
  /** The request's `files` map. */
  files: Record<string, string>;
  /** Ordered names of environment files in `files`. */
  environmentFiles: string[];
  /** The request `environment` (text or object); ignored, as in Heat, when `environmentFiles` is non-empty. */
  environment?: unknown;
  /**
   * Declared parameter types of the whole template tree (root + templates in `files`), HOT names
   * (`string`, `number`, `comma_delimited_list`, `json`, `boolean`) or Heat/CFN ones (`String`, `Json`,
   * `CommaDelimitedList`, `List<…>`, `AWS::…` …). When omitted, every name counts as declared and its type
   * is inferred from the value.
   */
  parameterTypes?: ReadonlyMap<string, string>;
  /**
   * The API `parameters`. When given they are placed where Heat places them (over the request environment's
   * `parameters`, UNDER the environment files). When omitted the caller applies them itself.
   */
  parameters?: Record<string, unknown>;
}

/** Normalises a declared type name to what merging distinguishes. */
export function mergeTypeOf(declared: string): MergeParameterType {
  const t = declared.trim().toLowerCase();
  if (t === 'number') return 'number';
  if (t === 'json' || t === 'map') return 'json';
  if (t === 'boolean') return 'boolean';
  if (t === 'comma_delimited_list' || t === 'commadelimitedlist' || t === 'list' || t.startsWith('list<')) {
    return 'comma_delimited_list';
  }
  return 'string';
}

function inferredType(value: unknown): MergeParameterType {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'comma_delimited_list';
  if (isPlainMap(value)) return 'json';
  return 'string';
}

/**
 * Heat's environment merge: the request environment (or, with `environmentFiles`, an empty one), the API
 * `parameters` when given, then each file in order. The result is loaded (hooks validated).
 * @throws HeatError `HTTPBadRequest` (request environment format, missing file), `ValueError` (file format,
 *   invalid parameter value), `InvalidMergeStrategyForParam`, `ConflictingMergeStrategyForParam`,
 *   `InvalidBreakPointHook`.
 */
export function mergeEnvironments(input: MergeEnvironmentsInput): Environment {
  const useFiles = input.environmentFiles.length > 0;
  const requestDoc = useFiles
    ? undefined
    : parseEnvironmentDocument(input.environment, 'environment.yaml', 'api');
  const merged: PlainMap = withMissingSections(structuredClone(requestDoc?.sections ?? {}));
  delete merged.parameter_merge_strategies;
  if (input.parameters) Object.assign(merged.parameters as PlainMap, structuredClone(input.parameters));

  const chosen: Record<string, MergeStrategy | string> = {};
  input.environmentFiles.forEach((name, index) => {
    if (!Object.prototype.hasOwnProperty.call(input.files, name)) {
      throw new HeatError(
        'HTTPBadRequest',
        `Environment file "${name}" (environment_files[${index}]) is not in the request's files.`,
        { path: ['environment_files', index], value: name },
      );
    }
    mergeFile(merged, name, input.files[name], input.parameterTypes, chosen);
  });

  const env = buildEnvironment(merged, { source: requestDoc?.source });
  env.parameterMergeStrategies = useFiles
    ? { ...chosen }
    : mapOfStrings(requestDoc?.sections.parameter_merge_strategies);
  return env;
}

function mapOfStrings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainMap(value)) for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

/** Heat's `default_for_missing`: every section except `parameter_merge_strategies`. */
function withMissingSections(env: PlainMap): PlainMap {
  for (const section of ['parameters', 'resource_registry', 'parameter_defaults'] as const) {
    if (!(section in env)) env[section] = {};
  }
  for (const section of ['encrypted_param_names', 'event_sinks'] as const) {
    if (!(section in env)) env[section] = [];
  }
  return env;
}

function mergeFile(
  merged: PlainMap,
  fileName: string,
  text: string | undefined,
  types: ReadonlyMap<string, string> | undefined,
  chosen: Record<string, string>,
): void {
  const { sections } = parseEnvironmentDocument(text ?? '', fileName, 'engine');
  const parsed = structuredClone(sections);
  const strategies = isPlainMap(parsed.parameter_merge_strategies) ? parsed.parameter_merge_strategies : {};
  delete parsed.parameter_merge_strategies;
  for (const [section, value] of Object.entries(parsed)) {
    if (!pyTruthy(value)) continue;
    if (section === 'parameters' || section === 'parameter_defaults') {
      merged[section] = mergeParameters(
        merged[section] as PlainMap,
        value as PlainMap,
        types,
        strategies,
        chosen,
        fileName,
      );
    } else merged[section] = mergeSection(merged[section], value);
  }
}

/** Heat's `get_param_merge_strategy`. */
function strategyFor(strategies: PlainMap, key: string, chosen: Record<string, string>): string {
  const fileDefault = (strategies.default as string | undefined) ?? 'overwrite';
  const strategy = (strategies[key] as string | undefined) ?? chosen[key] ?? fileDefault;
  return (MERGE_STRATEGIES as readonly unknown[]).includes(strategy) ? strategy : fileDefault;
}

function mergeParameters(
  old: PlainMap,
  incoming: PlainMap,
  types: ReadonlyMap<string, string> | undefined,
  strategies: PlainMap,
  chosen: Record<string, string>,
  fileName: string,
): PlainMap {
  const declared = (key: string, value: unknown): boolean =>
    value !== null && value !== undefined && (types ? types.has(key) : true);
  for (const [key, value] of Object.entries(incoming)) {
    if (!declared(key, value)) continue;
    const strategy = strategyFor(strategies, key, chosen);
    if (!(key in chosen)) chosen[key] = strategy;
    else if (chosen[key] !== strategy) {
      throw mergeStrategyError(
        'ConflictingMergeStrategyForParam',
        `Conflicting merge strategy '${strategy}' for parameter '${key}' in file '${fileName}'.`,
      );
    }
  }
  if (!pyTruthy(old)) return incoming;
  for (const [key, value] of Object.entries(incoming)) {
    if (!declared(key, value)) continue;
    const strategy = chosen[key];
    if (strategy === 'merge' || strategy === 'deep_merge') {
      const type = types ? mergeTypeOf(types.get(key) as string) : inferredType(value);
      old[key] = mergeParameterValue(key, old[key], value, type, strategy === 'deep_merge');
    } else old[key] = value;
  }
  return old;
}

/** Heat's `parse_param`: json values are (re)decoded; other types must be a string or a list. */
function parseParamValue(value: unknown, type: MergeParameterType): unknown {
  if (type === 'json') {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (!text) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw valueError(`Invalid parameter in environment ${(err as Error).message}.`);
    }
  }
  if (typeof value !== 'string' && !Array.isArray(value))
    throw valueError('Invalid parameter in environment .');
  return value;
}

function mergeParameterValue(
  key: string,
  old: unknown,
  value: unknown,
  type: MergeParameterType,
  deep: boolean,
): unknown {
  const parsed = parseParamValue(value, type);
  switch (type) {
    case 'json':
      return mergeMap(typeof old === 'string' ? parseParamValue(old, type) : (old ?? {}), parsed, deep);
    case 'comma_delimited_list':
      return mergeList(old, parsed);
    case 'string':
      return concatStrings(key, old ?? '', parsed);
    case 'number':
      if (typeof old === 'string' && typeof parsed === 'string') return old + parsed;
      throw valueError(
        `Invalid parameter in environment: cannot merge ${JSON.stringify(parsed)} into "${key}".`,
      );
    default:
      throw mergeStrategyError(
        'InvalidMergeStrategyForParam',
        `Invalid merge strategy 'merge' for parameter '${key}'.`,
      );
  }
}

function concatStrings(key: string, old: unknown, value: unknown): string {
  if (typeof old !== 'string' || typeof value !== 'string') {
    throw valueError(
      `Invalid parameter in environment: cannot merge ${JSON.stringify(value)} into "${key}".`,
    );
  }
  return old + value;
}

/** Heat's `merge_list`: lists extend, comma-delimited strings join with `,`. */
function mergeList(old: unknown, value: unknown): unknown {
  if (!pyTruthy(old)) return value;
  const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : String(v).split(','));
  if (Array.isArray(value) || Array.isArray(old)) return [...asList(old), ...asList(value)];
  return `${String(old)},${String(value)}`;
}

/** Heat's `merge_map`: per key, non-null values replace; with `deep`, maps recurse, lists extend, strings concatenate. */
function mergeMap(old: unknown, value: unknown, deep: boolean): unknown {
  if (!pyTruthy(old) || !isPlainMap(old) || !isPlainMap(value)) return value;
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (!deep) old[k] = v;
    else if (isPlainMap(v)) old[k] = pyTruthy(old[k]) ? mergeMap(old[k], v, true) : v;
    else if (Array.isArray(v)) old[k] = pyTruthy(old[k]) ? mergeList(old[k], v) : v;
    else if (typeof v === 'string') old[k] = (typeof old[k] === 'string' ? (old[k] as string) : '') + v;
    else old[k] = v;
  }
  return old;
}

/** A non-parameter section: maps shallow-merged (later wins, nulls skipped), lists concatenated. */
function mergeSection(old: unknown, value: unknown): unknown {
  if (!pyTruthy(old)) return value;
  if (Array.isArray(old) && Array.isArray(value)) return [...old, ...value];
  return mergeMap(old, value, false);
}
