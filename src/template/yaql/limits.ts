/**
 * Heat's yaql limits (`[yaql] limit_iterators = 200`, `memory_quota = 10000`), applied where yaql applies them:
 * collections passed to an iterable parameter and collections in the final result are limited in length;
 * every function result (and data read from the context) is limited in (approximate Python) size.
 */
import { YaqlEvaluationError } from './errors.js';
import { isNumber } from './numbers.js';
import { LazySeq, YDict } from './values.js';

/** Maximum number of items in an iterated collection (Heat `limit_iterators`). */
export const LIMIT_ITERATORS = 200;
/** Maximum approximate size in bytes of one value (Heat `memory_quota`). */
export const MEMORY_QUOTA = 10000;
/** Hard stop for unlimited iteration (e.g. counting a huge range), so evaluation never hangs. */
export const HARD_ITERATION_CAP = 1_000_000;

/** The error yaql raises when a collection is too long. */
export function collectionTooLarge(limit: number = LIMIT_ITERATORS): YaqlEvaluationError {
  return new YaqlEvaluationError(`Collection length exceeds ${limit} elements`);
}

/** Iterates a collection, throwing once more than `limit` items are produced. */
export function* iterateLimited(
  collection: Iterable<unknown>,
  limit: number = LIMIT_ITERATORS,
): Generator<unknown> {
  if (Array.isArray(collection)) {
    if (collection.length > limit) throw collectionTooLarge(limit);
    yield* collection;
    return;
  }
  let count = 0;
  for (const item of collection) {
    if (count >= limit) throw collectionTooLarge(limit);
    count++;
    yield item;
  }
}

/** Materializes a collection into an array, with the iterator limit. */
export function toArrayLimited(collection: Iterable<unknown>): unknown[] {
  if (!Array.isArray(collection)) return [...iterateLimited(collection)];
  if (collection.length > LIMIT_ITERATORS) throw collectionTooLarge();
  return collection;
}

/** Approximates CPython's `sys.getsizeof` (shallow) for the value. */
export function approximateSize(value: unknown): number {
  if (typeof value === 'string') {
    let max = 0;
    for (const ch of value) max = Math.max(max, ch.codePointAt(0)!);
    if (max < 0x80) return 49 + value.length;
    if (max < 0x100) return 73 + value.length;
    if (max < 0x10000) return 74 + 2 * value.length;
    return 76 + 4 * [...value].length;
  }
  if (Array.isArray(value)) return 40 + 8 * value.length;
  if (value instanceof YDict || value instanceof LazySeq) return 48;
  if (isNumber(value)) return 28;
  return 16;
}

/** Throws yaql's MemoryQuotaExceededException message when the total size exceeds the quota. */
export function limitMemory(...sizes: number[]): void {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > MEMORY_QUOTA) throw new YaqlEvaluationError('Expression consumed too much memory');
}

/** Memory check of one value. */
export function limitValueMemory(value: unknown): void {
  limitMemory(approximateSize(value));
}
