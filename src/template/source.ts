/**
 * Parsing template and environment documents (YAML or JSON) into plain values, keeping where every value came
 * from so that errors can say `template.yaml:14:9`.
 *
 * Heat's rules: JSON is tried first, then YAML (1.1, as PyYAML) with timestamps kept as strings; the document
 * must be a mapping; documents over the size limit are refused. Alias expansion is bounded (alias bombs).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { HeatError, type Path, type SourcePosition } from './errors.js';

/** Heat's `max_template_size` default, in bytes. */
export const MAX_TEMPLATE_SIZE = 524_288;

/** A parsed document: its plain value plus a map from paths to source positions. */
export interface SourceDocument {
  /** The file name used in positions (`template.yaml`, `env.yaml`, a `files` key, …). */
  readonly file: string;
  /** The plain JSON-like value. */
  readonly value: unknown;
  /** The source text, when parsed from text. */
  readonly text?: string;
  /** The position of the value at `path`, or of its nearest ancestor with one. */
  positionOf(path: Path): SourcePosition | undefined;
}

/** Options for {@link parseSource}. */
export interface ParseSourceOptions {
  /** Name shown in positions; default `template.yaml`. */
  file?: string;
  /** Size limit in bytes; default {@link MAX_TEMPLATE_SIZE}. */
  maxSize?: number;
  /** What is being parsed, used in messages: `Template` (default) or `Environment`. */
  kind?: 'Template' | 'Environment';
}

/**
 * PyYAML's resolvers differ from YAML 1.1 as the `yaml` package implements it: timestamps stay strings (Heat's
 * loader), booleans are only yes/no/true/false/on/off (not y/n), and a float needs a dot (`1e3` is a string).
 */
const PYYAML_TESTS: Record<string, RegExp> = {
  true: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  false: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  exp: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/,
  float: /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)$/,
};

function pyyamlTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const t of tags) {
    if (typeof t !== 'object') {
      out.push(t);
      continue;
    }
    if (t.tag === 'tag:yaml.org,2002:timestamp') continue;
    const test = 'test' in t ? t.test : undefined;
    if (t.tag === 'tag:yaml.org,2002:bool' && test) {
      out.push({ ...t, test: test.test('true') ? PYYAML_TESTS['true'] : PYYAML_TESTS['false'] } as typeof t);
    } else if (t.tag === 'tag:yaml.org,2002:float' && test && 'format' in t && t.format === 'EXP') {
      out.push({ ...t, test: PYYAML_TESTS['exp'] } as typeof t);
    } else if (
      t.tag === 'tag:yaml.org,2002:float' &&
      test &&
      !('format' in t && t.format) &&
      !test.test('.inf')
    ) {
      out.push({ ...t, test: PYYAML_TESTS['float'] } as typeof t);
    } else out.push(t);
  }
  return out;
}

type Tags = Parameters<
  Extract<NonNullable<import('yaml').SchemaOptions['customTags']>, (...a: never[]) => unknown>
>[0];

/** Runs the YAML parser, turning a stack overflow on absurdly deep input into a precise 400. */
function parseSafely<T>(parse: () => T, kind: string): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError) {
      throw new HeatError(
        'HTTPBadRequest',
        `${kind} not in valid format: nested deeper than ${MAX_NESTING_DEPTH} levels`,
        { hint: `maps and lists may nest at most ${MAX_NESTING_DEPTH} levels` },
      );
    }
    throw e;
  }
}

const pathKey = (path: Path): string => path.map(String).join('\u0000');

/** Deepest nesting of maps and lists accepted in a template or environment. */
export const MAX_NESTING_DEPTH = 200;

/**
 * Checks the nesting depth iteratively (deep input must not overflow the stack anywhere later).
 * @throws HeatError HTTPBadRequest naming the path where the limit is crossed
 */
export function checkNestingDepth(value: unknown, kind = 'Template', limit = MAX_NESTING_DEPTH): void {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= limit) {
      const shown = path.slice(0, 6).map(String).join('.');
      throw new HeatError(
        'HTTPBadRequest',
        `${kind} not in valid format: nested deeper than ${limit} levels (at ${shown}…)`,
        { path, hint: `maps and lists may nest at most ${limit} levels` },
      );
    }
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ v: item, path: [...path, i] }));
    else for (const [k, item] of Object.entries(v)) stack.push({ v: item, path: [...path, k] });
  }
}

/** Wraps an already-parsed value (an API body that sent a JSON object) as a document without positions. */
export function documentFromValue(value: unknown, file = 'template.yaml'): SourceDocument {
  checkNestingDepth(value);
  return { file, value, positionOf: () => undefined };
}

/**
 * Parses `text` as JSON or YAML, keeping positions.
 * @throws HeatError `HTTPBadRequest` for syntax errors (with line:column), non-mapping documents and oversize input.
 */
export function parseSource(text: string, options: ParseSourceOptions = {}): SourceDocument {
  const file = options.file ?? 'template.yaml';
  const kind = options.kind ?? 'Template';
  const maxSize = options.maxSize ?? MAX_TEMPLATE_SIZE;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxSize) {
    throw new HeatError(
      'RequestLimitExceeded',
      `Request limit exceeded: ${kind} size (${size} bytes) exceeds maximum allowed size (${maxSize} bytes).`,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseSafely(
    () =>
      parseDocument(text, {
        version: '1.1',
        schema: 'yaml-1.1',
        customTags: pyyamlTags,
        lineCounter,
        uniqueKeys: false,
        prettyErrors: false,
        strict: false,
      }),
    kind,
  );
  const invalid = kind === 'Template' ? 'Template not in valid format' : 'Environment not in valid format';
  const err = doc.errors[0];
  if (err && /Maximum call stack size exceeded/.test(err.message)) {
    parseSafely(() => {
      throw new RangeError(err.message);
    }, kind);
  }
  if (err) {
    const at = lineCounter.linePos(err.pos[0]);
    const position = { file, line: at.line, column: at.col };
    throw new HeatError(
      'HTTPBadRequest',
      `Error parsing ${kind.toLowerCase()} ${file}:${at.line}:${at.col}: ${firstLine(err.message)}`,
      { position },
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
    checkNestingDepth(value, kind);
  } catch (e) {
    if (e instanceof HeatError) throw e;
    throw new HeatError('HTTPBadRequest', `${invalid}: ${(e as Error).message}`, {
      position: { file, line: 1, column: 1 },
    });
  }
  if (value === null || value === undefined) {
    throw new HeatError(
      'HTTPBadRequest',
      kind === 'Template' ? `${invalid}: The template is empty.` : `${invalid}: The environment is empty.`,
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new HeatError(
      'HTTPBadRequest',
      kind === 'Template'
        ? `${invalid}: The template is not a JSON object or YAML mapping.`
        : `${invalid}: The environment is not a valid YAML mapping data type.`,
      { position: { file, line: 1, column: 1 } },
    );
  }
  const positions = new Map<string, SourcePosition>();
  const walk = (node: Node | null | undefined, path: (string | number)[], depth: number): void => {
    if (!node || depth > 200) return;
    if (isAlias(node)) return;
    const range = node.range;
    if (range) {
      const at = lineCounter.linePos(range[0]);
      positions.set(pathKey(path), { file, line: at.line, column: at.col });
    }
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        const child = [...path, key];
        if (isScalar(item.key) && item.key.range) {
          const at = lineCounter.linePos(item.key.range[0]);
          positions.set(pathKey(child), { file, line: at.line, column: at.col });
        }
        const v = item.value as Node | null;
        if (v && !isScalar(v)) walk(v, child, depth + 1);
        else if (v && isScalar(v) && !positions.has(pathKey(child)) && v.range) {
          const at = lineCounter.linePos(v.range[0]);
          positions.set(pathKey(child), { file, line: at.line, column: at.col });
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, [...path, i], depth + 1));
    }
  };
  walk(doc.contents as Node, [], 0);
  return {
    file,
    value,
    text,
    positionOf(path: Path): SourcePosition | undefined {
      for (let n = path.length; n >= 0; n--) {
        const p = positions.get(pathKey(path.slice(0, n)));
        if (p) return p;
      }
      return undefined;
    },
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
