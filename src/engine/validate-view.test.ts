/**
 * `validateTemplate` with parameters that have no default and no value (Heat's `validate_template` validates
 * parameters with `validate_value=False` and resources with `validate_res_tmpl_only=True`): the template is
 * described so a launch form can be built, while problems that do not depend on the missing values still fail.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPluginSource } from '../server/plugins.js';
import type { SqlStore } from '../store/sql-store.js';
import { openSqliteStore } from '../store/sqlite.js';
import { HeatError, problemsOf } from '../template/errors.js';
import { Engine } from './engine.js';

let store: SqlStore;
let engine: Engine;

beforeAll(async () => {
  store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'hearth-validate-')), 'db.sqlite'));
  engine = new Engine(store, builtinPluginSource());
  await engine.start();
});

afterAll(async () => {
  await engine?.close();
  await store?.close();
});

/** The problems a validate call fails with (none when it succeeds). */
async function failure(template: Record<string, unknown>, parameters?: Record<string, unknown>) {
  try {
    await engine.validateTemplate('p', { template, ...(parameters ? { parameters } : {}) });
    return [];
  } catch (e) {
    if (!(e instanceof HeatError)) throw e;
    return problemsOf(e).map((p) => ({ type: p.type, message: p.message }));
  }
}

const WITH_UNSET = {
  heat_template_version: '2021-04-16',
  parameters: {
    size: { type: 'number', label: 'Size', constraints: [{ range: { min: 1, max: 5 } }] },
    name: { type: 'string', hidden: true },
    flag: { type: 'boolean' },
    items: { type: 'comma_delimited_list' },
  },
  resources: {
    v: { type: 'OS::Heat::Value', properties: { type: 'number', value: { get_param: 'size' } } },
    s: {
      type: 'OS::Heat::RandomString',
      properties: { length: { get_param: 'size' }, salt: { list_join: ['-', { get_param: 'items' }] } },
    },
    t: {
      type: 'OS::Heat::TestResource',
      properties: { value: { get_param: 'name' }, fail: { get_param: 'flag' } },
    },
  },
  outputs: { out: { value: { get_param: 'name' } } },
};

describe('validate with parameters that have no value', () => {
  it('describes the parameters (no Value, no Default) instead of refusing them', async () => {
    const r = await engine.validateTemplate('p', { template: WITH_UNSET });
    expect(r.Parameters['size']).toEqual({
      Type: 'Number',
      Description: '',
      NoEcho: 'false',
      Label: 'Size',
      MinValue: 1,
      MaxValue: 5,
    });
    expect(r.Parameters['name']).toMatchObject({ Type: 'String', NoEcho: 'true' });
    for (const p of Object.values(r.Parameters)) {
      expect(p).not.toHaveProperty('Value');
      expect(p).not.toHaveProperty('Default');
    }
  });

  it('keeps the given values, unchecked as in Heat (validate_value=False)', async () => {
    const r = await engine.validateTemplate('p', { template: WITH_UNSET, parameters: { size: 9 } });
    expect(r.Parameters['size']).toMatchObject({ Value: 9 });
  });

  it('still refuses problems that do not depend on the missing values', async () => {
    const unknownProperty = structuredClone(WITH_UNSET) as { resources: Record<string, any> };
    unknownProperty.resources['v'].properties.nonsense = 1;
    const first = await failure(unknownProperty);
    expect(first).toHaveLength(1);
    expect(first[0]!.message).toContain('Unknown Property nonsense');
    const badReference = structuredClone(WITH_UNSET) as { resources: Record<string, any> };
    badReference.resources['w'] = {
      type: 'OS::Heat::Value',
      properties: { value: { get_attr: ['nope', 'x'] } },
    };
    expect(await failure(badReference)).toEqual([
      {
        type: 'InvalidTemplateReference',
        message: 'The specified reference "nope" (in w.Properties.value) is incorrect.',
      },
    ]);
  });

  it('still refuses a bad literal next to a missing value', async () => {
    const bad = structuredClone(WITH_UNSET) as { resources: Record<string, any> };
    bad.resources['s'].properties.character_classes = 'not a list';
    const problems = await failure(bad);
    expect(problems.map((p) => p.message).join('\n')).toContain('character_classes');
    expect(problems.map((p) => p.message).join('\n')).not.toContain('was not provided');
  });

  it('refuses a parameter that is not in the template, as Heat (UnknownUserParameter)', async () => {
    const problems = await failure(WITH_UNSET, { other: 1 });
    expect(problems).toEqual([
      { type: 'UnknownUserParameter', message: 'The Parameter (other) was not defined in template.' },
    ]);
  });
});
