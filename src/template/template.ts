/**
 * The template model: a parsed HOT document checked section by section, with every function-bearing value
 * parsed into function trees. Loading collects every problem (each located in the source) and throws them
 * together, in the order Heat would have found them, so the first one is what Heat reports.
 */
import { HeatError, throwIfProblems, type Problem } from './errors.js';
import { isPlainMap, type ValidateContext } from './functions/function.js';
import { parseParameterSchemas, validateParameterGroups, type ParameterSchema } from './parameters/index.js';
import { readConditions } from './sections/conditions-section.js';
import { NO_TEMPLATE_DESCRIPTION, type OutputSource, type ResourceSource } from './sections/model.js';
import { readOutputs } from './sections/outputs.js';
import { createParseContexts, type ParseContexts } from './sections/parse-context.js';
import { locateProblems } from './sections/positions.js';
import { pythonSetRepr } from './sections/python.js';
import { readResources } from './sections/resources.js';
import { HOT_VERSION_KEY, resolveTemplateVersion } from './sections/version.js';
import type { SourceDocument } from './source.js';
import type { TemplateVersion } from './versions.js';
import { collectWarnings } from './warnings.js';

export type { OutputSource, ResourceSource } from './sections/model.js';

/** A loaded, statically checked template. */
export class Template {
  /** The parse contexts of the template's version (template mode and condition mode). */
  readonly parsers: ParseContexts;

  private constructor(
    readonly doc: SourceDocument,
    readonly version: TemplateVersion,
    readonly description: string,
    readonly parameters: ReadonlyMap<string, ParameterSchema>,
    readonly parameterGroups: unknown[],
    /** Parsed condition definitions (a boolean or a condition-function tree), in template order. */
    readonly conditions: ReadonlyMap<string, unknown>,
    readonly resources: ReadonlyMap<string, ResourceSource>,
    readonly outputs: ReadonlyMap<string, OutputSource>,
    parsers: ParseContexts,
  ) {
    this.parsers = parsers;
  }

  private warningsCache: Problem[] | undefined;

  /**
   * Likely mistakes that are not errors (typo'd function names, unused parameters, ignored output keys …).
   * Computed on first use: only `template validate` asks, and big templates should not pay for it on create.
   */
  get warnings(): Problem[] {
    this.warningsCache ??= collectWarnings({
      doc: this.doc,
      version: this.version,
      parameters: this.parameters,
      conditions: this.conditions,
      resources: this.resources,
      outputs: this.outputs,
    });
    return this.warningsCache;
  }

  /**
   * Loads a parsed document: version, top-level sections, parameters, parameter groups, conditions, resources and
   * outputs, with Heat's messages.
   * @throws HeatError `HTTPBadRequest`/`InvalidTemplateVersion` for a missing/unknown version (nothing else is checked
   *   then); otherwise a HeatError or ValidationFailure listing every problem found, each with path and position.
   */
  static load(doc: SourceDocument): Template {
    const root = doc.value;
    if (!isPlainMap(root)) {
      throw new HeatError(
        'HTTPBadRequest',
        'Template not in valid format: The template is not a JSON object or YAML mapping.',
      );
    }
    let version: TemplateVersion;
    try {
      version = resolveTemplateVersion(root);
    } catch (e) {
      if (e instanceof HeatError) locateProblems([e], doc);
      throw e;
    }
    const parsers = createParseContexts(version);

    // 1. Template.validate: top-level sections, then the structure of the resources section.
    const sectionProblems = Object.keys(root)
      .filter((key) => key !== HOT_VERSION_KEY && !version.sections.includes(key))
      .map(
        (key) =>
          new HeatError('StackValidationFailed', `The template section is invalid: ${key}`, {
            path: [key],
            hint: sectionHint(key, version),
          }),
      );

    const conditionsRaw = version.supportsConditions ? root['conditions'] : undefined;
    const conditionNames = new Set(isPlainMap(conditionsRaw) ? Object.keys(conditionsRaw) : []);
    const resourcesRaw = root['resources'];
    const reading = readResources(resourcesRaw, version, parsers, conditionNames);

    // 2. Parameters and parameter groups.
    const { schemas, problems: parameterProblems } = parseParameterSchemas(root['parameters'] ?? {}, {
      version: version.key,
      path: ['parameters'],
    });
    const groupsRaw = root['parameter_groups'];
    const groupProblems =
      groupsRaw === undefined || groupsRaw === null ? [] : validateParameterGroups(groupsRaw, schemas);

    // 3. Conditions.
    const resourceNames = new Set(isPlainMap(resourcesRaw) ? Object.keys(resourcesRaw) : []);
    const staticContext: ValidateContext = {
      hasResource: (name) => resourceNames.has(name),
      resource: () => undefined,
      hasCondition: (name) => conditionNames.has(name),
      file: () => undefined,
    };
    const { conditions, problems: conditionProblems } = readConditions(conditionsRaw, parsers, staticContext);

    // 4. Resource definitions, duplicate names, outputs.
    const duplicates = [...reading.resources.keys()].filter((name) => schemas.has(name));
    const duplicateProblems = duplicates.length
      ? [
          new HeatError('StackValidationFailed', `Duplicate names ${pythonSetRepr(duplicates)}`, {
            path: ['resources', duplicates[0] as string],
            hint: 'a parameter and a resource may not have the same name',
          }),
        ]
      : [];
    const { outputs, problems: outputProblems } = readOutputs(
      root['outputs'],
      version,
      parsers,
      conditionNames,
    );

    const problems = [
      ...sectionProblems,
      ...reading.structural,
      ...parameterProblems,
      ...groupProblems,
      ...conditionProblems,
      ...reading.definitions,
      ...duplicateProblems,
      ...outputProblems,
    ];
    throwIfProblems(locateProblems(problems, doc));

    const description = root['description'];
    return new Template(
      doc,
      version,
      typeof description === 'string' && description !== '' ? description : NO_TEMPLATE_DESCRIPTION,
      schemas,
      Array.isArray(groupsRaw) ? groupsRaw : [],
      conditions,
      reading.resources,
      outputs,
      parsers,
    );
  }

  /** The resource names written in the template (whatever their condition). */
  resourceNames(): string[] {
    return [...this.resources.keys()];
  }
}

function sectionHint(key: string, version: TemplateVersion): string {
  if (key === 'conditions') return `the conditions section needs heat_template_version 2016-10-14 or later`;
  const lower = key.toLowerCase();
  const close = version.sections.find(
    (s) => s === lower || s === `${lower}s` || `${s}s` === lower || s.startsWith(lower),
  );
  return close ? `did you mean "${close}"?` : `top-level sections are: ${version.sections.join(', ')}`;
}
