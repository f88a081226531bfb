/**
 * `parameter_groups` validation (Heat's `ParameterGroups.validate`), with Heat's messages laid out as
 * `Parameter Groups error: : parameter_groups.<label>: : <message>`.
 */
import { HeatError, heatPathMessage, type Path } from '../errors.js';
import type { ParameterSchema } from './schema.js';
import { pyStr } from './python.js';

const PREFIX = 'Parameter Groups error';

/** Pseudo parameters a group may name (Heat validates groups against a stack without a name). */
const GROUPABLE_PSEUDO_PARAMETERS = ['OS::stack_id', 'OS::project_id'];

function problem(heatPath: Path, message: string, at: Path): HeatError {
  return new HeatError('StackValidationFailed', heatPathMessage(heatPath, message, PREFIX), { path: at });
}

/**
 * Validates `parameter_groups` against the schemas: the section is a list; each group has a `parameters` list;
 * each parameter is in one group only and names a declared parameter. Returns every problem found (Heat stops
 * at the first), in document order. A missing/empty section is valid.
 */
export function validateParameterGroups(
  section: unknown,
  schemas: ReadonlyMap<string, ParameterSchema>,
  basePath: Path = ['parameter_groups'],
): HeatError[] {
  const problems: HeatError[] = [];
  if (section === null || section === undefined || section === '' || section === false) return problems;
  if (!Array.isArray(section)) {
    if (typeof section === 'object' && Object.keys(section).length === 0) return problems;
    return [problem(['parameter_groups'], 'The parameter_groups should be a list.', basePath)];
  }
  const grouped = new Set<string>();
  section.forEach((group: unknown, index) => {
    const at = [...basePath, index];
    const map =
      group !== null && typeof group === 'object' && !Array.isArray(group)
        ? (group as Record<string, unknown>)
        : {};
    const label = 'label' in map ? pyStr(map['label']) : '';
    const heatPath = ['parameter_groups', label];
    const parameters = map['parameters'];
    if (parameters === null || parameters === undefined) {
      problems.push(problem(heatPath, 'The parameters must be provided for each parameter group.', at));
      return;
    }
    if (!Array.isArray(parameters)) {
      problems.push(
        problem(heatPath, 'The parameters of parameter group should be a list.', [...at, 'parameters']),
      );
      return;
    }
    parameters.forEach((param: unknown, i) => {
      const name = pyStr(param);
      const paramAt = [...at, 'parameters', i];
      if (grouped.has(name)) {
        problems.push(
          problem(heatPath, `The ${name} parameter must be assigned to one parameter group only.`, paramAt),
        );
        return;
      }
      grouped.add(name);
      if (!schemas.has(name) && !GROUPABLE_PSEUDO_PARAMETERS.includes(name)) {
        problems.push(
          problem(heatPath, `The grouped parameter ${name} does not reference a valid parameter.`, paramAt),
        );
      }
    });
  });
  return problems;
}
