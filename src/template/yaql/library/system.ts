/** yaql system/branching functions: `let(...) -> expr`, `with(...) -> expr`, `coalesce(...)`. */
import { p, type FunctionSpec } from './spec.js';

/** System functions. */
export const systemFunctions: FunctionSpec[] = [
  {
    name: 'let',
    summary: 'let(1, x => 2) -> $1 + $x: binds $1… and named variables for the right side of ->',
    overloads: [
      {
        usage: 'function',
        params: [p('args', 'any', { rest: true })],
        namedRest: true,
        run: ([args, named], env) => {
          const scope = env.scope.child();
          (args as unknown[]).forEach((value, i) => scope.set(`$${i + 1}`, value));
          for (const [name, value] of named as Map<string, unknown>) scope.set(name, value);
          return scope;
        },
      },
    ],
  },
  {
    name: 'with',
    summary: "with('a', 'b') -> $1 + $2: binds $1, $2… for the right side of ->",
    overloads: [
      {
        usage: 'function',
        params: [p('args', 'any', { rest: true })],
        run: ([args], env) => {
          const scope = env.scope.child();
          (args as unknown[]).forEach((value, i) => scope.set(`$${i + 1}`, value));
          return scope;
        },
      },
    ],
  },
  {
    name: 'coalesce',
    summary: 'coalesce(null, 2, 3) → 2: first non-null argument',
    overloads: [
      {
        usage: 'function',
        params: [p('args', 'any', { rest: true })],
        run: ([args]) => (args as unknown[]).find((value) => value !== null) ?? null,
      },
    ],
  },
];
