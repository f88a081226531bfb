import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { highlight, tokenizeLine } from './highlight.js';
import { toYaml } from './to-yaml.js';

const hello = readFileSync(new URL('../../../examples/hello.yaml', import.meta.url), 'utf8');

describe('toYaml', () => {
  it('round-trips a template through YAML (dates, booleans-looking strings, multi-line text quoted right)', () => {
    const value = {
      heat_template_version: '2021-04-16',
      description: 'line one\nline two\n',
      parameters: { flag: { type: 'string', default: 'yes' }, n: { type: 'number', default: '012' } },
      resources: {
        r: {
          type: 'OS::Heat::Value',
          properties: {
            value: { get_param: 'flag' },
            list: [{ a: 1, b: 'x: y' }, [], {}, null, 'trailing '],
          },
        },
      },
      outputs: { o: { value: { list_join: [',', ['a', 'b', { get_attr: ['r', 'value'] }]] } } },
    };
    expect(parse(toYaml(value))).toEqual(value);
    expect(parse(toYaml(parse(hello)))).toEqual(parse(hello));
    expect(toYaml(value)).toContain('value: { get_param: flag }');
  });
});

describe('highlight', () => {
  it('tells sections, keys, functions, strings, numbers and comments apart', () => {
    const kinds = (line: string) => tokenizeLine(line).map((t) => `${t.kind}:${t.text}`);
    expect(kinds('resources:')).toEqual(['section:resources', 'punct::']);
    expect(kinds('    length: { get_param: length } # note')).toEqual([
      'text:    ',
      'key:length',
      'punct::',
      'text: ',
      'punct:{',
      'text: ',
      'fn:get_param:',
      'text: length ',
      'punct:}',
      'text: ',
      'comment:# note',
    ]);
    expect(kinds('  - range: { min: 8, max: 64 }')).toContain('number:8');
    expect(kinds('  "a": "b"')).toEqual(['text:  ', 'key:"a"', 'punct::', 'text: ', 'string:"b"']);
  });
  it('keeps block scalars as strings and every line of the text', () => {
    const lines = highlight('a: |\n  x: 1\n  # not a comment\nb: 2\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toEqual([{ kind: 'string', text: '  x: 1' }]);
    expect(lines[2]).toEqual([{ kind: 'string', text: '  # not a comment' }]);
    expect(lines[3]![0]).toEqual({ kind: 'key', text: 'b' });
    expect(highlight(hello)).toHaveLength(hello.split('\n').length);
  });
});
