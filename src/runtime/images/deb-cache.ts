/**
 * Debian packages fetched once into a cache directory (default `~/.cache/hearth/debs`) with `apt-get download`,
 * each checked against the sha256 apt's index gives for it, so a cached file is used only while it is the
 * candidate version and intact.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256File } from './digest.js';

const run = promisify(execFile);

/** The default cache of downloaded .debs: `$HEARTH_DEB_CACHE` or `~/.cache/hearth/debs`. */
export function defaultDebCache(): string {
  return process.env['HEARTH_DEB_CACHE'] ?? join(homedir(), '.cache', 'hearth', 'debs');
}

/** A package file apt would download. */
export interface DebFile {
  /** Package name. */
  readonly name: string;
  /** `name_version_arch.deb`, as apt names it. */
  readonly filename: string;
  readonly url: string;
  readonly size: number;
  /** sha256 (hex) from apt's index. */
  readonly sha256: string;
}

/** A .deb in the cache. */
export interface CachedDeb extends DebFile {
  /** Its path in the cache. */
  readonly path: string;
  /** Whether it was downloaded by this call (false: it was in the cache). */
  readonly downloaded: boolean;
}

/** Parses `apt-get download --print-uris` lines: `'URL' FILENAME SIZE SHA256:HEX`. */
export function parsePrintUris(text: string): DebFile[] {
  const files: DebFile[] = [];
  for (const line of text.split('\n')) {
    const m = /^'([^']+)'\s+(\S+\.deb)\s+(\d+)\s+SHA256:([0-9a-f]{64})\s*$/.exec(line.trim());
    if (!m) continue;
    files.push({
      url: m[1]!,
      filename: m[2]!,
      name: m[2]!.split('_')[0]!,
      size: Number(m[3]),
      sha256: m[4]!,
    });
  }
  return files;
}

async function apt(args: string[], cwd: string): Promise<string> {
  try {
    return (await run('apt-get', args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim();
    throw new Error(
      `apt-get ${args.join(' ')} failed: ${stderr} (have the package lists been fetched with apt-get update?)`,
    );
  }
}

/**
 * Makes sure the candidate .deb of every package in `names` is in `cacheDir` with the sha256 apt's index names,
 * downloading the missing ones (one `apt-get download` for all). Safe when run concurrently (downloads land in a
 * private directory and are renamed into place).
 * @throws Error naming the package and the expected versus actual sha256 when a download is not what apt promised
 */
export async function fetchDebs(names: readonly string[], cacheDir: string): Promise<CachedDeb[]> {
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, 'download-'));
  try {
    const wanted = parsePrintUris(await apt(['download', '--print-uris', ...names], staging));
    const missing = names.filter((n) => !wanted.some((w) => w.name === n));
    if (missing.length > 0)
      throw new Error(`apt-get download --print-uris gave no file for ${missing.join(', ')}`);
    const result: CachedDeb[] = [];
    const toFetch: DebFile[] = [];
    for (const file of wanted) {
      const path = join(cacheDir, file.filename);
      if (existsSync(path) && (await sha256File(path)) === file.sha256)
        result.push({ ...file, path, downloaded: false });
      else toFetch.push(file);
    }
    if (toFetch.length > 0) {
      await apt(['download', ...toFetch.map((f) => f.name)], staging);
      for (const file of toFetch) {
        const staged = join(staging, file.filename);
        const actual = existsSync(staged) ? await sha256File(staged) : 'no file';
        if (actual !== file.sha256)
          throw new Error(
            `downloaded ${file.filename} does not match apt's index (expected sha256 ${file.sha256}, got ${actual})`,
          );
        const path = join(cacheDir, file.filename);
        await rename(staged, path);
        result.push({ ...file, path, downloaded: true });
      }
    }
    return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
