/** The yaql abstract syntax tree produced by the parser. */

/** Any expression node. */
export type YaqlNode =
  ConstantNode | ContextNode | WrapNode | CallNode | BinaryNode | UnaryNode | IndexNode | ListNode | MapNode;

/** A literal; `keyword` marks a bare identifier (`a` in `$.a` or `dict(a => 1)`), whose value is its name. */
export interface ConstantNode {
  readonly type: 'constant';
  readonly value: unknown;
  readonly keyword: boolean;
}

/** `$`, `$1`, `$name`: a context lookup (`$` is `$1`). */
export interface ContextNode {
  readonly type: 'context';
  readonly name: string;
}

/** A parenthesised expression. */
export interface WrapNode {
  readonly type: 'wrap';
  readonly expression: YaqlNode;
}

/** `name(args)`: a function call, or a method call when it is the right side of `.`. */
export interface CallNode {
  readonly type: 'call';
  readonly name: string;
  readonly args: readonly ArgumentNode[];
}

/** A binary operator application. */
export interface BinaryNode {
  readonly type: 'binary';
  readonly operator: string;
  readonly left: YaqlNode;
  readonly right: YaqlNode;
}

/** A prefix operator application (`-`, `+`, `not`). */
export interface UnaryNode {
  readonly type: 'unary';
  readonly operator: string;
  readonly operand: YaqlNode;
}

/** `target[args]`. */
export interface IndexNode {
  readonly type: 'index';
  readonly target: YaqlNode;
  readonly args: readonly ArgumentNode[];
}

/** `[a, b]` list literal. */
export interface ListNode {
  readonly type: 'list';
  readonly args: readonly ArgumentNode[];
}

/** `{k => v}` dict literal. */
export interface MapNode {
  readonly type: 'map';
  readonly args: readonly ArgumentNode[];
}

/** `source => destination` inside an argument list. */
export interface MappingNode {
  readonly type: 'mapping';
  readonly source: YaqlNode;
  readonly destination: YaqlNode;
}

/** An omitted positional argument (`f(1,,3)`): the parameter takes its default. */
export interface SkippedNode {
  readonly type: 'skipped';
}

/** One argument of a call, indexer, list or map. */
export type ArgumentNode = YaqlNode | MappingNode | SkippedNode;
