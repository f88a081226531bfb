/**
 * Image recipe files: several images described in one YAML document, built together by
 * `hearth image build --recipe FILE --output-dir DIR`. An image is either a hearth image (`hearth: agent | server |
 * minimal`, the golden image family) or a Debian-package image (`debian: [packages]`, with `exclude`, `remove`,
 * `users`, `files`, `cmd`, `entrypoint`, `env`, `workdir`, `keep_docs`). Every problem is reported together with its
 * place in the file (`images.postgres.users[0].uid`) and the value received.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import type { DebianImageSpec, ImageFile, ImageUser } from './debian-image.js';

/** The roles of hearth images (see {@link buildGoldenImage}). */
export const HEARTH_ROLES = ['agent', 'server', 'minimal'] as const;
/** A hearth image role. */
export type HearthRole = (typeof HEARTH_ROLES)[number];

/** One image of a recipe. */
export type RecipeImage =
  | { readonly name: string; readonly kind: 'hearth'; readonly tag: string; readonly role: HearthRole }
  | { readonly name: string; readonly kind: 'debian'; readonly tag: string; readonly spec: DebianImageSpec };

/** A recipe file that is not valid: every problem, each with its place and the value received. */
export class RecipeError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`image recipe ${file} is not valid:\n  ${problems.join('\n  ')}`);
    this.name = 'RecipeError';
  }
}

const IMAGE_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const TAG = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
const USER = /^[a-z_][a-z0-9_-]*$/;
const DEBIAN_KEYS = [
  'tag',
  'debian',
  'exclude',
  'remove',
  'users',
  'files',
  'cmd',
  'entrypoint',
  'env',
  'workdir',
  'keep_docs',
];

/** A value as shown in a problem (long ones cut). */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Reads the problems of one recipe; collects them instead of stopping at the first. */
class Reader {
  readonly problems: string[] = [];
  constructor(readonly baseDir: string) {}

  problem(where: string, text: string): void {
    this.problems.push(`${where}: ${text}`);
  }

  strings(where: string, value: unknown, pattern?: RegExp, what = 'strings'): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.problem(where, `expected a list of ${what}, got ${show(value)}`);
      return [];
    }
    const list = value as string[];
    list.forEach((v, i) => {
      if (pattern && !pattern.test(v)) this.problem(`${where}[${i}]`, `${show(v)} is not one of ${what}`);
    });
    return list;
  }

  absolutePath(where: string, value: unknown): string | undefined {
    if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').includes('..')) {
      this.problem(where, `expected an absolute path in the image (no ".."), got ${show(value)}`);
      return undefined;
    }
    return value;
  }

  users(where: string, value: unknown): ImageUser[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problem(where, `expected a list of {name, uid, gid?, home?}, got ${show(value)}`);
      return [];
    }
    const users: ImageUser[] = [];
    value.forEach((u: unknown, i) => {
      const at = `${where}[${i}]`;
      if (u === null || typeof u !== 'object' || Array.isArray(u)) {
        this.problem(at, `expected {name, uid, gid?, home?}, got ${show(u)}`);
        return;
      }
      const user = u as Record<string, unknown>;
      const unknown = Object.keys(user).filter((k) => !['name', 'uid', 'gid', 'home'].includes(k));
      if (unknown.length > 0)
        this.problem(at, `unknown keys ${unknown.join(', ')}; allowed: name, uid, gid, home`);
      const id = (key: string): number | undefined => {
        const v = user[key];
        if (v === undefined && key === 'gid') return undefined;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65533) {
          this.problem(`${at}.${key}`, `expected an integer from 1 to 65533, got ${show(v)}`);
          return undefined;
        }
        return v;
      };
      const name = user['name'];
      if (typeof name !== 'string' || !USER.test(name))
        this.problem(`${at}.name`, `expected a user name ([a-z_][a-z0-9_-]*), got ${show(name)}`);
      const uid = id('uid');
      const gid = id('gid');
      const home = user['home'] === undefined ? undefined : this.absolutePath(`${at}.home`, user['home']);
      if (typeof name === 'string' && uid !== undefined)
        users.push({
          name,
          uid,
          ...(gid !== undefined ? { gid } : {}),
          ...(home !== undefined ? { home } : {}),
        });
    });
    return users;
  }

  async files(where: string, value: unknown): Promise<ImageFile[]> {
    if (value === undefined) return [];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problem(where, `expected a map of image paths to {content | source, mode?}, got ${show(value)}`);
      return [];
    }
    const files: ImageFile[] = [];
    for (const [path, raw] of Object.entries(value as Record<string, unknown>)) {
      const at = `${where}.${path}`;
      const target = this.absolutePath(at, path);
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        this.problem(at, `expected {content | source, mode?}, got ${show(raw)}`);
        continue;
      }
      const file = raw as Record<string, unknown>;
      const unknown = Object.keys(file).filter((k) => !['content', 'source', 'mode'].includes(k));
      if (unknown.length > 0)
        this.problem(at, `unknown keys ${unknown.join(', ')}; allowed: content, source, mode`);
      const mode = file['mode'] ?? '0644';
      const modeNumber = typeof mode === 'string' && /^0?[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) : NaN;
      if (Number.isNaN(modeNumber))
        this.problem(`${at}.mode`, `expected an octal mode as a string ("0755"), got ${show(mode)}`);
      let content: string | undefined;
      if (typeof file['content'] === 'string' && file['source'] === undefined) content = file['content'];
      else if (typeof file['source'] === 'string' && file['content'] === undefined) {
        const source = isAbsolute(file['source']) ? file['source'] : join(this.baseDir, file['source']);
        try {
          content = await readFile(source, 'utf8');
        } catch (err) {
          this.problem(`${at}.source`, `cannot read ${source}: ${(err as Error).message}`);
        }
      } else this.problem(at, 'give exactly one of content (text) or source (a file beside the recipe)');
      if (target && content !== undefined && !Number.isNaN(modeNumber))
        files.push({ path: target, content, mode: modeNumber });
    }
    return files;
  }
}

/** Reads the image `name` of the recipe. */
async function readImage(reader: Reader, name: string, raw: unknown): Promise<RecipeImage | undefined> {
  const at = `images.${name}`;
  if (!IMAGE_NAME.test(name)) reader.problem(at, `image names are [a-z0-9][a-z0-9_.-]*, got ${show(name)}`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    reader.problem(at, `expected a map with tag and hearth or debian, got ${show(raw)}`);
    return undefined;
  }
  const image = raw as Record<string, unknown>;
  const tag = image['tag'];
  if (typeof tag !== 'string' || !TAG.test(tag))
    reader.problem(`${at}.tag`, `expected name:tag (e.g. hearth/postgres:15), got ${show(tag)}`);
  if ('hearth' in image === 'debian' in image) {
    reader.problem(at, 'give exactly one of hearth (agent, server, minimal) or debian (a list of packages)');
    return undefined;
  }
  if ('hearth' in image) {
    const unknown = Object.keys(image).filter((k) => k !== 'tag' && k !== 'hearth');
    if (unknown.length > 0)
      reader.problem(at, `unknown keys ${unknown.join(', ')}; a hearth image has tag and hearth`);
    const role = image['hearth'];
    if (!(HEARTH_ROLES as readonly unknown[]).includes(role)) {
      reader.problem(`${at}.hearth`, `expected one of ${HEARTH_ROLES.join(', ')}, got ${show(role)}`);
      return undefined;
    }
    return { name, kind: 'hearth', tag: String(tag), role: role as HearthRole };
  }
  const unknown = Object.keys(image).filter((k) => !DEBIAN_KEYS.includes(k));
  if (unknown.length > 0)
    reader.problem(at, `unknown keys ${unknown.join(', ')}; allowed: ${DEBIAN_KEYS.join(', ')}`);
  const packages = reader.strings(`${at}.debian`, image['debian'], PACKAGE, 'Debian package names');
  if (Array.isArray(image['debian']) && packages.length === 0)
    reader.problem(`${at}.debian`, 'expected at least one package');
  const exclude = reader.strings(`${at}.exclude`, image['exclude'], PACKAGE, 'Debian package names');
  const remove = reader
    .strings(`${at}.remove`, image['remove'], undefined, 'absolute paths')
    .filter((p, i) => reader.absolutePath(`${at}.remove[${i}]`, p) !== undefined);
  const cmd = reader.strings(`${at}.cmd`, image['cmd']);
  const entrypoint = reader.strings(`${at}.entrypoint`, image['entrypoint']);
  const env = reader.strings(`${at}.env`, image['env'], /^[A-Za-z_][A-Za-z0-9_]*=/, 'KEY=value entries');
  const workdir =
    image['workdir'] === undefined ? undefined : reader.absolutePath(`${at}.workdir`, image['workdir']);
  const keepDocs = image['keep_docs'];
  if (keepDocs !== undefined && typeof keepDocs !== 'boolean')
    reader.problem(`${at}.keep_docs`, `expected true or false, got ${show(keepDocs)}`);
  const spec: DebianImageSpec = {
    tag: String(tag),
    packages,
    exclude,
    remove,
    users: reader.users(`${at}.users`, image['users']),
    files: await reader.files(`${at}.files`, image['files']),
    ...(cmd.length > 0 ? { cmd } : {}),
    ...(entrypoint.length > 0 ? { entrypoint } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(workdir ? { workingDir: workdir } : {}),
    ...(keepDocs === true ? { keepDocs: true } : {}),
  };
  return { name, kind: 'debian', tag: String(tag), spec };
}

/**
 * Reads and checks a recipe file (files named by `source` are read relative to it).
 * @throws RecipeError listing every problem
 */
export async function readRecipe(file: string): Promise<RecipeImage[]> {
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new RecipeError(file, [(err as Error).message]);
  }
  const reader = new Reader(dirname(file));
  const images = (doc as Record<string, unknown> | null)?.['images'];
  if (
    doc === null ||
    typeof doc !== 'object' ||
    Array.isArray(doc) ||
    Object.keys(doc).some((k) => k !== 'images')
  )
    reader.problem('(top)', `expected a map with the single key images, got ${show(doc)}`);
  if (images === null || typeof images !== 'object' || Array.isArray(images)) {
    reader.problem('images', `expected a map of image names to images, got ${show(images)}`);
    throw new RecipeError(file, reader.problems);
  }
  const result: RecipeImage[] = [];
  for (const [name, raw] of Object.entries(images as Record<string, unknown>)) {
    const image = await readImage(reader, name, raw);
    if (image) result.push(image);
  }
  if (result.length === 0 && reader.problems.length === 0)
    reader.problem('images', 'expected at least one image');
  const tags = new Map<string, string>();
  for (const image of result) {
    const other = tags.get(image.tag);
    if (other) reader.problem(`images.${image.name}.tag`, `${image.tag} is also the tag of images.${other}`);
    tags.set(image.tag, image.name);
  }
  if (reader.problems.length > 0) throw new RecipeError(file, reader.problems);
  return result;
}
