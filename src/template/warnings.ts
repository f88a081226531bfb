/**
 * Likely mistakes that Heat accepts silently: a typo'd function name (`{get_parm: x}` is plain data), a function
 * newer than the template version, a condition function used as a value, output keys Heat ignores, parameters and
 * conditions nothing refers to. Each warning is a {@link Problem} with `severity: 'warning'` and its position.
 */
import type { Path, Problem } from './errors.js';
import { formatPath } from './errors.js';
import { isPlainMap } from './functions/function.js';
import { suggestFunction } from './functions/typos.js';
import type { OutputSource, ResourceSource } from './sections/model.js';
import { positionIn } from './sections/positions.js';
import type { SourceDocument } from './source.js';
import { listTemplateVersions, type TemplateVersion } from './versions.js';

/** What {@link collectWarnings} looks at. */
export interface WarningInput {
  readonly doc: SourceDocument;
  readonly version: TemplateVersion;
  readonly parameters: ReadonlyMap<string, unknown>;
  readonly conditions: ReadonlyMap<string, unknown>;
  readonly resources: ReadonlyMap<string, ResourceSource>;
  readonly outputs: ReadonlyMap<string, OutputSource>;
}

const OUTPUT_KEYS = ['value', 'description', 'condition'];
const RESOURCE_FIELDS: readonly (readonly [string, Mode])[] = [
  ['properties', 'template'],
  ['metadata', 'template'],
  ['update_policy', 'template'],
  ['deletion_policy', 'template'],
  ['external_id', 'template'],
  ['condition', 'condition'],
];
const OUTPUT_FIELDS: readonly (readonly [string, Mode])[] = [
  ['value', 'template'],
  ['condition', 'condition'],
];

/** Every warning about a loaded template, in document order. */
export function collectWarnings(input: WarningInput): Problem[] {
  const root = input.doc.value;
  if (!isPlainMap(root)) return [];
  const warnings: Problem[] = [];
  const warn = (type: string, path: Path, message: string, hint?: string): void => {
    const p: Problem = { type, message, path: formatPath(path), severity: 'warning' };
    const pos = positionIn(input.doc, path);
    if (pos) Object.assign(p, { file: pos.file, line: pos.line, column: pos.column });
    if (hint) p.hint = hint;
    warnings.push(p);
  };

  const check = (value: unknown, path: Path, mode: Mode): void =>
    walkSingleKeyMaps(value, path, mode, input.version, (key, at, m) =>
      checkFunctionKey(input.version, key, at, m, warn),
    );
  for (const [section, fields] of [
    ['resources', RESOURCE_FIELDS],
    ['outputs', OUTPUT_FIELDS],
  ] as const) {
    const entries = root[section];
    if (!isPlainMap(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (!isPlainMap(entry)) continue;
      for (const [field, mode] of fields)
        if (field in entry) check(entry[field], [section, name, field], mode);
    }
  }
  const conditionDefs = root['conditions'];
  if (isPlainMap(conditionDefs)) {
    for (const [name, def] of Object.entries(conditionDefs)) check(def, ['conditions', name], 'condition');
  }

  const outputs = root['outputs'];
  if (isPlainMap(outputs)) {
    for (const [name, raw] of Object.entries(outputs)) {
      if (!isPlainMap(raw)) continue;
      for (const key of Object.keys(raw)) {
        if (OUTPUT_KEYS.includes(key)) continue;
        const close = OUTPUT_KEYS.find((k) => editDistance(k, key) <= 2);
        warn(
          'IgnoredOutputKey',
          ['outputs', name, key],
          `"${key}" is not an output keyword; Heat ignores it`,
          close ? `did you mean "${close}"?` : `output keys are: ${OUTPUT_KEYS.join(', ')}`,
        );
      }
    }
  }

  const used = referencedParameters(root);
  if (used) {
    for (const name of input.parameters.keys()) {
      if (!used.has(name)) {
        warn(
          'UnusedParameter',
          ['parameters', name],
          `Parameter "${name}" is never used (no get_param refers to it)`,
        );
      }
    }
  }

  if (input.conditions.size > 0) {
    const strings = new Set<string>();
    collectStrings(root['resources'], strings);
    collectStrings(root['outputs'], strings);
    const conditions = root['conditions'];
    if (isPlainMap(conditions)) for (const v of Object.values(conditions)) collectStrings(v, strings);
    for (const name of input.conditions.keys()) {
      if (!strings.has(name)) {
        warn('UnusedCondition', ['conditions', name], `Condition "${name}" is never used`);
      }
    }
  }
  return warnings;
}

type Warn = (type: string, path: Path, message: string, hint?: string) => void;

function checkFunctionKey(version: TemplateVersion, key: string, path: Path, mode: Mode, warn: Warn): void {
  const table = version.table;
  const known = mode === 'condition' ? table.conditionFunctions : table.functions;
  if (known.has(key) || table.removed.has(key)) return;
  const conditionOnly = listTemplateVersions().some(
    (v) => v.table.conditionFunctions.has(key) && !v.table.functions.has(key),
  );
  if (mode === 'template' && conditionOnly) {
    warn(
      'ConditionFunctionAsData',
      path,
      `"${key}" is a condition function: outside conditions it is plain data, not a call`,
      'move the test into the conditions section and use {if: [condition_name, value_if_true, value_if_false]}',
    );
    return;
  }
  const newer = listTemplateVersions().find((v) =>
    (mode === 'condition' ? v.table.conditionFunctions : v.table.functions).has(key),
  );
  if (newer) {
    warn(
      'FunctionNotInVersion',
      path,
      `"${key}" is not a function in heat_template_version ${version.key}: it is passed through as plain data`,
      `"${key}" needs heat_template_version ${newer.key} or later`,
    );
    return;
  }
  const suggestion = suggestFunction(key, version);
  if (suggestion) {
    warn(
      'PossibleTypo',
      path,
      `"${key}" is not a function: the map is passed through as plain data`,
      `did you mean "${suggestion}"?`,
    );
  }
}

type Mode = 'template' | 'condition';

/**
 * Calls `visit` for every single-key map inside `value` (keys and values walked recursively), with the mode it is
 * parsed in: the condition argument of `if` is in condition mode.
 */
function walkSingleKeyMaps(
  value: unknown,
  path: Path,
  mode: Mode,
  version: TemplateVersion,
  visit: (key: string, path: Path, mode: Mode) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkSingleKeyMaps(item, [...path, i], mode, version, visit));
  } else if (isPlainMap(value)) {
    const keys = Object.keys(value);
    const only = keys.length === 1 ? (keys[0] as string) : undefined;
    if (only !== undefined) visit(only, [...path, only], mode);
    const args = only !== undefined ? value[only] : undefined;
    if (only === 'if' && mode === 'template' && version.table.functions.has('if') && Array.isArray(args)) {
      args.forEach((item, i) =>
        walkSingleKeyMaps(item, [...path, 'if', i], i === 0 ? 'condition' : 'template', version, visit),
      );
      return;
    }
    for (const k of keys) walkSingleKeyMaps(value[k], [...path, k], mode, version, visit);
  }
}

/** Names used by `get_param`/`Ref`, or undefined when some reference is computed (then nothing can be said). */
function referencedParameters(root: Record<string, unknown>): Set<string> | undefined {
  const used = new Set<string>();
  let dynamic = false;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainMap(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && (keys[0] === 'get_param' || keys[0] === 'Ref')) {
        const arg = v[keys[0]];
        const name = Array.isArray(arg) ? arg[0] : arg;
        if (typeof name === 'string') used.add(name);
        else dynamic = true;
      }
      Object.values(v).forEach(walk);
    }
  };
  for (const [section, v] of Object.entries(root)) if (section !== 'parameters') walk(v);
  return dynamic ? undefined : used;
}

function collectStrings(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out));
  else if (isPlainMap(v)) Object.values(v).forEach((x) => collectStrings(x, out));
}

/** Levenshtein distance (small strings). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}
