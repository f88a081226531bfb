import { describe, expect, it } from 'vitest';
import { CliError } from '../io.js';
import { derivedConfigBody, parseInputValues } from './software-derived.js';

describe('software deployment create, client side (heatclient deployment_utils)', () => {
  it('parses --input-value pairs; a repeated key collects a list', () => {
    expect(parseInputValues(['a=1', 'b=x=y', 'a=2', 'c='])).toEqual({ a: ['1', '2'], b: 'x=y', c: '' });
    expect(() => parseInputValues(['novalue'])).toThrow(
      new CliError('Malformed parameter(novalue). Use the key=value format.', 2),
    );
  });

  it('derives the config: declared inputs take values or defaults, extra values become String inputs', () => {
    const body = derivedConfigBody({
      name: 'dep',
      source: {
        group: 'script',
        config: 'run',
        inputs: [{ name: 'a', type: 'Number', default: 1 }, { name: 'b' }],
        outputs: [{ name: 'o', type: 'String', error_output: false }],
        options: null,
      },
      inputValues: { b: 'given', extra: 'x' },
      serverId: 'srv',
      action: 'CREATE',
      signalTransport: 'NO_SIGNAL',
    });
    expect(body).toEqual({
      group: 'script',
      config: 'run',
      options: {},
      inputs: [
        { name: 'a', type: 'Number', default: 1, value: 1 },
        { name: 'b', value: 'given' },
        { name: 'extra', type: 'String', value: 'x' },
        {
          name: 'deploy_server_id',
          description: 'ID of the server being deployed to',
          type: 'String',
          value: 'srv',
        },
        {
          name: 'deploy_action',
          description: 'Name of the current action being deployed',
          type: 'String',
          value: 'CREATE',
        },
        {
          name: 'deploy_signal_transport',
          description: 'How the server should signal to heat with the deployment output values.',
          type: 'String',
          value: 'NO_SIGNAL',
        },
      ],
      outputs: [{ name: 'o', type: 'String', error_output: false }],
      name: 'dep',
    });
  });

  it('derives an empty Heat::Ungrouped config without a source, and refuses transports it cannot set up', () => {
    const base = { name: 'n', source: {}, inputValues: {}, serverId: 's', action: 'UPDATE' };
    expect(derivedConfigBody({ ...base, signalTransport: 'NO_SIGNAL' })).toMatchObject({
      group: 'Heat::Ungrouped',
      config: '',
      options: {},
      outputs: [],
    });
    expect(() => derivedConfigBody({ ...base, signalTransport: 'TEMP_URL_SIGNAL' })).toThrow(
      /needs a Swift TempURL/,
    );
    expect(() => derivedConfigBody({ ...base, signalTransport: 'HEAT_SIGNAL' })).toThrow(
      /Unsupported signal transport HEAT_SIGNAL/,
    );
  });
});
