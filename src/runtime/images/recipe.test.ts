import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecipe, RecipeError } from './recipe.js';

const APPLIANCE_RECIPE = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'examples',
  'appliance',
  'images.yaml',
);

describe('readRecipe', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-recipe-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function problems(text: string): Promise<readonly string[]> {
    const file = join(dir, 'recipe.yaml');
    await writeFile(file, text);
    const error = await readRecipe(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipeError);
    return (error as RecipeError).problems;
  }

  it("reads the appliance's recipe: the server image and three Debian images with their start scripts", async () => {
    const images = await readRecipe(APPLIANCE_RECIPE);
    expect(images.map((i) => [i.name, i.kind, i.tag])).toEqual([
      ['server', 'hearth', 'hearth/server:appliance'],
      ['postgres', 'debian', 'hearth/postgres:15'],
      ['rabbitmq', 'debian', 'hearth/rabbitmq:3.10'],
      ['haproxy', 'debian', 'hearth/haproxy:2.6'],
    ]);
    const postgres = images[1]!;
    if (postgres.kind !== 'debian') throw new Error('postgres is a Debian image');
    expect(postgres.spec.packages).toEqual(['postgresql-15']);
    expect(postgres.spec.exclude).toContain('libllvm14');
    expect(postgres.spec.users).toEqual([{ name: 'postgres', uid: 999, home: '/var/lib/postgresql' }]);
    expect(postgres.spec.files).toEqual([
      { path: '/usr/local/bin/postgres-start', content: expect.stringContaining('initdb'), mode: 0o755 },
    ]);
    expect(postgres.spec.cmd).toEqual(['/usr/local/bin/postgres-start']);
  });

  it('reports every problem with its place and the value received', async () => {
    expect(
      await problems(`
images:
  Bad_Name:
    tag: nope
    hearth: cloud
  db:
    tag: hearth/db:1
    debian: [postgresql-15, "Not A Package"]
    users: [{name: postgres, uid: 0}]
    files:
      relative/path: {content: x}
      /usr/local/bin/start: {content: x, mode: 755}
      /etc/both: {content: x, source: y}
    remove: [/usr/../etc]
    colour: blue
  twin:
    tag: hearth/db:1
    debian: [haproxy]
`),
    ).toEqual([
      'images.Bad_Name: image names are [a-z0-9][a-z0-9_.-]*, got "Bad_Name"',
      'images.Bad_Name.tag: expected name:tag (e.g. hearth/postgres:15), got "nope"',
      'images.Bad_Name.hearth: expected one of agent, server, minimal, got "cloud"',
      'images.db: unknown keys colour; allowed: tag, debian, exclude, remove, users, files, cmd, entrypoint, env, workdir, keep_docs',
      'images.db.debian[1]: "Not A Package" is not one of Debian package names',
      'images.db.remove[0]: expected an absolute path in the image (no ".."), got "/usr/../etc"',
      'images.db.users[0].uid: expected an integer from 1 to 65533, got 0',
      'images.db.files.relative/path: expected an absolute path in the image (no ".."), got "relative/path"',
      'images.db.files./usr/local/bin/start.mode: expected an octal mode as a string ("0755"), got 755',
      'images.db.files./etc/both: give exactly one of content (text) or source (a file beside the recipe)',
      'images.twin.tag: hearth/db:1 is also the tag of images.db',
    ]);
  });

  it('refuses a file that is not a map of images, and a source that cannot be read', async () => {
    expect(await problems('- a\n- b\n')).toEqual([
      '(top): expected a map with the single key images, got ["a","b"]',
      'images: expected a map of image names to images, got undefined',
    ]);
    expect(
      await problems('images:\n  x: {tag: "a/b:1", debian: [haproxy], files: {/s: {source: missing.sh}}}\n'),
    ).toEqual([expect.stringMatching(/^images\.x\.files\.\/s\.source: cannot read .*missing\.sh: ENOENT/)]);
    expect(await problems('images:\n  x: {tag: "a/b:1"}\n')).toEqual([
      'images.x: give exactly one of hearth (agent, server, minimal) or debian (a list of packages)',
    ]);
  });
});
