/**
 * Builds every image of a recipe into one output directory, reusing a tarball built earlier from the same inputs:
 * each image's inputs are hashed (its recipe entry; for Debian images the apt package lists, which decide the
 * package versions; for hearth images the node binary, `bin/`, `dist/` and the lock file) and the key is kept in
 * `<name>.build.json` beside `<name>.tar`. `built-images.json` lists what the directory holds.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildDebianImage } from './debian-image.js';
import { sha256File } from './digest.js';
import { buildGoldenImage } from './golden.js';
import type { RecipeImage } from './recipe.js';

/** One image of the output directory. */
export interface BuiltRecipeImage {
  readonly name: string;
  readonly tag: string;
  /** The docker-archive. */
  readonly file: string;
  /** Its sha256: the value for `hearth image import --sha256`. */
  readonly sha256: string;
  /** Image id (`sha256:<config digest>`): the pin `name@sha256:<id>` or `sha256:<id>` in templates. */
  readonly id: string;
  readonly size: number;
  /** Debian packages in it, as `name=version`. */
  readonly packages: readonly string[];
  /** Reused from an earlier build with the same inputs. */
  readonly cached: boolean;
  /** Time this call spent on it. */
  readonly seconds: number;
}

/** Where things come from and go. */
export interface RecipeBuildOptions {
  readonly outputDir: string;
  /** Cache of downloaded .debs (busybox-static included). */
  readonly debCache: string;
  /** The hearth whose `dist/` and `node_modules/` go into hearth images. */
  readonly hearthRoot: string;
  /** Build only these images (names); default all. */
  readonly only?: readonly string[];
  /** Told before each image. */
  readonly onImage?: (name: string) => void;
}

/** The file names under `dir` (recursively), sorted, relative to `base`. */
async function filesUnder(dir: string, base: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const result: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) result.push(...(await filesUnder(path, base)));
    else result.push(relative(base, path));
  }
  return result.sort();
}

/** A fingerprint of apt's package lists: they decide which versions a Debian image gets. */
async function aptListsFingerprint(): Promise<string> {
  const dir = '/var/lib/apt/lists';
  const hash = createHash('sha256');
  if (existsSync(dir))
    for (const name of (await readdir(dir)).sort()) {
      const info = await stat(join(dir, name));
      if (info.isFile()) hash.update(`${name} ${info.size} ${info.mtimeMs}\n`);
    }
  return hash.digest('hex');
}

/** A content hash of what goes into a hearth image: node, `bin/`, `dist/`, the lock file. */
async function hearthFingerprint(hearthRoot: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`node ${await sha256File(process.execPath)}\n`);
  const files = [
    ...(await filesUnder(join(hearthRoot, 'bin'), hearthRoot)),
    ...(await filesUnder(join(hearthRoot, 'dist'), hearthRoot)),
    'package.json',
    'package-lock.json',
  ];
  for (const file of files) {
    const path = join(hearthRoot, file);
    if (existsSync(path)) hash.update(`${file} ${await sha256File(path)}\n`);
  }
  return hash.digest('hex');
}

/** The cache key of `image`: a hash of everything that decides its bytes. */
async function inputKey(image: RecipeImage, hearthRoot: string): Promise<string> {
  const source =
    image.kind === 'hearth'
      ? { image, hearth: await hearthFingerprint(hearthRoot) }
      : { image, apt: await aptListsFingerprint() };
  return createHash('sha256').update(JSON.stringify(source)).digest('hex');
}

interface BuildRecord {
  key: string;
  tag: string;
  sha256: string;
  id: string;
  size: number;
  packages: string[];
}

async function readRecord(path: string): Promise<BuildRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
}

/**
 * Builds (or reuses) each image of `images` into `options.outputDir` as `<name>.tar`, one after another, and
 * writes `built-images.json`. @throws Error when a build fails (naming the image) or `only` names no image
 */
export async function buildRecipe(
  images: readonly RecipeImage[],
  options: RecipeBuildOptions,
): Promise<BuiltRecipeImage[]> {
  const unknown = (options.only ?? []).filter((n) => !images.some((i) => i.name === n));
  if (unknown.length > 0)
    throw new Error(
      `no image ${unknown.join(', ')} in the recipe; it has ${images.map((i) => i.name).join(', ')}`,
    );
  const selected = options.only?.length ? images.filter((i) => options.only!.includes(i.name)) : images;
  await mkdir(options.outputDir, { recursive: true });
  const results: BuiltRecipeImage[] = [];
  for (const image of selected) {
    options.onImage?.(image.name);
    const started = Date.now();
    const file = join(options.outputDir, `${image.name}.tar`);
    const recordPath = join(options.outputDir, `${image.name}.build.json`);
    const key = await inputKey(image, options.hearthRoot);
    const previous = await readRecord(recordPath);
    const reusable = previous?.key === key && existsSync(file) && (await stat(file)).size === previous.size;
    let record: BuildRecord;
    if (reusable) record = previous!;
    else {
      const staged = `${file}.partial`;
      try {
        if (image.kind === 'hearth') {
          const built = await buildGoldenImage({
            output: staged,
            tag: image.tag,
            cacheDir: options.debCache,
            hearthRoot: options.hearthRoot,
            role: image.role,
          });
          record = {
            key,
            tag: image.tag,
            sha256: built.sha256,
            id: built.id,
            size: built.size,
            packages: [],
          };
        } else {
          const built = await buildDebianImage(image.spec, staged, options.debCache);
          const packages = built.debs.map(
            (d) => `${d.name}=${decodeURIComponent(d.filename.split('_')[1]!)}`,
          );
          record = { key, tag: image.tag, sha256: built.sha256, id: built.id, size: built.size, packages };
        }
      } catch (err) {
        throw new Error(`building image ${image.name} (${image.tag}): ${(err as Error).message}`);
      }
      await rename(staged, file);
      await writeFile(recordPath, `${JSON.stringify(record, null, 2)}\n`);
    }
    results.push({
      name: image.name,
      tag: record.tag,
      file,
      sha256: record.sha256,
      id: record.id,
      size: record.size,
      packages: record.packages,
      cached: reusable,
      seconds: (Date.now() - started) / 1000,
    });
  }
  const listing = join(options.outputDir, 'built-images.json');
  const earlier = existsSync(listing)
    ? (JSON.parse(await readFile(listing, 'utf8')) as Omit<BuiltRecipeImage, 'cached' | 'seconds'>[])
    : [];
  const merged = new Map(earlier.map((e) => [e.name, e]));
  for (const { cached: _cached, seconds: _seconds, ...entry } of results) merged.set(entry.name, entry);
  await writeFile(listing, `${JSON.stringify([...merged.values()], null, 2)}\n`);
  return results;
}
