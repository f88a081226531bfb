/**
 * The launch form's model, generated from `POST /validate`'s description of a template's parameters: one field
 * per parameter (label, description, input kind, default as text), grouped as the template's `parameter_groups`
 * say, and the checks of every constraint the API reports, run before anything is submitted. The server checks
 * again (custom constraints are only checked there).
 */
import { compilePythonPattern } from '../../../src/template/parameters/pattern.js';
import type { ParameterGroup, ParameterInfo, ValidateResult } from '../api/types.js';

/** How a field is entered. */
export type FieldKind = 'text' | 'password' | 'number' | 'select' | 'boolean' | 'json' | 'list';

/** One parameter's field. */
export interface ParamField {
  name: string;
  label: string;
  description: string;
  kind: FieldKind;
  hidden: boolean;
  /** The template's default as the field's text ('' when none). */
  defaultText: string;
  hasDefault: boolean;
  /** For `select`: the allowed values as text. */
  options: string[];
  /** Short human hints of the constraints (`8 to 64`, `pattern [a-z]+`). */
  hints: string[];
  info: ParameterInfo;
}

/** A fieldset: a parameter group, or the parameters no group lists. */
export interface FieldSection {
  label: string;
  description: string;
  fields: ParamField[];
}

/** The text of a value for an input. */
export function valueText(type: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (type === 'Json') return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (type === 'CommaDelimitedList' && Array.isArray(value)) return value.map(String).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function kindOf(info: ParameterInfo): FieldKind {
  if (info.NoEcho === 'true') return 'password';
  if (info.AllowedValues && info.AllowedValues.length > 0 && info.Type !== 'CommaDelimitedList')
    return 'select';
  switch (info.Type) {
    case 'Number':
      return 'number';
    case 'Boolean':
      return 'boolean';
    case 'Json':
      return 'json';
    case 'CommaDelimitedList':
      return 'list';
    default:
      return 'text';
  }
}

function hintsOf(info: ParameterInfo): string[] {
  const hints: string[] = [];
  const span = (min?: number, max?: number, unit = '') =>
    min !== undefined && max !== undefined
      ? `${min} to ${max}${unit}`
      : min !== undefined
        ? `at least ${min}${unit}`
        : `at most ${max}${unit}`;
  if (info.MinValue !== undefined || info.MaxValue !== undefined)
    hints.push(span(info.MinValue, info.MaxValue));
  if (info.MinLength !== undefined || info.MaxLength !== undefined) {
    const unit = info.Type === 'String' ? ' characters' : ' items';
    hints.push(span(info.MinLength, info.MaxLength, unit));
  }
  if (info.AllowedPattern !== undefined) hints.push(`must match ${info.AllowedPattern}`);
  if (info.AllowedValues && info.Type === 'CommaDelimitedList')
    hints.push(`items from: ${info.AllowedValues.map(String).join(', ')}`);
  if (info.CustomConstraint) hints.push(`checked by the server as ${info.CustomConstraint}`);
  if (info.Type === 'CommaDelimitedList') hints.push('comma-separated list');
  if (info.Type === 'Json') hints.push('JSON');
  return hints;
}

/** The field of one parameter. */
export function fieldOf(name: string, info: ParameterInfo): ParamField {
  return {
    name,
    label: info.Label && info.Label !== name ? info.Label : name,
    description: info.Description ?? '',
    kind: kindOf(info),
    hidden: info.NoEcho === 'true',
    defaultText: valueText(info.Type, info.Default),
    hasDefault: info.Default !== undefined && info.Default !== null,
    options: (info.AllowedValues ?? []).map((v) => valueText(info.Type, v)),
    hints: hintsOf(info),
    info,
  };
}

/** Fieldsets in the template's order: its parameter groups, then the parameters no group lists. */
export function formSections(result: Pick<ValidateResult, 'Parameters' | 'ParameterGroups'>): FieldSection[] {
  const fields = new Map(Object.entries(result.Parameters).map(([n, info]) => [n, fieldOf(n, info)]));
  const sections: FieldSection[] = [];
  const grouped = new Set<string>();
  for (const g of (result.ParameterGroups ?? []) as ParameterGroup[]) {
    const members = g.parameters.flatMap((n) => {
      const f = fields.get(n);
      return f ? [f] : [];
    });
    g.parameters.forEach((n) => grouped.add(n));
    if (members.length)
      sections.push({ label: g.label ?? 'Parameters', description: g.description ?? '', fields: members });
  }
  const rest = [...fields.values()].filter((f) => !grouped.has(f.name));
  if (rest.length)
    sections.push({
      label: sections.length ? 'Other parameters' : 'Parameters',
      description: '',
      fields: rest,
    });
  return sections;
}

function bounds(min: number | undefined, max: number | undefined): string {
  return `(min: ${min ?? 'None'}, max: ${max ?? 'None'})`;
}

/** Items of a comma_delimited_list text (Heat splits on `,`; an empty text is no items). */
export function listItems(text: string): string[] {
  return text === '' ? [] : text.split(',');
}

/**
 * Checks the text of a field against the parameter's type and constraints.
 * @param text what the user entered; '' means "not given" (the default applies)
 * @returns null when acceptable, else the message to show (the template's constraint description when it has one)
 */
export function checkField(field: ParamField, text: string): string | null {
  const info = field.info;
  if (text === '') {
    return field.hasDefault || info.Value !== undefined
      ? null
      : 'A value is required (the template gives no default).';
  }
  const described = (fallback: string) => info.ConstraintDescription || fallback;
  let length: number;
  switch (info.Type) {
    case 'Number': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) return `"${text}" is not a number.`;
      if (
        (info.MinValue !== undefined && n < info.MinValue) ||
        (info.MaxValue !== undefined && n > info.MaxValue)
      )
        return described(`${text.trim()} is out of range ${bounds(info.MinValue, info.MaxValue)}`);
      length = text.length;
      break;
    }
    case 'Json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        return `Value must be valid JSON: ${(err as Error).message}`;
      }
      length = Array.isArray(parsed)
        ? parsed.length
        : parsed && typeof parsed === 'object'
          ? Object.keys(parsed).length
          : 0;
      break;
    }
    case 'CommaDelimitedList': {
      const items = listItems(text);
      length = items.length;
      const allowed = (info.AllowedValues ?? []).map(String);
      const bad = allowed.length ? items.find((i) => !allowed.includes(i)) : undefined;
      if (bad !== undefined) return described(`"${bad}" is not an allowed value [${allowed.join(', ')}]`);
      break;
    }
    case 'Boolean':
      return /^(true|false|t|f|yes|no|y|n|on|off|1|0)$/i.test(text.trim())
        ? null
        : `Unrecognized value '${text}', acceptable values are: true, false`;
    default:
      length = [...text].length;
  }
  if (
    (info.MinLength !== undefined && length < info.MinLength) ||
    (info.MaxLength !== undefined && length > info.MaxLength)
  )
    return described(`length (${length}) is out of range ${bounds(info.MinLength, info.MaxLength)}`);
  if (info.AllowedValues && info.Type !== 'CommaDelimitedList') {
    const allowed = info.AllowedValues.map((v) => valueText(info.Type, v));
    const ok =
      info.Type === 'Number' ? allowed.some((a) => Number(a) === Number(text)) : allowed.includes(text);
    if (!ok) return described(`"${text}" is not an allowed value [${allowed.join(', ')}]`);
  }
  if (info.AllowedPattern !== undefined) {
    let matches = true;
    try {
      matches = compilePythonPattern(info.AllowedPattern).matchesWhole(text);
    } catch {
      matches = true; // a pattern JavaScript cannot compile is left to the server
    }
    if (!matches) return described(`"${text}" does not match pattern "${info.AllowedPattern}"`);
  }
  return null;
}

/** Every field's problem, by parameter name (empty when the form can be submitted). */
export function checkForm(
  fields: readonly ParamField[],
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const f of fields) {
    const message = checkField(f, values[f.name] ?? '');
    if (message) problems[f.name] = message;
  }
  return problems;
}

/** The `parameters` to send: every field with a value (empty fields leave the default, or the current value). */
export function parametersToSend(
  fields: readonly ParamField[],
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name] ?? '';
    if (v !== '') out[f.name] = v;
  }
  return out;
}
