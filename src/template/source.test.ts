import { describe, expect, it } from 'vitest';
import { documentFromValue, parseSource } from './source.js';

describe('parseSource (PyYAML rules)', () => {
  it('resolves scalars as PyYAML does: dates and y/n stay strings, floats need a dot', () => {
    const d = parseSource(
      'a: y\nb: n\nc: yes\nd: 1e3\ne: 1.0e+3\nf: 2.5\ng: 2016-10-14\nh: .inf\ni: 12\nj: "x"\nk: Off\nl: 1_000\nm: .\n',
    );
    expect(d.value).toEqual({
      a: 'y',
      b: 'n',
      c: true,
      d: '1e3',
      e: 1000,
      f: 2.5,
      g: '2016-10-14',
      h: Infinity,
      i: 12,
      j: 'x',
      k: false,
      l: 1000,
      m: '.',
    });
  });

  it('keeps positions of nested values', () => {
    const d = parseSource(
      'heat_template_version: 2021-04-16\nresources:\n  a:\n    type: X\n    properties:\n      v: 1\n',
    );
    expect(d.positionOf(['resources', 'a', 'properties', 'v'])).toEqual({
      file: 'template.yaml',
      line: 6,
      column: 7,
    });
    expect(d.positionOf(['resources', 'a', 'type'])).toEqual({ file: 'template.yaml', line: 4, column: 5 });
  });

  it('reports syntax errors with line and column', () => {
    expect(() => parseSource('a: [1, 2\nb: 3\n')).toThrow(/template\.yaml:\d+:\d+/);
  });

  it('refuses non-mapping documents, oversize input and alias bombs', () => {
    expect(() => parseSource('- 1\n- 2\n')).toThrow(/not a JSON object or YAML mapping/);
    expect(() => parseSource(`a: "${'x'.repeat(600_000)}"`)).toThrow(/exceeds maximum allowed size/);
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    expect(() => parseSource(bomb)).toThrow();
  });
});

describe('nesting depth', () => {
  it('refuses templates nested deeper than the limit with the place where it happens', () => {
    const deep = 'a: ' + '['.repeat(300) + ']'.repeat(300) + '\n';
    expect(() => parseSource(deep)).toThrow(/nested deeper than 200 levels \(at a\.0\.0\.0\.0\.0/);
    const absurd = 'a: ' + '['.repeat(30000) + ']'.repeat(30000) + '\n';
    expect(() => parseSource(absurd)).toThrow(/nested deeper than 200 levels/);
    let v: unknown = 'x';
    for (let i = 0; i < 5000; i++) v = [v];
    expect(() => documentFromValue({ heat_template_version: '2021-04-16', resources: { a: v } })).toThrow(
      /nested deeper than 200 levels/,
    );
  });
});
