/**
 * Loading a stack: stored inputs (template, environment, files, parameters) → a {@link LoadedStack}: the
 * parsed template, merged environment, typed parameter values, the condition-filtered definition, and the plugin
 * of every resource. Used for validation (before anything is stored) and for every action.
 */
import { HeatError, throwIfProblems, type Path } from '../template/errors.js';
import { documentFromValue, parseSource, type SourceDocument } from '../template/source.js';
import { Template } from '../template/template.js';
import { buildDefinition, type StackDefinition } from '../template/definition.js';
import { mergeEnvironments, parseEnvironment, type Environment } from '../template/environment/index.js';
import { resolveParameterValues } from '../template/parameters/index.js';
import type { StackIdentity } from '../template/functions/function.js';
import type { ResourcePlugin } from './plugin.js';
import type { PluginSource } from './plugin-source.js';
import { StackResolveContext, type Facade } from './resolve-context.js';
import type { StackInputs } from './store.js';

/** A stack's inputs turned into something executable. */
export interface LoadedStack {
  readonly template: Template;
  readonly environment: Environment;
  readonly parameters: ReadonlyMap<string, unknown>;
  readonly definition: StackDefinition;
  /** Plugin per resource name (of the enabled resources). */
  readonly plugins: ReadonlyMap<string, ResourcePlugin>;
  /** Effective type per resource name (after the registry). */
  readonly types: ReadonlyMap<string, string>;
  /** Problems found while choosing plugins (unknown types, missing provider templates); validation reports them. */
  readonly problems: readonly HeatError[];
  /** For provider-template resources: the registry entry's path (dropped from the child's registry). */
  readonly templatePaths: ReadonlyMap<string, readonly string[]>;
  readonly files: Readonly<Record<string, string>>;
  readonly identity: StackIdentity;
  readonly facade: Facade;
}

/** Options of {@link loadStack}. */
export interface LoadOptions {
  readonly validating: boolean;
  readonly facade?: Facade;
  /** For nested stacks: the environment is given as already merged (the parent's child environment). */
  readonly environment?: Environment;
  /** Template name used in positions. */
  readonly templateName?: string;
  /** Whether missing parameter values are errors (false for template validate). */
  readonly requireValues?: boolean;
  readonly maxTemplateSize?: number;
}

/** Parses template text or an object into a source document. */
export function templateDocument(
  template: unknown,
  file = 'template.yaml',
  maxSize?: number,
): SourceDocument {
  if (typeof template === 'string') return parseSource(template, { file, maxSize, kind: 'Template' });
  if (template && typeof template === 'object' && !Array.isArray(template))
    return documentFromValue(template, file);
  throw new HeatError(
    'HTTPBadRequest',
    'Template not in valid format: The template is not a JSON object or YAML mapping.',
  );
}

/** Caches provider template parsing by text. */
const providerCache = new Map<string, Template>();

/** Loads a provider template's text (for its plugin's properties/attributes). */
export function loadProviderTemplate(text: string, file: string): Template {
  const cached = providerCache.get(text);
  if (cached) return cached;
  const t = Template.load(parseSource(text, { file, kind: 'Template' }));
  if (providerCache.size > 500) providerCache.clear();
  providerCache.set(text, t);
  return t;
}

/** Resolves each enabled resource's plugin through the environment's registry. */
function resolvePlugins(
  definition: StackDefinition,
  environment: Environment,
  files: Readonly<Record<string, string>>,
  plugins: PluginSource,
): {
  plugins: Map<string, ResourcePlugin>;
  types: Map<string, string>;
  templatePaths: Map<string, readonly string[]>;
  problems: HeatError[];
} {
  const out = new Map<string, ResourcePlugin>();
  const types = new Map<string, string>();
  const templatePaths = new Map<string, readonly string[]>();
  const problems: HeatError[] = [];
  for (const [name, def] of definition.resources) {
    const path: Path = ['resources', name];
    try {
      const resolved = environment.resourceRegistry.resolve(def.type, name, {
        isKnownType: (t) => plugins.get(t) !== undefined,
      });
      if (resolved.kind === 'type') {
        const p = plugins.get(resolved.type);
        if (!p) {
          problems.push(
            new HeatError('StackValidationFailed', `The Resource Type (${def.type}) could not be found.`, {
              path: [...path, 'type'],
            }),
          );
          continue;
        }
        out.set(name, p);
        types.set(name, resolved.type);
      } else {
        const text = files[resolved.template];
        if (text === undefined) {
          problems.push(
            new HeatError(
              'StackValidationFailed',
              `Could not fetch remote template "${resolved.template}": not found in the "files" section of the request.`,
              {
                path: [...path, 'type'],
                hint: 'Send the template file in "files" (the hearth CLI does this).',
              },
            ),
          );
          continue;
        }
        const child = loadProviderTemplate(text, resolved.template);
        const info = {
          parameters: new Map(
            [...child.parameters].map(([k, s]) => [
              k,
              { type: s.type, default: s.default, hasDefault: s.hasDefault },
            ]),
          ),
          outputs: [...child.outputs.keys()],
        };
        out.set(name, plugins.providerTemplate(resolved.type, resolved.template, text, info));
        types.set(name, resolved.type);
        templatePaths.set(name, resolved.path);
      }
    } catch (e) {
      if (e instanceof HeatError) {
        problems.push(
          e.path ? e : new HeatError(e.type, e.message, { path: [...path, 'type'], status: e.status }),
        );
      } else throw e;
    }
  }
  return { plugins: out, types, templatePaths, problems };
}

/** Loads inputs. @throws HeatError / ValidationFailure with every problem found. */
export function loadStack(
  inputs: StackInputs,
  identity: StackIdentity,
  plugins: PluginSource,
  options: LoadOptions,
): LoadedStack {
  const doc = templateDocument(
    inputs.template,
    options.templateName ?? 'template.yaml',
    options.maxTemplateSize,
  );
  const template = Template.load(doc);
  const parameterTypes = new Map([...template.parameters].map(([k, s]) => [k, s.type as string]));
  const environment =
    options.environment ??
    mergeEnvironments({
      files: inputs.files,
      environmentFiles: inputs.environmentFiles,
      environment: inputs.environment,
      parameterTypes,
      parameters: inputs.parameters,
    });
  const { values, problems } = resolveParameterValues(
    template.parameters,
    {
      user: options.environment ? inputs.parameters : {},
      environment: environment.parameters,
      defaults: environment.parameterDefaults,
    },
    { requireValues: options.requireValues ?? true },
  );
  throwIfProblems(problems);
  const ctx = new StackResolveContext(identity, values, inputs.files, options.validating, options.facade);
  const definition = buildDefinition(template, ctx);
  const resolved = resolvePlugins(definition, environment, inputs.files, plugins);
  if (!options.validating) throwIfProblems(resolved.problems);
  return {
    template,
    environment,
    parameters: values,
    definition,
    plugins: resolved.plugins,
    types: resolved.types,
    problems: resolved.problems,
    templatePaths: resolved.templatePaths,
    files: inputs.files,
    identity,
    facade: options.facade ?? {},
  };
}

/** Parses the environment given with a request (for early, precise errors). */
export function checkEnvironment(environment: unknown): void {
  if (environment !== undefined && environment !== null && environment !== '') parseEnvironment(environment);
}
