import { describe, expect, it } from 'vitest';
import { HeatError, problemsOf } from '../../template/errors.js';
import { checkConfigRequest } from './config-request.js';
import { checkInputs, checkOutputs } from './io-schema.js';

/** The problems of a request as `[type, path, message]`. */
function problems(fn: () => unknown): [string, string | undefined, string][] {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof HeatError)) throw err;
    return problemsOf(err).map((p) => [p.type, p.toProblem().path, p.message]);
  }
  throw new Error('expected the request to be refused');
}

describe('software config inputs (Heat InputConfig.as_dict)', () => {
  it('normalises as Heat stores them: type defaults to String, absent keys dropped, false replace_on_change dropped', () => {
    const { inputs, problems: found } = checkInputs([
      { name: 'a' },
      { name: 'b', description: 'B', type: 'Number', default: '5', replace_on_change: 'true' },
      { name: 'c', replace_on_change: false, value: 'x' },
      { name: 7, type: 'Boolean', default: 'TRUE' },
      { name: 'd', type: 'Json', default: [1, 2] },
      { name: 'e', type: 'CommaDelimitedList', default: 'x, y' },
      { name: 'f', type: 'Number', default: '' },
      { name: 'g', value: null },
    ]);
    expect(found).toEqual([]);
    expect(inputs).toEqual([
      { name: 'a', type: 'String' },
      { name: 'b', description: 'B', type: 'Number', default: 5, replace_on_change: true },
      { name: 'c', type: 'String', value: 'x' },
      { name: '7', type: 'Boolean', default: true },
      { name: 'd', type: 'Json', default: '[1, 2]' },
      { name: 'e', type: 'CommaDelimitedList', default: ['x', 'y'] },
      { name: 'f', type: 'Number', default: '' },
      { name: 'g', type: 'String', value: null },
    ]);
    expect(Object.keys(inputs[1]!)).toEqual(['name', 'description', 'type', 'default', 'replace_on_change']);
  });

  it('treats absent and null lists as empty', () => {
    expect(checkInputs(undefined)).toEqual({ inputs: [], problems: [] });
    expect(checkOutputs(null)).toEqual({ outputs: [], problems: [] });
  });

  it('fails with Heat messages and the place of each problem', () => {
    const found = problems(() =>
      checkConfigRequest({
        inputs: [
          { description: 'no name' },
          { name: 'x', type: 'Strin' },
          { name: 'y', colour: 'red' },
          { name: 'z', type: 'Number', default: 'ten' },
          { name: 'w', type: 'Float', default: 1 },
          { name: 'v', replace_on_change: 'maybe' },
          { name: { a: 1 } },
        ],
      }),
    );
    expect(found).toEqual([
      ['ValueError', 'inputs[0]', 'Property error: Property name not assigned'],
      [
        'ValueError',
        'inputs[1].type',
        'Property error: type: "Strin" is not an allowed value ' +
          '["String", "Number", "CommaDelimitedList", "Json", "Boolean"]',
      ],
      ['ValueError', 'inputs[2]', 'Property error: Unknown Property colour'],
      [
        'ValueError',
        'inputs[3].default',
        "Property error: default: could not convert string to float: 'ten'",
      ],
      ['InvalidSchemaError', 'inputs[4].type', 'Invalid type (Float)'],
      [
        'ValueError',
        'inputs[5].replace_on_change',
        'Property error: replace_on_change: "maybe" is not a valid boolean',
      ],
      ['ValueError', 'inputs[6].name', "Property error: name: Value must be a string; got {'a': 1}"],
    ]);
  });

  it('fails for lists that are not lists of maps, saying what was received', () => {
    expect(problems(() => checkConfigRequest({ inputs: 'a=1', outputs: [{ name: 'o' }, 5] }))).toEqual([
      [
        'ValueError',
        'inputs',
        'Software Config I/O Schema must be in a list: "inputs" must be a list of maps, got a string ("a=1").',
      ],
      [
        'ValueError',
        'outputs[1]',
        'Software Config I/O Schema must be a dict: outputs[1] must be a map, got a number (5).',
      ],
    ]);
  });
});

describe('software config outputs (Heat OutputConfig.as_dict)', () => {
  it('keeps error_output (false by default) and refuses inputs-only keys', () => {
    const { outputs, problems: found } = checkOutputs([
      { name: 'result' },
      { name: 'err', type: 'String', error_output: 'True', description: 'stderr' },
    ]);
    expect(found).toEqual([]);
    expect(outputs).toEqual([
      { name: 'result', type: 'String', error_output: false },
      { name: 'err', description: 'stderr', type: 'String', error_output: true },
    ]);
    expect(problems(() => checkConfigRequest({ outputs: [{ name: 'o', default: 1 }] }))).toEqual([
      ['ValueError', 'outputs[0]', 'Property error: Unknown Property default'],
    ]);
  });
});

describe('software config request', () => {
  it('defaults the group to Heat::Ungrouped and keeps config text or maps', () => {
    expect(checkConfigRequest({})).toEqual({
      name: null,
      group: 'Heat::Ungrouped',
      config: null,
      inputs: [],
      outputs: [],
      options: null,
    });
    expect(
      checkConfigRequest({ name: 'n', group: 'script', config: { a: [1] }, options: { x: 1 } }),
    ).toMatchObject({
      name: 'n',
      group: 'script',
      config: { a: [1] },
      options: { x: 1 },
    });
  });

  it('fails for fields of the wrong shape, all at once', () => {
    expect(
      problems(() => checkConfigRequest({ name: 5, group: 'g'.repeat(256), config: [1], options: 'x' })),
    ).toEqual([
      ['HTTPBadRequest', 'name', 'The software config "name" must be a string, got a number (5).'],
      ['HTTPBadRequest', 'group', 'The software config "group" must be at most 255 characters, got 256.'],
      [
        'HTTPBadRequest',
        'config',
        'The software config "config" must be a string (a script or document) or a map (a structured config), ' +
          'got a list ([1]).',
      ],
      ['HTTPBadRequest', 'options', 'The software config "options" must be a map, got a string ("x").'],
    ]);
  });
});
