/**
 * The `Parameters` and `NestedParameters` parts of Heat's `POST /validate` answer.
 */
import { describeParameter, type ParameterSchema } from '../template/parameters/index.js';
import { HeatError } from '../template/errors.js';
import { loadProviderTemplate, type LoadedStack } from './loader.js';
import { contextFor, resolveProperties, withUnknownParameters } from './validator.js';

/**
 * Heat's validate entries: `Value` only for values the user gave (API or environment `parameters`), `Default`
 * replaced by a `parameter_defaults` value.
 */
export function describeParameters(
  schemas: ReadonlyMap<string, ParameterSchema>,
  given: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, schema] of schemas) {
    const has = Object.prototype.hasOwnProperty.call(given, name);
    const opts = Object.prototype.hasOwnProperty.call(defaults, name)
      ? { defaultOverride: defaults[name] }
      : {};
    out[name] = describeParameter(schema, has ? given[name] : undefined, opts);
  }
  return out;
}

/** `show_nested`: for each provider-template resource, its template's parameters with the values passed to it. */
export function nestedParameters(loaded: LoadedStack): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ctx = contextFor(withUnknownParameters(loaded), () => undefined, true);
  for (const [name, path] of loaded.templatePaths) {
    void path;
    const key = templateKeyOf(loaded, name);
    const text = key ? loaded.files[key] : undefined;
    if (!key || text === undefined) continue;
    const child = loadProviderTemplate(text, key);
    let props: Record<string, unknown> = {};
    try {
      props = resolveProperties(loaded, name, ctx);
    } catch (e) {
      if (!(e instanceof HeatError)) throw e;
    }
    const given = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null && v !== undefined));
    out[name] = {
      Type: loaded.types.get(name),
      Description: child.description,
      Parameters: describeParameters(child.parameters, given, loaded.environment.parameterDefaults),
    };
  }
  return out;
}

function templateKeyOf(loaded: LoadedStack, name: string): string | undefined {
  const def = loaded.definition.resources.get(name);
  if (!def) return undefined;
  try {
    const r = loaded.environment.resourceRegistry.resolve(def.type, name);
    return r.kind === 'template' ? r.template : undefined;
  } catch {
    return undefined;
  }
}
