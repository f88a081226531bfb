/**
 * Filling in where problems are: every {@link HeatError} that knows its template path but not its source
 * position gets `position` from the document.
 */
import type { HeatError, Path, SourcePosition } from '../errors.js';
import type { SourceDocument } from '../source.js';

/** Sets `position` (from `doc.positionOf(path)`) on every problem that has a path and no position yet. */
export function locateProblems<T extends HeatError>(problems: readonly T[], doc: SourceDocument): T[] {
  for (const problem of problems) locateProblem(problem, doc);
  return [...problems];
}

/** Sets `position` on one problem (when it has a path and no position); returns the problem. */
export function locateProblem<T extends HeatError>(problem: T, doc: SourceDocument): T {
  if (!problem.position && problem.path) {
    const position: SourcePosition | undefined = doc.positionOf(problem.path);
    if (position) problem.position = position;
  }
  return problem;
}

/** The position of `path` in `doc`, rendered `file:line:column`, or the dotted path when unknown. */
export function describeLocation(doc: SourceDocument | undefined, path: Path): string {
  const pos = doc?.positionOf(path);
  return pos ? `${pos.file}:${pos.line}:${pos.column}` : path.map(String).join('.');
}
