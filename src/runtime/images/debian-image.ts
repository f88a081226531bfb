/**
 * An image from Debian packages, built with no registry and no daemon: busybox as the base (a shell and the usual
 * tools), then the packages' dependency closure unpacked with `dpkg-deb -x` (no maintainer scripts: whatever they
 * would do — users, data directories, initdb, configuration — is the image's command's job), documentation
 * stripped, extra users and files added, packed into a deterministic docker-archive.
 */
import { execFile } from 'node:child_process';
import { appendFile, chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { writeImageArchive, type BuiltArchive } from './archive.js';
import { fetchDebs, type CachedDeb } from './deb-cache.js';
import { INSTALL_ONLY_PACKAGES, resolveDebClosure } from './deb-closure.js';
import { busyboxRootfs, packRootfs } from './rootfs.js';

const run = promisify(execFile);

/** Paths removed from every Debian image unless `keepDocs`: documentation, manuals, translations. */
export const DOC_PATHS: readonly string[] = [
  '/usr/share/doc',
  '/usr/share/man',
  '/usr/share/info',
  '/usr/share/lintian',
  '/usr/share/locale',
  '/usr/share/bug',
];

/** A user (and its own group) added to /etc/passwd and /etc/group. */
export interface ImageUser {
  readonly name: string;
  readonly uid: number;
  /** Default: `uid`. */
  readonly gid?: number;
  /** Default: `/`. */
  readonly home?: string;
}

/** A file written into the image. */
export interface ImageFile {
  /** Absolute path in the image. */
  readonly path: string;
  readonly content: string;
  /** Default 0644. */
  readonly mode?: number;
}

/** What a Debian-package image holds and runs. */
export interface DebianImageSpec {
  /** `name:tag`. */
  readonly tag: string;
  /** Debian packages to unpack (with their dependency closure). */
  readonly packages: readonly string[];
  /** Packages left out besides {@link INSTALL_ONLY_PACKAGES} (and what only they pull in). */
  readonly exclude?: readonly string[];
  readonly users?: readonly ImageUser[];
  readonly files?: readonly ImageFile[];
  /** Absolute paths removed after unpacking (e.g. a JIT plugin the image does not use). */
  readonly remove?: readonly string[];
  /** Keep /usr/share/doc, man pages and translations. */
  readonly keepDocs?: boolean;
  readonly cmd?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly env?: readonly string[];
  readonly workingDir?: string;
}

/** What {@link buildDebianImage} made. */
export interface BuiltDebianImage extends BuiltArchive {
  /** The packages unpacked, with their versions, by name. */
  readonly debs: readonly CachedDeb[];
}

/** The path `absolute` inside `root`. @throws Error when it is not absolute or leaves the root */
export function insideRoot(root: string, absolute: string): string {
  const normal = posix.normalize(absolute);
  if (!normal.startsWith('/') || normal === '/' || normal.split('/').includes('..'))
    throw new Error(`"${absolute}" is not an absolute path inside the image`);
  return join(root, normal);
}

/** What Debian's base-files would provide and daemons expect: /run, /var/run → /run, /var/tmp, /var/log. */
async function baseDirectories(rootfs: string): Promise<void> {
  for (const dir of ['run', 'var/log', 'var/lib', 'var/tmp'])
    await mkdir(join(rootfs, dir), { recursive: true });
  await chmod(join(rootfs, 'var', 'tmp'), 0o1777);
  await symlink('/run', join(rootfs, 'var', 'run')).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
}

/** The default PATH of Debian images. */
export const DEBIAN_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Builds `spec` into the docker-archive `output`; `.deb`s (busybox-static included) come from `debCache`.
 * @throws Error when apt cannot resolve or fetch a package, or a path in the spec is not inside the image
 */
export async function buildDebianImage(
  spec: DebianImageSpec,
  output: string,
  debCache: string,
): Promise<BuiltDebianImage> {
  const work = await mkdtemp(join(tmpdir(), 'hearth-debian-'));
  try {
    const rootfs = join(work, 'rootfs');
    await busyboxRootfs(rootfs, debCache);
    const names = await resolveDebClosure(spec.packages, [...INSTALL_ONLY_PACKAGES, ...(spec.exclude ?? [])]);
    const debs = await fetchDebs(names, debCache);
    for (const deb of debs) await run('dpkg-deb', ['-x', deb.path, rootfs]);
    await baseDirectories(rootfs);
    const removed = [...(spec.keepDocs ? [] : DOC_PATHS), ...(spec.remove ?? [])];
    for (const path of removed) await rm(insideRoot(rootfs, path), { recursive: true, force: true });
    for (const user of spec.users ?? []) {
      const gid = user.gid ?? user.uid;
      await appendFile(
        join(rootfs, 'etc', 'passwd'),
        `${user.name}:x:${user.uid}:${gid}:${user.name}:${user.home ?? '/'}:/bin/sh\n`,
      );
      await appendFile(join(rootfs, 'etc', 'group'), `${user.name}:x:${gid}:\n`);
    }
    for (const file of spec.files ?? []) {
      const target = insideRoot(rootfs, file.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
      await chmod(target, file.mode ?? 0o644);
    }
    const layer = join(work, 'layer.tar');
    await packRootfs(rootfs, layer);
    const built = await writeImageArchive(
      layer,
      {
        tag: spec.tag,
        ...(spec.cmd ? { cmd: [...spec.cmd] } : {}),
        ...(spec.entrypoint ? { entrypoint: [...spec.entrypoint] } : {}),
        env: [DEBIAN_PATH, ...(spec.env ?? [])],
        ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
        labels: {
          'org.hearth.image': 'debian',
          'org.hearth.debian-packages': spec.packages.join(' '),
        },
      },
      output,
    );
    return { ...built, debs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
