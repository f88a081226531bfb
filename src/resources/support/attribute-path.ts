/**
 * Heat's `attributes.select_from_attribute`: walks a path of keys/indices into an attribute value; any miss
 * (absent key, index out of range, wrong container type) gives null.
 */

/** Selects `path` inside `value` as Heat does; null on any miss. */
export function selectFromAttribute(value: unknown, path: readonly unknown[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    current = step(current, key);
    if (current === undefined) return null;
  }
  return current === undefined ? null : current;
}

function step(collection: unknown, key: unknown): unknown {
  const isIndex = typeof key === 'number' && Number.isInteger(key);
  if (typeof collection === 'string' || Array.isArray(collection)) {
    // Python sequences (strings included) take int indices, negative ones counting from the end.
    if (!isIndex) return undefined;
    const seq: readonly unknown[] = typeof collection === 'string' ? [...collection] : collection;
    const i = key < 0 ? seq.length + key : key;
    return i >= 0 && i < seq.length ? seq[i] : undefined;
  }
  if (collection !== null && typeof collection === 'object') {
    // A dict is indexed by its string keys only (an int key misses, as in Python).
    if (typeof key !== 'string') return undefined;
    return Object.hasOwn(collection, key) ? (collection as Record<string, unknown>)[key] : undefined;
  }
  return undefined;
}
