import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentReferences, gatherFiles, templateReferences } from './files.js';

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hearth-cli-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('gatherFiles', () => {
  it('collects get_file, provider templates and registry entries recursively under the written keys', async () => {
    const dir = await tree({
      'main.yaml': [
        'heat_template_version: 2018-08-31',
        'resources:',
        '  a: {type: OS::Heat::Value, properties: {value: {get_file: scripts/run.sh}}}',
        '  b: {type: nested/inner.yaml}',
        '  c: {type: My::Thing}',
        '  g:',
        '    type: OS::Heat::ResourceGroup',
        '    properties: {resource_def: {type: member.yaml}}',
      ].join('\n'),
      'scripts/run.sh': 'echo hi\n',
      'nested/inner.yaml':
        'heat_template_version: 2018-08-31\nresources:\n  x: {type: OS::Heat::Value, properties: {value: {get_file: data.txt}}}\n',
      'nested/data.txt': 'inner data',
      'member.yaml': 'heat_template_version: 2018-08-31\n',
      'env/env.yaml':
        'resource_registry:\n  My::Thing: ../thing.template\n  resources:\n    c:\n      hooks: pre-create\n',
      'thing.template': 'heat_template_version: 2018-08-31\n',
    });
    const got = await gatherFiles(join(dir, 'main.yaml'), [join(dir, 'env/env.yaml')]);
    expect(got.template).toContain('resources:');
    expect(Object.keys(got.files).sort()).toEqual(
      [
        join(dir, 'env/env.yaml'),
        '../thing.template',
        'data.txt',
        'member.yaml',
        'nested/inner.yaml',
        'scripts/run.sh',
      ].sort(),
    );
    expect(got.files['data.txt']).toBe('inner data');
    expect(got.files['scripts/run.sh']).toBe('echo hi\n');
    expect(got.environmentFiles).toEqual([join(dir, 'env/env.yaml')]);
  });

  it('names the referencing file when a referenced file is missing', async () => {
    const dir = await tree({
      't.yaml': 'resources:\n  a: {type: OS::Heat::Value, properties: {value: {get_file: nope.txt}}}\n',
    });
    await expect(gatherFiles(join(dir, 't.yaml'))).rejects.toThrow(/t\.yaml: cannot read "nope.txt"/);
  });

  it('leaves remote references and built-in types alone', () => {
    expect(
      templateReferences({ resources: { a: { type: 'OS::Heat::None' }, b: { type: 'http://x/y.yaml' } } }),
    ).toEqual([{ key: 'http://x/y.yaml', template: true }]);
    expect(
      environmentReferences({ resource_registry: { 'A::B': 'OS::Heat::None', 'C::D': 'c.yaml' } }),
    ).toEqual([{ key: 'c.yaml', template: true }]);
  });
});
