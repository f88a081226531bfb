/** Variable scopes of the evaluator (yaql's contexts): `$` is `$1`, unknown names read as null. */

/** A chain of variable bindings; a scope is also the value `let(...)` returns for `->`. */
export class Scope {
  private readonly variables = new Map<string, unknown>();

  constructor(private readonly parent?: Scope) {}

  /** yaql's name normalization: `x` → `$x`, `$` → `$1`. */
  static normalize(name: string): string {
    const prefixed = name.startsWith('$') ? name : `$${name}`;
    return prefixed === '$' ? '$1' : prefixed;
  }

  /** Value of a variable, or null when unbound anywhere in the chain. */
  get(name: string): unknown {
    const key = Scope.normalize(name);
    if (this.variables.has(key)) return this.variables.get(key);
    return this.parent ? this.parent.get(key) : null;
  }

  /** Binds a variable in this scope. */
  set(name: string, value: unknown): void {
    this.variables.set(Scope.normalize(name), value);
  }

  /** A new scope whose lookups fall back to this one. */
  child(): Scope {
    return new Scope(this);
  }
}
