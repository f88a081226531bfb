/**
 * Filling in where problems are: every {@link HeatError} that knows its template path but not its source
 * position gets one. A problem about a map entry points at the entry's key (`output:` rather than the map under
 * it), found from the source text; otherwise the document's own `positionOf` is used.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { HeatError, Path, SourcePosition } from '../errors.js';
import type { SourceDocument } from '../source.js';

const keyPositionCache = new WeakMap<SourceDocument, Map<string, SourcePosition>>();
const pathKey = (path: Path): string => path.map(String).join('\u0000');

/** The position of `path` in `doc`: the key of the entry when the path ends in a map key, else the value. */
export function positionIn(doc: SourceDocument, path: Path): SourcePosition | undefined {
  return keyPositions(doc).get(pathKey(path)) ?? doc.positionOf(path);
}

/** Sets `position` on every problem that has a path and no position yet; returns them. */
export function locateProblems<T extends HeatError>(problems: readonly T[], doc: SourceDocument): T[] {
  for (const problem of problems) locateProblem(problem, doc);
  return [...problems];
}

/** Sets `position` on one problem (when it has a path and no position, or `fallbackPath`); returns it. */
export function locateProblem<T extends HeatError>(problem: T, doc: SourceDocument, fallbackPath?: Path): T {
  const path = problem.path ?? fallbackPath;
  if (!problem.position && path) {
    const position = positionIn(doc, path);
    if (position) problem.position = position;
  }
  return problem;
}

/** Key positions of every map entry of the source text (computed once per document, only when asked). */
function keyPositions(doc: SourceDocument): Map<string, SourcePosition> {
  let cached = keyPositionCache.get(doc);
  if (cached) return cached;
  cached = new Map();
  keyPositionCache.set(doc, cached);
  if (doc.text === undefined) return cached;
  const lineCounter = new LineCounter();
  // Keys as written (failsafe: every scalar a string), then named as the document's values name them.
  const parsed = parseDocument(doc.text, {
    lineCounter,
    uniqueKeys: false,
    strict: false,
    schema: 'failsafe',
  });
  const out = cached;
  const walk = (node: Node | null | undefined, path: (string | number)[], depth: number): void => {
    if (!node || depth > 200) return;
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const child = [...path, keyName(String(item.key.value))];
        if (item.key.range) {
          const at = lineCounter.linePos(item.key.range[0]);
          out.set(pathKey(child), { file: doc.file, line: at.line, column: at.col });
        }
        walk(item.value as Node | null, child, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, [...path, i], depth + 1));
    }
  };
  walk(parsed.contents as Node | null, [], 0);
  return out;
}

/** How a plain map key written `text` is named once loaded the PyYAML way (booleans and integers converted). */
function keyName(text: string): string {
  if (/^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/.test(text)) return 'true';
  if (/^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/.test(text)) return 'false';
  if (/^[-+]?[0-9]+$/.test(text)) return String(Number(text));
  return text;
}
