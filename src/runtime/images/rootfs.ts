/**
 * Builds root filesystems without any registry: busybox from Debian's `busybox-static` package (fetched with
 * `apt-get download`, cached), optionally with this machine's node binary, its shared libraries and the hearth
 * agent; then packs the directory into a deterministic layer tar.
 */
import { execFile } from 'node:child_process';
import {
  chmod,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Fetches (once, into `cacheDir`) the `busybox-static` .deb and returns its path; safe when run concurrently. */
export async function busyboxDeb(cacheDir: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const find = async (dir: string) => (await readdir(dir)).find((f) => /^busybox-static_.*\.deb$/.test(f));
  const cached = await find(cacheDir);
  if (cached) return join(cacheDir, cached);
  const staging = await mkdtemp(join(cacheDir, 'download-'));
  try {
    await run('apt-get', ['download', 'busybox-static'], { cwd: staging });
    const deb = await find(staging);
    if (!deb) throw new Error(`apt-get download busybox-static left no .deb in ${staging}`);
    await rename(join(staging, deb), join(cacheDir, deb));
    return join(cacheDir, deb);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Fills `dir` with a busybox root filesystem: every applet linked in /bin, /etc/passwd and /etc/group, /tmp,
 * and `/www/index.html` (for httpd tests).
 */
export async function busyboxRootfs(dir: string, cacheDir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await run('dpkg', ['-x', await busyboxDeb(cacheDir), dir]);
  await rm(join(dir, 'usr', 'share'), { recursive: true, force: true });
  const busybox = join(dir, 'bin', 'busybox');
  const { stdout } = await run(busybox, ['--list']);
  for (const applet of stdout.split('\n').filter((a) => a && a !== 'busybox')) {
    const link = join(dir, 'bin', applet);
    if (!existsSync(link)) await symlink('busybox', link);
  }
  for (const d of ['etc', 'www', 'tmp', 'proc', 'sys', 'dev', 'root'])
    await mkdir(join(dir, d), { recursive: true });
  await chmod(join(dir, 'tmp'), 0o1777);
  await writeFile(
    join(dir, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
  );
  await writeFile(join(dir, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  await writeFile(join(dir, 'www', 'index.html'), 'hello from busybox httpd\n');
}

/** Copies the running node binary and the shared libraries it links (per `ldd`) into `dir`. */
export async function addNode(dir: string): Promise<void> {
  const node = process.execPath;
  await copyInto(dir, node, '/usr/local/bin/node');
  const { stdout } = await run('ldd', [node]);
  for (const line of stdout.split('\n')) {
    const path = /=>\s+(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)/.exec(line)?.[1];
    if (path) await copyInto(dir, path, path);
  }
}

/**
 * Copies the hearth agent into `dir` at `/opt/hearth`: `bin/`, `dist/` (without the dashboard unless `keepWeb`),
 * `package.json` and the `node_modules` packages needed at run time (`packages` and what they depend on, optional
 * dependencies included when installed).
 */
export async function addHearthAgent(
  dir: string,
  hearthRoot: string,
  packages: readonly string[],
  options: { keepWeb?: boolean } = {},
): Promise<void> {
  const target = join(dir, 'opt', 'hearth');
  for (const part of ['bin', 'dist', 'package.json']) {
    await cp(join(hearthRoot, part), join(target, part), { recursive: true, dereference: true });
  }
  if (!options.keepWeb) await rm(join(target, 'dist', 'web'), { recursive: true, force: true });
  const seen = new Set<string>();
  const queue = [...packages];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const from = join(hearthRoot, 'node_modules', name);
    if (!existsSync(from)) continue;
    await cp(from, join(target, 'node_modules', name), { recursive: true, dereference: true });
    // the package's own dependencies, and those of packages nested in its node_modules (resolved upwards)
    for (const manifest of [join(from, 'package.json'), ...(await nestedManifests(from))]) {
      const pkg = JSON.parse(await readFile(manifest, 'utf8')) as {
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
      queue.push(...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}));
    }
  }
  await pruneNodeModules(join(target, 'node_modules'));
  await mkdir(join(dir, 'usr', 'local', 'bin'), { recursive: true });
  await writeFile(
    join(dir, 'usr', 'local', 'bin', 'hearth'),
    '#!/bin/sh\nexec /usr/local/bin/node /opt/hearth/bin/hearth.js "$@"\n',
    {
      mode: 0o755,
    },
  );
}

/** The top directory of the package's entry point (`main`, default `index.js`), e.g. `lib`. */
async function mainDirectory(pkg: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as { main?: string };
  return (manifest.main ?? 'index.js').replace(/^\.\//, '').split('/')[0]!;
}

/**
 * Drops what only building or type-checking needs from copied packages: `@types`; in native packages (those with
 * a `build/`), every build leftover but `build/Release/*.node` (objects, static archives, makefiles), and when
 * they have a `binding.gyp`, their C/C++ sources (`deps/`, `src/`, unless the entry point lies there). The better-sqlite3 addon
 * goes from 32 MB to 2 MB.
 */
export async function pruneNodeModules(modules: string): Promise<void> {
  if (!existsSync(modules)) return;
  await rm(join(modules, '@types'), { recursive: true, force: true });
  const packages: string[] = [];
  for (const entry of await readdir(modules)) {
    if (entry.startsWith('@'))
      packages.push(...(await readdir(join(modules, entry))).map((e) => join(modules, entry, e)));
    else if (!entry.startsWith('.')) packages.push(join(modules, entry));
  }
  for (const pkg of packages) {
    const build = join(pkg, 'build');
    if (existsSync(join(build, 'Release'))) {
      for (const entry of await readdir(build))
        if (entry !== 'Release') await rm(join(build, entry), { recursive: true, force: true });
      for (const entry of await readdir(join(build, 'Release')))
        if (!entry.endsWith('.node') || entry.startsWith('test_'))
          await rm(join(build, 'Release', entry), { recursive: true, force: true });
    }
    if (existsSync(join(pkg, 'binding.gyp'))) {
      const main = await mainDirectory(pkg);
      for (const sources of ['deps', 'src'])
        if (sources !== main) await rm(join(pkg, sources), { recursive: true, force: true });
    }
  }
}

/** The package.json files of the packages nested in `packageDir/node_modules` (at any depth). */
async function nestedManifests(packageDir: string): Promise<string[]> {
  const modules = join(packageDir, 'node_modules');
  if (!existsSync(modules)) return [];
  const found: string[] = [];
  for (const entry of await readdir(modules)) {
    const dirs = entry.startsWith('@')
      ? (await readdir(join(modules, entry))).map((e) => join(modules, entry, e))
      : [join(modules, entry)];
    for (const d of dirs) {
      if (!existsSync(join(d, 'package.json'))) continue;
      found.push(join(d, 'package.json'), ...(await nestedManifests(d)));
    }
  }
  return found;
}

/** Packs `dir` into a deterministic layer tar at `out` (sorted names, mtime 0, owner 0:0). */
export async function packRootfs(dir: string, out: string): Promise<void> {
  await run('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-C',
    dir,
    '-cf',
    out,
    '.',
  ]);
}

async function copyInto(root: string, from: string, to: string): Promise<void> {
  const dest = join(root, to);
  await mkdir(dirname(dest), { recursive: true });
  await cp(from, dest, { dereference: true });
}
