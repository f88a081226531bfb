import { describe, expect, it } from 'vitest';
import { check, errorOf, evaluate, parse } from './testing/fake-context.js';

const yaql = (expression: unknown, data?: unknown): unknown =>
  evaluate({ yaql: data === undefined ? { expression } : { expression, data } });

describe('yaql', () => {
  it('evaluates over $.data (corpus 077, 078, 080, 081)', () => {
    const config = { config: { port: 8080, hosts: ['a', 'b'] } };
    expect(yaql('$.data.config.port', config)).toBe(8080);
    expect(yaql('$.data.config.hosts[1]', config)).toBe('b');
    expect(yaql('$.data.servers.select($.name)', { servers: [{ name: 'web' }, { name: 'db' }] })).toEqual([
      'web',
      'db',
    ]);
    expect(yaql('$.data.len()', [4, 8, 15, 16, 23, 42])).toBe(6);
    expect(yaql('$.data.max()', [4, 8, 15, 16, 23, 42])).toBe(42);
    expect(yaql('list(range(0, 3))')).toEqual([0, 1, 2]);
  });

  it('resolves functions in data', () => {
    expect(
      evaluate(
        { yaql: { expression: '$.data.len()', data: { get_param: 'l' } } },
        { parameters: { l: [1, 2] } },
      ),
    ).toBe(2);
  });

  it('reports a bad literal expression at validation (corpus 082)', () => {
    const err = errorOf(() => check({ yaql: { expression: '$.data.(', data: {} } }));
    expect(err.message).toMatch(/^outputs\.o\.value\.yaql: : Bad expression /);
    expect(errorOf(() => check({ yaql: { expression: 5 } })).message).toBe(
      'outputs.o.value.yaql: : The "expression" argument to yaql must contain a string.',
    );
  });

  it('checks its keys when parsed', () => {
    expect(errorOf(() => parse({ yaql: { expression: '1', extra: 1 } })).message).toContain(
      '"yaql" syntax should be yaql:',
    );
    expect(errorOf(() => parse({ yaql: ['x'] })).message).toBe(
      'outputs.o.value.yaql: : Arguments to "yaql" must be a map.',
    );
  });
});
