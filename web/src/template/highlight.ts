/**
 * Syntax highlighting of HOT templates and environments (YAML, and JSON, which is YAML too): a line tokenizer
 * that tells keys, Heat's intrinsic functions, strings, numbers, literals, comments and block-scalar text apart.
 * Small on purpose (no grammar engine): the dashboard only shows templates.
 */

/** Token kinds (CSS classes `tok-<kind>`). */
export type TokenKind =
  'key' | 'fn' | 'string' | 'number' | 'literal' | 'comment' | 'punct' | 'text' | 'section';

/** A piece of a line. */
export interface Token {
  kind: TokenKind;
  text: string;
}

/** Heat's intrinsic functions and condition functions (any HOT version). */
const FUNCTIONS = new Set([
  'get_param',
  'get_resource',
  'get_attr',
  'get_file',
  'list_join',
  'str_replace',
  'str_replace_strict',
  'str_replace_vstrict',
  'str_split',
  'digest',
  'repeat',
  'resource_facade',
  'map_merge',
  'map_replace',
  'yaql',
  'equals',
  'not',
  'and',
  'or',
  'if',
  'contains',
  'filter',
  'make_url',
  'list_concat',
  'list_concat_unique',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::Replace',
  'Fn::Base64',
  'Fn::GetAZs',
  'Fn::MemberListToMap',
  'Fn::ResourceFacade',
  'Ref',
]);

/** HOT's top-level sections. */
const SECTIONS = new Set([
  'heat_template_version',
  'description',
  'parameter_groups',
  'parameters',
  'resources',
  'outputs',
  'conditions',
  'resource_registry',
  'parameter_defaults',
  'event_sinks',
  'encrypted_param_names',
]);

const KEY =
  /^(\s*)((?:-\s+)*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#{}[\],:"'][^#{}[\],:]*?|[^\s#{}[\],"']+?)(\s*)(:)(?=\s|$)/;
const SCALAR =
  /^(?:"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|#.*|[{}[\],]|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?=[\s,}\]]|$)|(?:true|false|null|yes|no|~)(?=[\s,}\]]|$)|[^\s{}[\],#:"']+(?:\s*:(?=\s))?|:|\s+|.)/;

/** Tokenizes `text` into lines of tokens (block scalars after `key: |` / `>` are `string` lines). */
export function highlight(text: string): Token[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Token[][] = [];
  let blockIndent = -1;
  for (const line of lines) {
    const indent = /^\s*/.exec(line)![0].length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) {
        out.push(line ? [{ kind: 'string', text: line }] : []);
        continue;
      }
      blockIndent = -1;
    }
    const tokens = tokenizeLine(line);
    out.push(tokens);
    const meaningful = tokens.filter((t) => t.kind !== 'comment' && t.text.trim() !== '');
    const last = meaningful[meaningful.length - 1];
    if (last && /^[|>][-+0-9]*$/.test(last.text.trim())) blockIndent = indent;
  }
  return out;
}

/** One line's tokens. */
export function tokenizeLine(line: string): Token[] {
  const tokens: Token[] = [];
  let rest = line;
  const key = KEY.exec(rest);
  if (key) {
    const [, lead, dashes, name, space, colon] = key;
    if (lead) tokens.push({ kind: 'text', text: lead });
    if (dashes) tokens.push({ kind: 'punct', text: dashes });
    const bare = name!.replace(/^["']|["']$/g, '');
    const kind: TokenKind = FUNCTIONS.has(bare)
      ? 'fn'
      : !lead && !dashes && SECTIONS.has(bare)
        ? 'section'
        : 'key';
    tokens.push({ kind, text: name! });
    if (space) tokens.push({ kind: 'text', text: space });
    tokens.push({ kind: 'punct', text: colon! });
    rest = rest.slice(key[0].length);
  } else {
    const dash = /^(\s*)(-\s+|-$)/.exec(rest);
    if (dash) {
      if (dash[1]) tokens.push({ kind: 'text', text: dash[1] });
      tokens.push({ kind: 'punct', text: dash[2]! });
      rest = rest.slice(dash[0].length);
    }
  }
  let afterSpace = true;
  while (rest.length > 0) {
    const m = SCALAR.exec(rest)!;
    const piece = m[0];
    tokens.push({ kind: classify(piece, afterSpace), text: piece });
    afterSpace = /\s$/.test(piece) || /^[{[,]$/.test(piece);
    rest = rest.slice(piece.length);
    if (piece.startsWith('#') && tokens[tokens.length - 1]!.kind === 'comment') break;
  }
  return merge(tokens);
}

function classify(piece: string, afterSpace: boolean): TokenKind {
  if (/^\s+$/.test(piece)) return 'text';
  if (piece.startsWith('#')) return afterSpace ? 'comment' : 'text';
  if (piece.startsWith('"') || piece.startsWith("'")) return 'string';
  if (/^[{}[\],:]$/.test(piece)) return 'punct';
  if (/^-?\d/.test(piece)) return 'number';
  if (/^(true|false|null|yes|no|~)$/.test(piece)) return 'literal';
  const flowKey = /^(.+?)\s*:$/.exec(piece);
  if (flowKey) return FUNCTIONS.has(flowKey[1]!) ? 'fn' : 'key';
  return 'text';
}

/** Joins neighbours of the same kind (fewer elements to render). */
function merge(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && last.kind === t.kind && t.kind !== 'fn' && t.kind !== 'key') last.text += t.text;
    else out.push({ ...t });
  }
  return out;
}
