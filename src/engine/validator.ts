/**
 * Whole-stack validation before anything is stored: template structure and references (template layer),
 * dependency cycles, and every resource's properties against its plugin's schema — all problems at once.
 */
import { HeatError, heatPathMessage, problemsOf, throwIfProblems, type Path } from '../template/errors.js';
import {
  isPlainMap,
  resolveValue,
  type ResolveContext,
  type ValidateContext,
} from '../template/functions/function.js';
import { dependencyOrder } from '../template/graph.js';
import { validateDefinition } from '../template/validate.js';
import { validateProperties } from './properties.js';
import type { LoadedStack } from './loader.js';
import type { Properties } from './plugin.js';
import { PluginResourceHandle } from './resource-handle.js';
import { StackResolveContext } from './resolve-context.js';
import type { ResourceRecord } from './store.js';

/** Handles for every enabled resource of a loaded stack over `records` (by name). */
export function handlesFor(
  loaded: LoadedStack,
  record: (name: string) => ResourceRecord | undefined,
): Map<string, PluginResourceHandle> {
  const handles = new Map<string, PluginResourceHandle>();
  for (const [name, plugin] of loaded.plugins) {
    handles.set(
      name,
      new PluginResourceHandle(name, loaded.types.get(name) ?? plugin.type, plugin, () => record(name)),
    );
  }
  return handles;
}

/** A resolve context over a loaded stack and live rows. */
export function contextFor(
  loaded: LoadedStack,
  record: (name: string) => ResourceRecord | undefined,
  validating: boolean,
): StackResolveContext {
  const handles = handlesFor(loaded, record);
  return new StackResolveContext(loaded.identity, loaded.parameters, loaded.files, validating, loaded.facade)
    .setConditions(loaded.definition.conditions)
    .setResources((n) => handles.get(n));
}

/** Resolves and schema-checks one resource's properties. @throws HeatError (Heat's "Property error" layout). */
export function resolveProperties(loaded: LoadedStack, name: string, ctx: ResolveContext): Properties {
  const def = loaded.definition.resources.get(name);
  const plugin = loaded.plugins.get(name);
  if (!def || !plugin) throw new HeatError('StackValidationFailed', `Unknown resource ${name}`);
  const base: Path = ['resources', name, 'properties'];
  const problems: HeatError[] = [];
  let raw: unknown;
  const wrap = (path: Path, e: unknown): HeatError => {
    if (!(e instanceof HeatError)) throw e;
    const detail = (e as HeatError & { detail?: string }).detail ?? e.message;
    return new HeatError('StackValidationFailed', heatPathMessage(path, detail, 'Property error'), {
      path,
      hint: e.hint,
    });
  };
  if (isPlainMap(def.properties)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(def.properties)) {
      try {
        const r = resolveValue(v, ctx);
        if (typeof r !== 'symbol') out[k] = r;
      } catch (e) {
        problems.push(wrap([...base, k], e));
      }
    }
    raw = out;
  } else if (def.properties === undefined || def.properties === null) {
    raw = {};
  } else {
    try {
      raw = resolveValue(def.properties, ctx);
    } catch (e) {
      problems.push(wrap(base, e));
    }
  }
  if (problems.length === 0) {
    const checked = validateProperties(plugin.properties, raw, {
      resourceName: name,
      anyProperty: plugin.acceptsAnyProperty,
      validating: ctx.validating,
    });
    for (const p of checked.problems) {
      problems.push(
        p.message.startsWith('Property error')
          ? p
          : new HeatError(
              'StackValidationFailed',
              heatPathMessage(p.path ?? base, p.message, 'Property error'),
              {
                path: p.path ?? base,
                hint: p.hint,
              },
            ),
      );
    }
    if (problems.length === 0) {
      try {
        plugin.validate?.(checked.properties, { resourceName: name, files: loaded.files });
      } catch (e) {
        problems.push(wrap(e instanceof HeatError && e.path ? e.path : base, e));
      }
      if (problems.length === 0) return checked.properties;
    }
  }
  throwIfProblems(problems);
  throw new HeatError('StackValidationFailed', `Properties of ${name} are invalid`);
}

/**
 * The stack with every parameter that has no value (no default, none given: `POST /validate` only) set to null,
 * the validation's "unknown" — as Heat's validate, which checks neither parameter values nor property values, a
 * property built from it is not type-checked, and the template can still be described for a launch form.
 * Stack creation never gets here with a missing value (it is refused as UserParameterMissing first).
 */
export function withUnknownParameters(loaded: LoadedStack): LoadedStack {
  const missing = [...loaded.template.parameters.keys()].filter((name) => !loaded.parameters.has(name));
  if (missing.length === 0) return loaded;
  const parameters = new Map<string, unknown>(loaded.parameters);
  for (const name of missing) parameters.set(name, null);
  return { ...loaded, parameters };
}

/** Every problem of a loaded stack (empty when valid). Positions are filled from the template source. */
export function validateLoaded(loaded: LoadedStack): HeatError[] {
  const problems: HeatError[] = [...loaded.problems];
  const handles = handlesFor(loaded, () => undefined);
  const vctx: ValidateContext = {
    hasResource: (n) => loaded.definition.resources.has(n),
    resource: (n) => handles.get(n),
    hasCondition: (n) => loaded.definition.conditions.has(n),
    file: (k) => (Object.prototype.hasOwnProperty.call(loaded.files, k) ? loaded.files[k] : undefined),
  };
  problems.push(...validateDefinition(loaded.definition, vctx));
  if (problems.length === loaded.problems.length) {
    try {
      dependencyOrder(loaded.definition.resources);
    } catch (e) {
      if (e instanceof HeatError) problems.push(...problemsOf(e));
      else throw e;
    }
  }
  if (problems.length === loaded.problems.length) {
    const ctx = contextFor(withUnknownParameters(loaded), () => undefined, true);
    for (const name of loaded.definition.resources.keys()) {
      if (!loaded.plugins.has(name)) continue;
      try {
        resolveProperties(loaded, name, ctx);
      } catch (e) {
        if (e instanceof HeatError) problems.push(...problemsOf(e));
        else throw e;
      }
    }
  }
  for (const p of problems) {
    if (!p.position && p.path) p.position = loaded.template.doc.positionOf(p.path);
  }
  return problems;
}
