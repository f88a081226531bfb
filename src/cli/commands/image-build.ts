/**
 * `hearth image build`: images without a registry, as deterministic docker-archives with their sha256 —
 *
 * - the golden image (busybox + node + hearth agent; `--role server` adds every production dependency and the
 *   dashboard, for `hearth server`; `--minimal` is busybox only);
 * - an image from Debian packages: `--debian PKG` (repeatable) with `--tag`, `--exclude`, `--remove`, `--user`,
 *   `--file`, `--cmd`, `--env`, `--keep-docs`;
 * - every image of a recipe file: `--recipe FILE --output-dir DIR [--image NAME]`, reusing images whose inputs
 *   did not change.
 *
 * Sizes are printed in MB. See docs/runtime.md.
 */
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { formatList, formatRecord, parseFormat, type OutputFormat } from '../format.js';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';

const DEFAULT_TAG = 'hearth/agent:latest';

/** Columns of a recipe build. */
const RECIPE_COLUMNS: [string, string][] = [
  ['Name', 'name'],
  ['Tag', 'tag'],
  ['Size MB', 'size_mb'],
  ['Cached', 'cached'],
  ['Seconds', 'seconds'],
  ['ID', 'id'],
  ['sha256', 'sha256'],
  ['File', 'file'],
  ['Import', 'import'],
];

/** Size in MB with one decimal, as printed. */
function megabytes(bytes: number): number {
  return Math.round(bytes / 100_000) / 10;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--cmd`: a JSON array of strings, or else a command line for `/bin/sh -c`. @throws CliError */
export function parseCommandOption(value: string): string[] {
  if (value.trim().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw new CliError(`--cmd: not a JSON array: ${(err as Error).message} (got ${value})`, 2);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((p) => typeof p !== 'string'))
      throw new CliError(`--cmd: expected a non-empty JSON array of strings, got ${value}`, 2);
    return parsed as string[];
  }
  if (value.trim() === '') throw new CliError('--cmd: empty command', 2);
  return ['/bin/sh', '-c', value];
}

/** `--user NAME:UID[:HOME]`. @throws CliError */
export function parseUserOption(value: string): { name: string; uid: number; home?: string } {
  const m = /^([a-z_][a-z0-9_-]*):(\d{1,5})(?::(\/\S*))?$/.exec(value);
  const uid = Number(m?.[2]);
  if (!m || uid < 1 || uid > 65533)
    throw new CliError(`--user: expected NAME:UID[:HOME] with UID 1-65533, got "${value}"`, 2);
  return { name: m[1]!, uid, ...(m[3] ? { home: m[3] } : {}) };
}

/** `--file SRC:DEST[:MODE]` (MODE octal, default 0644). @throws CliError */
export async function parseFileOption(
  value: string,
): Promise<{ path: string; content: string; mode: number }> {
  const m = /^([^:]+):(\/[^:]*)(?::(0?[0-7]{3,4}))?$/.exec(value);
  if (!m)
    throw new CliError(`--file: expected SRC:DEST[:MODE] (DEST absolute, MODE octal), got "${value}"`, 2);
  let content: string;
  try {
    content = await readFile(m[1]!, 'utf8');
  } catch (err) {
    throw new CliError(`--file: cannot read ${m[1]}: ${(err as Error).message}`, 2);
  }
  return { path: m[2]!, content, mode: parseInt(m[3] ?? '0644', 8) };
}

interface BuildOptions {
  output?: string;
  tag: string;
  minimal?: boolean;
  role: string;
  cacheDir?: string;
  debian?: string[];
  exclude?: string[];
  remove?: string[];
  user?: string[];
  file?: string[];
  cmd?: string;
  env?: string[];
  keepDocs?: boolean;
  recipe?: string;
  outputDir?: string;
  image?: string[];
}

/** Builds the `image build` command; `hearthRoot` is the hearth whose files go into hearth images. */
export function imageBuildCommand(io: CliIo, hearthRoot: string): Command {
  return new Command('build')
    .description(
      'Build images as docker-archives with their sha256: the golden image (busybox + node + hearth), an image ' +
        'from Debian packages (--debian), or every image of a recipe (--recipe)',
    )
    .option('--output <file>', 'tarball to write (default hearth-agent-image.tar, or named after --tag)')
    .option('--tag <name:tag>', 'image name and tag', DEFAULT_TAG)
    .option('--minimal', 'busybox only (no node, no agent)')
    .option(
      '--role <role>',
      'hearth image: agent, or server (all production dependencies and the dashboard)',
      'agent',
    )
    .option(
      '--cache-dir <dir>',
      'cache of downloaded .debs (env HEARTH_DEB_CACHE, default ~/.cache/hearth/debs)',
    )
    .option('--debian <package>', 'Debian package to build an image from (repeatable)', collect)
    .option('--exclude <package>', 'leave this package out of the dependency closure (repeatable)', collect)
    .option('--remove <path>', 'remove this path from the image after unpacking (repeatable)', collect)
    .option('--user <name:uid[:home]>', 'add a user and its group (repeatable)', collect)
    .option('--file <src:dest[:mode]>', 'copy a local file into the image (repeatable)', collect)
    .option('--cmd <command>', 'image command: a JSON array, or a command line for /bin/sh -c')
    .option('--env <KEY=value>', 'image environment (repeatable)', collect)
    .option('--keep-docs', 'keep /usr/share/doc, man pages and translations')
    .option('--recipe <file>', 'build every image of this recipe file (see examples/appliance/images.yaml)')
    .option('--output-dir <dir>', 'with --recipe: where the tarballs go (images unchanged since are reused)')
    .option('--image <name>', 'with --recipe: build only this image (repeatable)', collect)
    .action(async (opts: BuildOptions, cmd: Command) => {
      const { defaultDebCache } = await import('../../runtime/images/deb-cache.js');
      const cacheDir = opts.cacheDir ?? defaultDebCache();
      const env = outputOptions(cmd);
      if (opts.recipe !== undefined) {
        await buildFromRecipe(io, opts, cmd, cacheDir, hearthRoot, env);
        return;
      }
      for (const flag of ['outputDir', 'image'] as const)
        if (opts[flag] !== undefined)
          throw new CliError(`--${flag === 'outputDir' ? 'output-dir' : 'image'} needs --recipe`, 2);
      const tagGiven = cmd.getOptionValueSource('tag') !== 'default';
      if (opts.debian !== undefined) {
        if (!tagGiven)
          throw new CliError('--tag is required with --debian (e.g. --tag hearth/postgres:15)', 2);
        if (opts.minimal || cmd.getOptionValueSource('role') !== 'default')
          throw new CliError('--debian builds a Debian image: --minimal and --role do not apply', 2);
      } else {
        const debianOnly = ['exclude', 'remove', 'user', 'file', 'cmd', 'env', 'keepDocs'] as const;
        const given = debianOnly.filter((k) => opts[k] !== undefined);
        if (given.length > 0)
          throw new CliError(
            `${given.map((k) => `--${k === 'keepDocs' ? 'keep-docs' : k}`).join(', ')} need --debian`,
            2,
          );
        if (opts.role !== 'agent' && opts.role !== 'server')
          throw new CliError(`--role: expected agent or server, got "${opts.role}"`, 2);
      }
      const defaultOutput =
        !tagGiven && opts.role === 'agent'
          ? 'hearth-agent-image.tar'
          : `${opts.tag.replace(/[/:]/g, '-')}.tar`;
      const output = resolve(opts.output ?? defaultOutput);
      const started = Date.now();
      let built: { path: string; sha256: string; size: number; id: string };
      let packages: string[] = [];
      if (opts.debian !== undefined) {
        const { buildDebianImage } = await import('../../runtime/images/debian-image.js');
        const result = await buildDebianImage(
          {
            tag: opts.tag,
            packages: opts.debian,
            exclude: opts.exclude ?? [],
            remove: opts.remove ?? [],
            users: (opts.user ?? []).map(parseUserOption),
            files: await Promise.all((opts.file ?? []).map(parseFileOption)),
            ...(opts.cmd !== undefined ? { cmd: parseCommandOption(opts.cmd) } : {}),
            ...(opts.env ? { env: opts.env } : {}),
            ...(opts.keepDocs ? { keepDocs: true } : {}),
          },
          output,
          cacheDir,
        );
        built = result;
        packages = result.debs.map((d) => d.name);
      } else {
        const { buildGoldenImage } = await import('../../runtime/images/golden.js');
        built = await buildGoldenImage({
          output,
          tag: opts.tag,
          cacheDir,
          hearthRoot,
          minimal: opts.minimal,
          role: opts.role as 'agent' | 'server',
        });
      }
      io.out(
        formatRecord(
          env.format,
          {
            file: built.path,
            sha256: built.sha256,
            size: built.size,
            size_mb: megabytes(built.size),
            seconds: (Date.now() - started) / 1000,
            id: built.id,
            tag: opts.tag,
            ...(packages.length > 0 ? { packages: packages.join(' ') } : {}),
            import: `hearth image import ${built.path} --sha256 ${built.sha256}`,
          },
          env.columns,
        ),
      );
    });
}

async function buildFromRecipe(
  io: CliIo,
  opts: BuildOptions,
  cmd: Command,
  cacheDir: string,
  hearthRoot: string,
  env: { format: OutputFormat; columns: string[] },
): Promise<void> {
  const single = [
    'output',
    'debian',
    'exclude',
    'remove',
    'user',
    'file',
    'cmd',
    'env',
    'keepDocs',
    'minimal',
  ] as const;
  const clashing = single.filter((k) => opts[k] !== undefined);
  if (cmd.getOptionValueSource('tag') !== 'default') clashing.push('tag' as never);
  if (cmd.getOptionValueSource('role') !== 'default') clashing.push('role' as never);
  if (clashing.length > 0)
    throw new CliError(
      `--recipe builds the images its file describes; drop ${clashing.map((k) => `--${k}`).join(', ')}`,
      2,
    );
  if (opts.outputDir === undefined) throw new CliError('--recipe needs --output-dir <dir>', 2);
  const { readRecipe, RecipeError } = await import('../../runtime/images/recipe.js');
  const { buildRecipe } = await import('../../runtime/images/recipe-build.js');
  let images;
  try {
    images = await readRecipe(resolve(opts.recipe!));
  } catch (err) {
    if (err instanceof RecipeError) throw new CliError(err.message, 2);
    throw err;
  }
  const results = await buildRecipe(images, {
    outputDir: resolve(opts.outputDir),
    debCache: cacheDir,
    hearthRoot,
    ...(opts.image ? { only: opts.image } : {}),
    onImage: (name) => io.err(`hearth: building image ${name} (${basename(opts.recipe!)})`),
  }).catch((err: Error) => {
    throw new CliError(err.message, 1);
  });
  const rows = results.map((r) => ({
    name: r.name,
    tag: r.tag,
    size_mb: megabytes(r.size),
    cached: r.cached,
    seconds: r.seconds,
    id: r.id,
    sha256: r.sha256,
    file: r.file,
    import: `hearth image import ${r.file} --sha256 ${r.sha256}`,
  }));
  const columns =
    env.columns.length > 0 || env.format !== 'table'
      ? env.columns
      : ['name', 'tag', 'size_mb', 'cached', 'seconds', 'id'];
  io.out(formatList(env.format, RECIPE_COLUMNS, rows, columns));
  if (env.format === 'table') for (const row of rows) io.err(row.import);
}

/** `-f` and `-c` of `cmd` (image commands talk to Docker, not to the API). */
function outputOptions(cmd: Command): { format: OutputFormat; columns: string[] } {
  const opts = cmd.optsWithGlobals<{ format?: string; column?: string[] }>();
  return { format: parseFormat(opts.format ?? 'table'), columns: opts.column ?? [] };
}
