/**
 * The environment document: its sections, parsing and validation (Heat's `environment_format`), the
 * {@link Environment} model built from it, and the JSON form Heat stores and returns.
 */
import { HeatError, type Path, type SourcePosition } from '../errors.js';
import { documentFromValue, parseSource, type SourceDocument } from '../source.js';
import { valueError } from './errors.js';
import { isPlainMap, type PlainMap } from './python.js';
import { ResourceRegistry, type ResourceRegistryOptions } from './registry.js';

/** The environment sections, in Heat's order. */
export const ENVIRONMENT_SECTIONS = [
  'parameters',
  'resource_registry',
  'parameter_defaults',
  'encrypted_param_names',
  'event_sinks',
  'parameter_merge_strategies',
] as const;

/** An environment section name. */
export type EnvironmentSection = (typeof ENVIRONMENT_SECTIONS)[number];

/** A loaded environment. */
export interface Environment {
  /** Values for the root template's parameters. */
  parameters: Record<string, unknown>;
  /** Defaults for any template of the stack tree declaring the name. */
  parameterDefaults: Record<string, unknown>;
  resourceRegistry: ResourceRegistry;
  eventSinks: unknown[];
  encryptedParamNames: string[];
  /**
   * For a parsed document: its `parameter_merge_strategies` section. For a merged environment: the strategy
   * each merged parameter ended up with. Never part of the stored/returned JSON (Heat drops it).
   */
  parameterMergeStrategies: Record<string, string>;
  /** The source document, when the environment was parsed from one (for positions). */
  source?: SourceDocument;
}

/** How a problem in an environment document is reported. */
export type EnvironmentErrorStyle =
  /** The API parsed it (request `environment`): 400 HTTPBadRequest "Environment not in valid format: …". */
  | 'api'
  /** The engine parsed it (an `environment_files` entry): 400 ValueError with the bare message. */
  | 'engine';

/** A parsed, section-validated environment document (Heat's `environment_format.parse`). */
export interface EnvironmentDocument {
  /** The sections present, as plain JSON. */
  readonly sections: PlainMap;
  readonly source: SourceDocument;
}

const EMPTY_ENVIRONMENT_MESSAGE = 'The environment is empty.';

function formatError(
  style: EnvironmentErrorStyle,
  message: string,
  path: Path,
  position?: SourcePosition,
): HeatError {
  const at = { path, position };
  return style === 'api'
    ? new HeatError('HTTPBadRequest', `Environment not in valid format: ${message}`, at)
    : valueError(message, at);
}

/**
 * Parses and validates one environment document: text (JSON or YAML; empty text is an empty environment) or an
 * already decoded object. Checks section names (`environment has wrong section "x"`) and empty sections
 * (`environment has empty section "x"`); a non-mapping document is refused.
 */
export function parseEnvironmentDocument(
  source: unknown,
  file = 'environment.yaml',
  style: EnvironmentErrorStyle = 'api',
): EnvironmentDocument {
  let doc: SourceDocument;
  if (source === null || source === undefined) doc = documentFromValue({}, file);
  else if (typeof source === 'string') doc = parseText(source, file, style);
  else doc = documentFromValue(source, file);
  if (!isPlainMap(doc.value)) {
    throw formatError(
      style,
      'The environment is not a valid YAML mapping data type.',
      [],
      doc.positionOf([]),
    );
  }
  validateSections(doc.value, doc, style);
  return { sections: doc.value, source: doc };
}

function parseText(text: string, file: string, style: EnvironmentErrorStyle): SourceDocument {
  try {
    return parseSource(text, { file, kind: 'Environment' });
  } catch (err) {
    if (err instanceof HeatError && err.message.endsWith(EMPTY_ENVIRONMENT_MESSAGE)) {
      return documentFromValue({}, file);
    }
    if (err instanceof HeatError && style === 'engine' && err.type === 'HTTPBadRequest') {
      throw valueError(err.message.replace(/^Environment not in valid format: /, ''), {
        position: err.position,
      });
    }
    throw err;
  }
}

const MAP_SECTIONS: readonly EnvironmentSection[] = [
  'parameters',
  'resource_registry',
  'parameter_defaults',
  'parameter_merge_strategies',
];
const LIST_SECTIONS: readonly EnvironmentSection[] = ['encrypted_param_names', 'event_sinks'];

function validateSections(env: PlainMap, doc: SourceDocument, style: EnvironmentErrorStyle): void {
  for (const [section, value] of Object.entries(env)) {
    const position = doc.positionOf([section]);
    if (!(ENVIRONMENT_SECTIONS as readonly string[]).includes(section)) {
      throw formatError(style, `environment has wrong section "${section}"`, [section], position);
    }
    if (value === null || value === undefined) {
      throw formatError(style, `environment has empty section "${section}"`, [section], position);
    }
    const s = section as EnvironmentSection;
    if (MAP_SECTIONS.includes(s) && !isPlainMap(value)) {
      throw formatError(style, `environment section "${section}" must be a map`, [section], position);
    }
    if (LIST_SECTIONS.includes(s) && !Array.isArray(value)) {
      throw formatError(style, `environment section "${section}" must be a list`, [section], position);
    }
  }
}

/** Options of {@link buildEnvironment}. */
export interface BuildEnvironmentOptions extends ResourceRegistryOptions {
  source?: SourceDocument;
}

/**
 * Builds an {@link Environment} from validated sections (Heat's `Environment(env)`); missing sections are
 * empty. Loading the registry validates hooks and restricted actions.
 * @throws HeatError `InvalidBreakPointHook`, `InvalidRestrictedAction`
 */
export function buildEnvironment(sections: PlainMap, options: BuildEnvironmentOptions = {}): Environment {
  const source = options.source;
  const registry = new ResourceRegistry(options);
  registry.load(sections.resource_registry ?? {}, {
    pathPrefix: ['resource_registry'],
    positionOf: source ? (p) => source.positionOf(p) : undefined,
  });
  const env: Environment = {
    parameters: mapOf(sections.parameters),
    parameterDefaults: mapOf(sections.parameter_defaults),
    resourceRegistry: registry,
    eventSinks: listOf(sections.event_sinks),
    encryptedParamNames: listOf(sections.encrypted_param_names).map(String),
    parameterMergeStrategies: mapOf(sections.parameter_merge_strategies) as Record<string, string>,
  };
  if (source) env.source = source;
  return env;
}

function mapOf(value: unknown): Record<string, unknown> {
  return isPlainMap(value) ? structuredClone(value) : {};
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? structuredClone(value) : [];
}

/**
 * Parses one environment as the API does for the request `environment` (text parsed with positions, or a
 * decoded object), and loads it.
 * @throws HeatError `HTTPBadRequest` "Environment not in valid format: environment has wrong section "params"",
 *   "… has empty section …", "… The environment is not a valid YAML mapping data type."; YAML syntax errors;
 *   `InvalidBreakPointHook` / `InvalidRestrictedAction` from the registry.
 */
export function parseEnvironment(source: unknown, file = 'environment.yaml'): Environment {
  const doc = parseEnvironmentDocument(source, file, 'api');
  return buildEnvironment(doc.sections, { source: doc.source });
}

/** An environment with every section empty. */
export function emptyEnvironment(): Environment {
  return buildEnvironment({});
}

/**
 * The JSON form Heat stores and returns from `GET …/environment` (`env_as_dict`): exactly the keys
 * `resource_registry` (user entries; always with `resources`), `parameters`, `parameter_defaults`,
 * `event_sinks`, `encrypted_param_names`. `parameter_merge_strategies` is not kept (Heat consumes it while
 * merging `environment_files`).
 */
export function environmentToJSON(env: Environment): Record<string, unknown> {
  return {
    resource_registry: env.resourceRegistry.toJSON(),
    parameters: structuredClone(env.parameters),
    parameter_defaults: structuredClone(env.parameterDefaults),
    event_sinks: structuredClone(env.eventSinks),
    encrypted_param_names: [...env.encryptedParamNames],
  };
}

/**
 * The user-visible form (Heat's `user_env_as_dict`), as in the `Environment` of `POST /validate`: like
 * {@link environmentToJSON} without `encrypted_param_names`.
 */
export function userEnvironmentToJSON(env: Environment): Record<string, unknown> {
  const { encrypted_param_names: _hidden, ...visible } = environmentToJSON(env);
  return visible;
}

/** Loads an environment from its stored JSON form ({@link environmentToJSON}); no positions. */
export function environmentFromJSON(json: unknown): Environment {
  return buildEnvironment(isPlainMap(json) ? json : {});
}
