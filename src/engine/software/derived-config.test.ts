import { describe, expect, it } from 'vitest';
import { HostCredentials } from '../../identity/host-credentials.js';
import {
  componentActions,
  derivedConfigRequest,
  EMPTY_SOURCE,
  replacingInput,
  type DeploymentSpec,
} from './derived-config.js';
import { DeploymentSignalUrls } from './signal-urls.js';

const spec: DeploymentSpec = {
  serverId: 'srv',
  action: 'CREATE',
  stackPath: 'st/sid',
  resourceName: 'dep',
  physicalName: 'st-dep-abc',
  inputValues: { a: 1, extra: 'x' },
  name: null,
  transport: 'NO_SIGNAL',
};

describe('derived configs (Heat _build_derived_config_params)', () => {
  it('gives declared inputs their value or default, appends undeclared values and the deploy_* inputs', () => {
    const req = derivedConfigRequest(
      {
        ...EMPTY_SOURCE,
        name: 'src',
        inputs: [
          { name: 'a', type: 'Number' },
          { name: 'b', type: 'String', default: 'd' },
        ],
      },
      spec,
    );
    expect(req.name).toBe('src');
    expect(req.config).toBe('');
    expect((req.inputs as { name: string; value: unknown }[]).map((i) => [i.name, i.value])).toEqual([
      ['a', 1],
      ['b', 'd'],
      ['extra', 'x'],
      ['deploy_server_id', 'srv'],
      ['deploy_action', 'CREATE'],
      ['deploy_stack_id', 'st/sid'],
      ['deploy_resource_name', 'dep'],
      ['deploy_signal_transport', 'NO_SIGNAL'],
    ]);
  });

  it('adds deploy_signal_id and verb for signalling transports; name falls back to the physical name', () => {
    const req = derivedConfigRequest(EMPTY_SOURCE, {
      ...spec,
      transport: 'TEMP_URL_SIGNAL',
      signal: { id: 'http://u', verb: 'PUT' },
    });
    expect(req.name).toBe('st-dep-abc');
    expect((req.inputs as { name: string }[]).slice(-2)).toMatchObject([
      { name: 'deploy_signal_id', value: 'http://u' },
      { name: 'deploy_signal_verb', value: 'PUT' },
    ]);
  });

  it('substitutes get_input in structured configs: LAX gives null, STRICT refuses a missing input', () => {
    const source = {
      ...EMPTY_SOURCE,
      config: { k: { get_input: 'a' }, l: [{ get_input: 'nope' }], m: { get_input: 1 } },
    };
    const lax = derivedConfigRequest(source, {
      ...spec,
      structured: { inputKey: 'get_input', validate: 'LAX' },
    });
    expect(lax.config).toEqual({ k: 1, l: [null], m: { get_input: 1 } });
    expect(() =>
      derivedConfigRequest(source, { ...spec, structured: { inputKey: 'get_input', validate: 'STRICT' } }),
    ).toThrow('The Parameter (nope) was not provided.');
    const custom = derivedConfigRequest(
      { ...EMPTY_SOURCE, config: { k: { my_input: 'deploy_action' } } },
      { ...spec, structured: { inputKey: 'my_input', validate: 'STRICT' } },
    );
    expect(custom.config).toEqual({ k: 'CREATE' });
    expect(
      derivedConfigRequest(EMPTY_SOURCE, { ...spec, structured: { inputKey: 'get_input', validate: 'LAX' } })
        .config,
    ).toEqual({});
  });

  it('knows component actions and the replace_on_change rule', () => {
    expect(
      componentActions({
        ...EMPTY_SOURCE,
        group: 'component',
        config: { configs: [{ actions: ['DELETE'] }] },
      }),
    ).toEqual(new Set(['DELETE']));
    expect(componentActions(EMPTY_SOURCE)).toBeUndefined();
    const old = [{ name: 'x', type: 'String' as const, value: 1 }];
    expect(replacingInput(old, [{ name: 'x', type: 'String', replace_on_change: true, value: 2 }])).toBe('x');
    expect(
      replacingInput(old, [{ name: 'x', type: 'String', replace_on_change: true, value: 1 }]),
    ).toBeUndefined();
    expect(replacingInput(old, [{ name: 'x', type: 'String', value: 2 }])).toBeUndefined();
  });
});

describe('host credentials and signal URLs', () => {
  it('issues hth1 credentials that verify only unchanged, under the same secret', () => {
    const creds = new HostCredentials(Buffer.from('s1'));
    const token = creds.issue('my.project', 'srv-1');
    expect(token).toMatch(/^hth1\.my\.project\.srv-1\.[A-Za-z0-9_-]{43}$/);
    expect(creds.parse(token)).toEqual({ projectId: 'my.project', serverId: 'srv-1' });
    expect(creds.parse(token.replace('srv-1', 'srv-2'))).toBeUndefined();
    expect(new HostCredentials(Buffer.from('s2')).parse(token)).toBeUndefined();
    expect(creds.parse('hth1.x')).toBeUndefined();
  });

  it('signs URLs per deployment and expiry', () => {
    const urls = new DeploymentSignalUrls(Buffer.from('k'), () => 'http://h/');
    const url = new URL(urls.url('d1', 2000000000));
    const sig = url.searchParams.get('signature');
    expect(url.pathname).toBe('/v1/signal/deployments/d1');
    expect(urls.check('d1', '2000000000', sig)).toBe('valid');
    expect(urls.check('d2', '2000000000', sig)).toBe('invalid');
    expect(urls.check('d1', '2000000001', sig)).toBe('invalid');
    expect(urls.check('d1', '2000000000', sig, new Date(2000000000 * 1000))).toBe('expired');
  });
});
