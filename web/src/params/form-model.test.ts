import { describe, expect, it } from 'vitest';
import { checkField, checkForm, fieldOf, formSections, parametersToSend } from './form-model.js';

describe('formSections', () => {
  it('groups fields as parameter_groups say, the rest last, with kinds from types and constraints', () => {
    const sections = formSections({
      Parameters: {
        a: { Type: 'String', NoEcho: 'true', Label: 'A secret', Description: 'd' },
        b: { Type: 'CommaDelimitedList', Default: 'x,y' },
        c: { Type: 'Boolean' },
        d: { Type: 'Json', Default: { k: 1 } },
        e: { Type: 'String', AllowedValues: ['p', 'q'] },
        f: { Type: 'Number', Default: 3, MinValue: 1, MaxValue: 5 },
      },
      ParameterGroups: [{ label: 'G', description: 'gd', parameters: ['a', 'e'] }],
    });
    expect(sections.map((s) => s.label)).toEqual(['G', 'Other parameters']);
    expect(sections[0]!.fields.map((f) => [f.name, f.kind, f.label])).toEqual([
      ['a', 'password', 'A secret'],
      ['e', 'select', 'e'],
    ]);
    expect(sections[1]!.fields.map((f) => [f.name, f.kind, f.defaultText])).toEqual([
      ['b', 'list', 'x,y'],
      ['c', 'boolean', ''],
      ['d', 'json', '{\n  "k": 1\n}'],
      ['f', 'number', '3'],
    ]);
    expect(sections[1]!.fields[3]!.hints).toEqual(['1 to 5']);
  });
});

describe('checkField', () => {
  const length = fieldOf('length', {
    Type: 'Number',
    Default: 12,
    MinValue: 8,
    MaxValue: 64,
    ConstraintDescription: 'between 8 and 64 characters',
  });
  it('refuses a value out of range with the constraint description', () => {
    expect(checkField(length, '3')).toBe('between 8 and 64 characters');
    expect(checkField(length, '12')).toBeNull();
    expect(checkField(length, 'twelve')).toBe('"twelve" is not a number.');
    expect(checkField(length, '')).toBeNull();
  });
  it("uses Heat's messages without a description, and Python's pattern semantics", () => {
    const name = fieldOf('name', { Type: 'String', MinLength: 3, AllowedPattern: 'a|ab' });
    expect(checkField(name, 'ab')).toBe('length (2) is out of range (min: 3, max: None)');
    expect(checkField(name, 'abc')).toBe('"abc" does not match pattern "a|ab"');
    const pick = fieldOf('pick', { Type: 'String', AllowedValues: ['p', 'q'] });
    expect(checkField(pick, 'z')).toBe('"z" is not an allowed value [p, q]');
    const list = fieldOf('l', { Type: 'CommaDelimitedList', AllowedValues: ['a', 'b'], MaxLength: 2 });
    expect(checkField(list, 'a,c')).toBe('"c" is not an allowed value [a, b]');
    expect(checkField(list, 'a,b,a')).toBe('length (3) is out of range (min: None, max: 2)');
    const json = fieldOf('j', { Type: 'Json' });
    expect(checkField(json, '{')).toMatch(/^Value must be valid JSON: /);
    expect(checkField(json, '')).toBe('A value is required (the template gives no default).');
  });
  it('collects problems per field and sends only what was entered', () => {
    const fields = [length, fieldOf('x', { Type: 'String' })];
    expect(checkForm(fields, { length: '99', x: 'v' })).toEqual({ length: 'between 8 and 64 characters' });
    expect(parametersToSend(fields, { length: '', x: 'v' })).toEqual({ x: 'v' });
  });
});
