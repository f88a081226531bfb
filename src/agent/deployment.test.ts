import { describe, expect, it } from 'vitest';
import {
  asDeploymentConfigs,
  coerceStringInputs,
  deploymentIdOf,
  resolveComponent,
  type DeploymentConfig,
} from './deployment.js';

const base = (fields: Partial<DeploymentConfig>): DeploymentConfig => ({
  id: 'c1',
  name: 'n',
  group: 'script',
  config: '',
  inputs: [],
  outputs: [],
  options: null,
  ...fields,
});

describe('asDeploymentConfigs', () => {
  it('keeps configs with a safe id, defaulting the group and dropping malformed inputs/outputs', () => {
    const list = asDeploymentConfigs([
      { id: 'ok-1', inputs: [{ name: 'a' }, { value: 1 }, 'x'], outputs: [{ name: 'o' }, null] },
      { id: '../etc/passwd' },
      { id: '..' },
      { id: 7 },
      'text',
    ]);
    expect(list).toEqual([
      { id: 'ok-1', group: 'Heat::Ungrouped', inputs: [{ name: 'a' }], outputs: [{ name: 'o' }] },
    ]);
    expect(asDeploymentConfigs({ not: 'a list' })).toEqual([]);
  });
});

describe('coerceStringInputs', () => {
  it("makes String inputs strings as Python's str() does", () => {
    const c = coerceStringInputs(
      base({
        inputs: [
          { name: 'n', type: 'String', value: 3 },
          { name: 't', type: 'String', value: true },
          { name: 'z', type: 'String', value: null },
          { name: 'm', type: 'String', value: { a: 1 } },
          { name: 'k', type: 'Number', value: 3 },
        ],
      }),
    );
    expect(c.inputs.map((i) => i.value)).toEqual(['3', 'True', 'None', '{"a":1}', 3]);
  });
});

describe('deploymentIdOf', () => {
  const signal = (value: string) => base({ inputs: [{ name: 'deploy_signal_id', value }] });
  it('reads the deployment id of an agent or signed signal URL', () => {
    expect(deploymentIdOf(signal('http://h/v1/p/agent/s1/deployments/d-1/signal'))).toBe('d-1');
    expect(deploymentIdOf(signal('http://h/v1/signal/deployments/d%202?expires=1&signature=x'))).toBe('d 2');
    expect(deploymentIdOf(signal('not a url'))).toBeUndefined();
    expect(deploymentIdOf(base({}))).toBeUndefined();
  });
});

describe('resolveComponent', () => {
  const component = base({
    group: 'component',
    config: {
      configs: [
        { actions: ['CREATE', 'UPDATE'], tool: 'script', config: 'create' },
        { actions: ['DELETE'], config: 'delete' },
      ],
    },
  });
  const forAction = (action: string) =>
    resolveComponent({ ...component, inputs: [{ name: 'deploy_action', value: action }] });

  it('picks the entry whose actions contain deploy_action, its tool as the group', () => {
    expect(forAction('UPDATE')).toMatchObject({ group: 'script', config: 'create' });
    expect(forAction('DELETE')).toMatchObject({ group: 'Heat::Ungrouped', config: 'delete' });
    expect(forAction('SUSPEND')).toBeUndefined();
    const plain = base({});
    expect(resolveComponent(plain)).toBe(plain);
  });
});
