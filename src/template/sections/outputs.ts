/**
 * The `outputs` section (Heat's `CommonTemplate.outputs`): each output must be a map with a `value`; `description`
 * and (≥ 2016-10-14) `condition` are read; other keys are ignored, as in Heat (Hearth warns about them).
 */
import { HeatError, heatPathMessage, type Path } from '../errors.js';
import { isPlainMap } from '../functions/function.js';
import type { TemplateVersion } from '../versions.js';
import { asHeatErrors } from './guard.js';
import { NO_OUTPUT_DESCRIPTION, type OutputSource } from './model.js';
import type { ParseContexts } from './parse-context.js';
import { pythonTypeName } from './python.js';
import { conditionHint } from './resources.js';

/** Heat's prefix of output problems. */
export const OUTPUT_ERROR = 'Output validation error';

/** What reading the `outputs` section produced. */
export interface OutputsReading {
  readonly outputs: Map<string, OutputSource>;
  readonly problems: HeatError[];
}

/** Reads the `outputs` section. */
export function readOutputs(
  section: unknown,
  version: TemplateVersion,
  parsers: ParseContexts,
  conditionNames: ReadonlySet<string>,
): OutputsReading {
  const outputs = new Map<string, OutputSource>();
  const problems: HeatError[] = [];
  if (section === null || section === undefined) return { outputs, problems };
  if (!isPlainMap(section)) {
    const message = `Outputs must be a map. Found a ${pythonTypeName(section)} instead`;
    problems.push(outputError(['outputs'], message));
    return { outputs, problems };
  }
  for (const [name, raw] of Object.entries(section)) {
    const path: Path = ['outputs', name];
    if (!isPlainMap(raw)) {
      problems.push(
        outputError(path, `Output definitions must be a map. Found a ${pythonTypeName(raw)} instead`),
      );
      continue;
    }
    if (!('value' in raw)) {
      const hint = 'add "value:" (use {get_attr: [resource, attribute]} to expose a resource attribute)';
      problems.push(outputError(path, 'Each output definition must contain a value key.', hint));
      continue;
    }
    const before = problems.length;
    let condition: unknown;
    if (version.supportsConditions && 'condition' in raw) {
      const condPath = [...path, 'condition'];
      try {
        condition = parsers.condition.parse(raw['condition'], condPath);
      } catch (e) {
        problems.push(...asHeatErrors(e, condPath));
      }
      if (typeof condition === 'string' && !conditionNames.has(condition)) {
        problems.push(
          new HeatError(
            'StackValidationFailed',
            heatPathMessage(condPath, `Invalid condition "${condition}"`),
            {
              path: condPath,
              hint: conditionHint(conditionNames),
            },
          ),
        );
      }
    }
    let value: unknown;
    const valuePath = [...path, 'value'];
    try {
      value = parsers.template.parse(raw['value'], valuePath);
    } catch (e) {
      // Heat parses the value of an enabled output only; a literal `condition: false` never is.
      if (condition !== false) problems.push(...asHeatErrors(e, valuePath));
    }
    if (problems.length > before) continue;
    const description = raw['description'];
    outputs.set(name, {
      name,
      description:
        description === undefined || description === null ? NO_OUTPUT_DESCRIPTION : String(description),
      value,
      condition,
      path,
    });
  }
  return { outputs, problems };
}

function outputError(path: Path, message: string, hint?: string): HeatError {
  return new HeatError('StackValidationFailed', heatPathMessage(path, message, OUTPUT_ERROR), { path, hint });
}
