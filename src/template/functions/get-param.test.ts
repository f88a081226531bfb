import { describe, expect, it } from 'vitest';
import { errorOf, evaluate } from './testing/fake-context.js';

const stack = {
  parameters: {
    greeting: 'hello',
    names: ['alpha', 'beta', 'gamma'],
    cfg: { db: { hosts: ['h1', 'h2'], port: 5432 }, name: 'app' },
    count: 42,
  },
};

describe('get_param', () => {
  it('returns typed values and walks paths (corpus 001, 004, 006)', () => {
    expect(evaluate({ get_param: 'greeting' }, stack)).toBe('hello');
    expect(evaluate({ get_param: 'count' }, stack)).toBe(42);
    expect(evaluate({ get_param: ['names', 1] }, stack)).toBe('beta');
    expect(evaluate({ get_param: ['names', '2'] }, stack)).toBe('gamma');
    expect(evaluate({ get_param: ['names', -1] }, stack)).toBe('gamma');
    expect(evaluate({ get_param: ['cfg', 'db', 'port'] }, stack)).toBe(5432);
    expect(evaluate({ get_param: ['cfg', 'db', 'hosts', 1] }, stack)).toBe('h2');
  });

  it('gives an empty string for any path miss (corpus 008)', () => {
    expect(evaluate({ get_param: ['cfg', 'db', 'nope'] }, stack)).toBe('');
    expect(evaluate({ get_param: ['cfg', 'db', 'hosts', 5] }, stack)).toBe('');
    expect(evaluate({ get_param: ['names', 'x'] }, stack)).toBe('');
    expect(evaluate({ get_param: ['count', 0] }, stack)).toBe('');
    expect(evaluate({ get_param: ['cfg', 0] }, stack)).toBe('');
  });

  it('indexes strings like Python sequences', () => {
    expect(evaluate({ get_param: ['greeting', 1] }, stack)).toBe('e');
  });

  it('answers pseudo parameters through the context (corpus 010)', () => {
    expect(evaluate({ get_param: 'OS::stack_name' }, stack)).toBe('conf-001-abc');
    expect(evaluate({ str_split: ['-', { get_param: 'OS::stack_name' }, 0] }, stack)).toBe('conf');
  });

  it('reports undefined parameters and bad arguments (corpus 011)', () => {
    const err = errorOf(() => evaluate({ get_param: 'nosuch' }, stack));
    expect(err.type).toBe('UserParameterMissing');
    expect(err.message).toBe('The Parameter (nosuch) was not provided.');
    expect(errorOf(() => evaluate({ get_param: [] }, stack)).message).toBe(
      'Function "get_param" must have arguments',
    );
    expect(errorOf(() => evaluate({ get_param: { a: 1, b: 2 } }, stack)).message).toBe(
      'Argument to "get_param" must be string or list',
    );
    expect(errorOf(() => evaluate({ get_param: [1] }, stack)).message).toBe(
      'Parameter name in "get_param" must be string',
    );
  });

  it('accepts a function as the name', () => {
    expect(
      evaluate({ get_param: { str_replace: { template: 'greetX', params: { X: 'ing' } } } }, stack),
    ).toBe('hello');
  });
});
