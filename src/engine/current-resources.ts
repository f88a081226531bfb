/**
 * Finding a stack's current resource row by name without reading every row of the stack: a bounded index of
 * `stack id + resource name → row id` remembered from earlier look-ups. A remembered id is only a hint: the row
 * read by it must still be the current row of that name in that stack, otherwise the stack's rows are listed
 * again (a replacement, a delete, another process's change), so an answer is never stale.
 */
import type { ResourceRecord, Store } from './store.js';

/** How many `stack + name → row id` hints are kept (least recently used dropped first). */
export const CURRENT_RESOURCE_HINTS = 10_000;

/** Look-ups of current resource rows by stack and name. */
export class CurrentResources {
  readonly #hints = new Map<string, string>();

  constructor(
    private readonly store: Pick<Store, 'getResource' | 'listResources'>,
    private readonly capacity = CURRENT_RESOURCE_HINTS,
  ) {}

  /** The current row named `name` in the stack, if any (as fresh as a read of the store). */
  async find(stackId: string, name: string): Promise<ResourceRecord | undefined> {
    const key = `${stackId}\u0000${name}`;
    const hinted = this.#hints.get(key);
    if (hinted !== undefined) {
      const row = await this.store.getResource(hinted);
      if (row && row.current && row.stackId === stackId && row.name === name) {
        this.#remember(key, row.id);
        return row;
      }
      this.#hints.delete(key);
    }
    const row = (await this.store.listResources(stackId)).find((r) => r.name === name && r.current);
    if (row) this.#remember(key, row.id);
    return row;
  }

  #remember(key: string, id: string): void {
    this.#hints.delete(key);
    this.#hints.set(key, id);
    while (this.#hints.size > this.capacity) {
      const oldest = this.#hints.keys().next().value;
      if (oldest === undefined) break;
      this.#hints.delete(oldest);
    }
  }
}
