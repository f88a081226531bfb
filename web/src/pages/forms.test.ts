import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { fieldOf } from '../params/form-model.js';
import { NO_INPUTS } from '../params/template-source.js';
import { fieldErrorsOf, STACK_NAME } from './launch.js';
import { updateBody } from './update.js';

describe('fieldErrorsOf', () => {
  it('puts the API problems next to the parameters they name', () => {
    const byPath = new ApiError(400, 'StackValidationFailed', "Parameter 'length' is invalid: too long", [
      {
        type: 'StackValidationFailed',
        message: "Parameter 'length' is invalid: too long",
        path: 'parameters.length',
      },
    ]);
    expect(fieldErrorsOf(byPath)).toEqual({ length: 'too long' });
    const byMessage = new ApiError(
      400,
      'StackValidationFailed',
      "Parameter 'flavor' is invalid: not allowed",
    );
    expect(fieldErrorsOf(byMessage)).toEqual({ flavor: 'not allowed' });
    expect(fieldErrorsOf(new ApiError(409, 'StackExists', 'The Stack (a) already exists.'))).toEqual({});
  });
});

describe('updateBody', () => {
  const fields = [
    fieldOf('length', { Type: 'Number', Default: 12 }),
    fieldOf('name', { Type: 'String', Default: 'x' }),
    fieldOf('secret', { Type: 'String', NoEcho: 'true' }),
  ];
  it('sends only changed parameters, clears emptied ones, and keeps hidden ones unless typed', () => {
    const current = { length: '20', name: 'web', secret: '******' };
    expect(
      updateBody('current', NO_INPUTS, fields, { length: '24', name: 'web', secret: '' }, current),
    ).toEqual({
      parameters: { length: '24' },
    });
    expect(
      updateBody('current', NO_INPUTS, fields, { length: '20', name: '', secret: 'new' }, current),
    ).toEqual({
      parameters: { secret: 'new' },
      clear_parameters: ['name'],
    });
  });
  it('sends the new template and its files with a new template', () => {
    const inputs = {
      ...NO_INPUTS,
      template: 'heat_template_version: 2021-04-16\n',
      files: [{ name: 'c.yaml', text: 'x' }],
    };
    expect(updateBody('new', inputs, [], {}, {})).toEqual({
      template: inputs.template,
      files: { 'c.yaml': 'x' },
      parameters: {},
    });
  });
});

describe('STACK_NAME', () => {
  it("is Heat's rule", () => {
    expect(STACK_NAME.test('web-app_1.2')).toBe(true);
    expect(STACK_NAME.test('1web')).toBe(false);
    expect(STACK_NAME.test('a b')).toBe(false);
  });
});
