import { describe, expect, it } from 'vitest';
import { pythonListRepr, pythonStringRepr } from './python-repr.js';
import { ResourceActionFailure, walkResources } from './resource-walk.js';

// a <- b <- c (c requires b requires a); d independent.
const graph: Record<string, string[]> = { a: [], b: ['a'], c: ['b'], d: [] };

async function order(
  reverse: boolean,
  aggregate: boolean,
  failing: string[] = [],
): Promise<{ ran: string[]; failures: string[] }> {
  const ran: string[] = [];
  const failures = await walkResources(
    Object.keys(graph),
    (n) => graph[n] ?? [],
    async (n) => {
      await new Promise((r) => setTimeout(r, 1));
      ran.push(n);
      if (failing.includes(n)) throw new ResourceActionFailure(`boom ${n}`);
    },
    { reverse, aggregate, signal: new AbortController().signal },
  );
  return { ran, failures };
}

describe('walkResources', () => {
  it('runs dependencies first, or dependents first in reverse', async () => {
    const fwd = (await order(false, false)).ran;
    expect(fwd.indexOf('a')).toBeLessThan(fwd.indexOf('b'));
    expect(fwd.indexOf('b')).toBeLessThan(fwd.indexOf('c'));
    const rev = (await order(true, false)).ran;
    expect(rev.indexOf('c')).toBeLessThan(rev.indexOf('b'));
    expect(rev.indexOf('b')).toBeLessThan(rev.indexOf('a'));
    expect(rev).toHaveLength(4);
  });

  it('stops launching after a failure unless aggregating, and skips dependents of failures', async () => {
    const stop = await order(false, false, ['a']);
    expect(stop.failures).toEqual(['boom a']);
    expect(stop.ran).not.toContain('b');
    const all = await order(false, true, ['a', 'd']);
    expect(all.failures.sort()).toEqual(['boom a', 'boom d']);
    expect(all.ran.sort()).toEqual(['a', 'd']);
  });

  it('launches nothing once aborted', async () => {
    const c = new AbortController();
    c.abort();
    const ran: string[] = [];
    await walkResources(
      ['a'],
      () => [],
      async (n) => void ran.push(n),
      {
        reverse: false,
        aggregate: false,
        signal: c.signal,
      },
    );
    expect(ran).toEqual([]);
  });
});

describe('Python repr', () => {
  it('quotes like Python 3', () => {
    expect(pythonStringRepr('plain')).toBe("'plain'");
    expect(pythonStringRepr("it's")).toBe(`"it's"`);
    expect(pythonStringRepr(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(pythonStringRepr('a\\b\n')).toBe("'a\\\\b\\n'");
    expect(pythonListRepr(['Error: resources.a: x', 'y'])).toBe("['Error: resources.a: x', 'y']");
  });
});
