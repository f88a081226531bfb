/**
 * Spotting misspelt function names: a single-key map whose key is *almost* a function of the version is plain
 * data to Heat (no error), which is rarely what the author meant.
 */
import type { TemplateVersion } from '../versions.js';

/** Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (d[i - 1]?.[j] ?? 0) + 1,
        (d[i]?.[j - 1] ?? 0) + 1,
        (d[i - 1]?.[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return d[a.length]?.[b.length] ?? 0;
}

/**
 * The function of version `v` that `key` is probably a misspelling of (edit distance ≤ 2, ignoring case, and
 * small relative to the name's length so that short data keys are not flagged), or undefined. Keys that are
 * functions of the version (or removed ones) are not typos.
 */
export function suggestFunction(key: string, v: TemplateVersion): string | undefined {
  const { functions, removed } = v.table;
  if (functions.has(key) || removed.has(key)) return undefined;
  const lower = key.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of functions.keys()) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance > 2 || (distance > 0 && distance * 3 >= name.length)) continue;
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best?.name;
}
