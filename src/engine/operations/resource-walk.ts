/**
 * Runs one action over a stack's resources in dependency order (Heat's `DependencyTaskGroup`): forward
 * (dependencies first) or reverse (dependents first), as parallel as the graph allows.
 *
 * Without aggregation the first failure stops launching new work (work in flight finishes) — Heat's suspend,
 * resume, snapshot, adopt. With aggregation (check) every resource is tried except those that depend on a failed
 * one, and every failure is reported.
 */

/** A resource action failure whose reason was already persisted on the resource. */
export class ResourceActionFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ResourceActionFailure';
  }
}

/** Options of {@link walkResources}. */
export interface WalkOptions {
  /** Dependents before their dependencies (suspend). */
  readonly reverse: boolean;
  /** Keep going after failures; skip what depends on a failed resource (check). */
  readonly aggregate: boolean;
  /** Stops launching new work when aborted. */
  readonly signal: AbortSignal;
}

/**
 * Runs `act` for every name once its predecessors are done. Returns the failure reasons in the order they
 * happened (empty on success). Names `requires` lists that are not in `names` are ignored.
 */
export async function walkResources(
  names: readonly string[],
  requires: (name: string) => readonly string[],
  act: (name: string) => Promise<void>,
  options: WalkOptions,
): Promise<string[]> {
  const members = new Set(names);
  const before = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const name of names) {
    for (const dep of requires(name)) {
      if (!members.has(dep) || dep === name) continue;
      if (options.reverse) before.get(dep)!.add(name);
      else before.get(name)!.add(dep);
    }
  }
  const pending = new Set(names);
  const done = new Set<string>();
  const blocked = new Set<string>();
  const failures: string[] = [];
  const running = new Set<string>();
  await new Promise<void>((resolveAll) => {
    const pump = (): void => {
      const stopped = options.signal.aborted || (!options.aggregate && failures.length > 0);
      if (!stopped) {
        let progressed = true;
        while (progressed) {
          progressed = false;
          for (const name of [...pending]) {
            const preds = [...before.get(name)!];
            if (preds.some((p) => blocked.has(p))) {
              pending.delete(name);
              blocked.add(name);
              progressed = true;
              continue;
            }
            if (!preds.every((p) => done.has(p))) continue;
            pending.delete(name);
            running.add(name);
            act(name)
              .then(
                () => done.add(name),
                (err: unknown) => {
                  blocked.add(name);
                  failures.push(err instanceof ResourceActionFailure ? err.reason : String(err));
                },
              )
              .finally(() => {
                running.delete(name);
                pump();
              });
          }
        }
      }
      if (running.size === 0) resolveAll();
    };
    pump();
  });
  return failures;
}
