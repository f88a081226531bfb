/**
 * Failures raised by the built-in plugins, shaped so that the engine can render Heat's reasons:
 * a plain error whose `name` is the Python exception type (`ValueError`, `Exception`, `ResourceInError`) becomes
 * `<type>: resources.<name>: <message>`; a {@link ResourceFailure} is a complete, already rendered reason.
 */
import { HeatError } from '../../template/errors.js';
import { ResourceFailure } from '../../engine/plugin.js';

/** An error carrying a Python exception type name (Heat renders failures as `<type>: <path>: <message>`). */
export class PythonError extends Error {
  constructor(pythonType: string, message: string) {
    super(message);
    this.name = pythonType;
  }
}

/** Renders a path as `HeatExceptionWithPath` does: dot-joined, digit-only segments as `[N]`. */
export function renderFailurePath(path: readonly string[]): string {
  let out = '';
  for (const item of path) {
    if (/^\d+$/.test(item)) out += `[${item}]`;
    else out += out.length > 0 ? `.${item}` : item;
  }
  return out;
}

/**
 * The failure of a resource whose child stack failed (Heat's `ResourceFailure(status_reason, resource)`):
 * a child reason `Resource CREATE failed: ValueError: resources.broken: boom` becomes
 * `ValueError: resources.<name>.resources.broken: boom`; any other reason becomes `resources.<name>: <reason>`.
 */
export function nestedStackFailure(
  resourceName: string,
  action: string,
  childReason: string,
): ResourceFailure {
  const resPath = ['resources', resourceName];
  const marker = `Resource ${action.toUpperCase()} failed: `;
  if (childReason.includes(marker)) {
    const parsed = childReason.split(':').map((s) => s.trim());
    if (parsed.length >= 4) {
      const error = parsed[1] ?? '';
      const message = parsed.slice(3).join(': ');
      const path = [...resPath, ...(parsed[2] ?? '').split('.')];
      return new ResourceFailure(`${error ? `${error}: ` : ''}${renderFailurePath(path)}: ${message}`);
    }
    return new ResourceFailure(`${renderFailurePath(resPath)}: ${childReason}`);
  }
  return new ResourceFailure(`${renderFailurePath(resPath)}: ${childReason}`);
}

/** Heat's `InvalidTemplateAttribute`: "The Referenced Attribute (<resource> <key>) is incorrect." */
export function invalidAttribute(resourceName: string, key: string): HeatError {
  return new HeatError(
    'InvalidTemplateAttribute',
    `The Referenced Attribute (${resourceName} ${key}) is incorrect.`,
  );
}
