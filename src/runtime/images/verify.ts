/**
 * Verifies a docker-archive tarball (the `docker save` format) before anything is loaded: the tarball's own sha256,
 * then for every image in `manifest.json` that its config file's sha256 is the digest its name claims (the image
 * id), and that each layer's sha256 (uncompressed) equals the config's `rootfs.diff_ids` entry at the same index.
 */
import { open, stat } from 'node:fs/promises';
import { listTarEntries, TarFormatError, type TarEntry } from '../tar/read.js';
import { parseSha256, sha256Bytes, sha256File, sha256Range } from './digest.js';
import { ImageVerificationError } from './errors.js';

/** One image of a verified archive. */
export interface VerifiedImage {
  /** Image id, `sha256:<hex>`: the digest of its config. */
  id: string;
  /** Tags from the archive's manifest (`name:tag`). */
  repoTags: string[];
  /** Layer digests (`sha256:<hex>` of each uncompressed layer tar), bottom first. */
  diffIds: string[];
}

/** A verified docker-archive. */
export interface VerifiedArchive {
  /** The tarball's sha256 (hex). */
  sha256: string;
  /** Its size in bytes. */
  size: number;
  images: VerifiedImage[];
}

interface ManifestItem {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

/**
 * Verifies the archive at `file` against `expectedSha256` (hex, optionally `sha256:`-prefixed).
 * @throws ImageVerificationError naming the failed check, expected and actual values.
 */
export async function verifyImageArchive(file: string, expectedSha256: string): Promise<VerifiedArchive> {
  const expected = parseSha256(expectedSha256);
  if (!expected) {
    throw new ImageVerificationError(
      'sha256-argument',
      file,
      `--sha256 must be 64 hexadecimal characters (optionally prefixed sha256:), got ${JSON.stringify(expectedSha256)}`,
    );
  }
  const actual = await sha256File(file);
  if (actual !== expected) {
    throw new ImageVerificationError(
      'tarball-sha256',
      file,
      'the tarball is not the one pinned',
      expected,
      actual,
    );
  }
  const entries = await readEntries(file);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const manifest = await readManifest(file, byName);
  const images: VerifiedImage[] = [];
  for (const [index, item] of manifest.entries()) images.push(await verifyImage(file, byName, item, index));
  const { size } = await stat(file);
  return { sha256: actual, size, images };
}

async function readEntries(file: string): Promise<TarEntry[]> {
  try {
    return await listTarEntries(file);
  } catch (err) {
    if (err instanceof TarFormatError) throw new ImageVerificationError('archive-format', file, err.message);
    throw err;
  }
}

async function readManifest(file: string, byName: Map<string, TarEntry>): Promise<ManifestItem[]> {
  if (byName.has('index.json') && !byName.has('manifest.json')) {
    throw new ImageVerificationError(
      'archive-format',
      file,
      'this is an OCI layout archive; Docker 20.10 cannot load it: ship the docker-archive format (docker save)',
    );
  }
  const parsed = await readJsonEntry(file, byName, 'manifest.json', 'manifest');
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ImageVerificationError('manifest', file, 'manifest.json must be a non-empty array of images');
  }
  return parsed.map((item: unknown, i) => {
    const m = item as Partial<ManifestItem>;
    if (
      typeof m.Config !== 'string' ||
      !Array.isArray(m.Layers) ||
      !m.Layers.every((l) => typeof l === 'string')
    ) {
      throw new ImageVerificationError(
        'manifest',
        file,
        `manifest.json[${i}] needs Config (string) and Layers (strings)`,
      );
    }
    const tags = Array.isArray(m.RepoTags)
      ? m.RepoTags.filter((t): t is string => typeof t === 'string')
      : [];
    return { Config: m.Config, Layers: m.Layers, RepoTags: tags };
  });
}

async function verifyImage(
  file: string,
  byName: Map<string, TarEntry>,
  item: ManifestItem,
  index: number,
): Promise<VerifiedImage> {
  const configEntry = requireEntry(file, byName, item.Config, 'manifest');
  const configBytes = await readRange(file, configEntry);
  const claimed = /([0-9a-f]{64})(\.json)?$/.exec(item.Config)?.[1];
  const configDigest = sha256Bytes(configBytes);
  if (!claimed) {
    throw new ImageVerificationError(
      'config-digest',
      file,
      `config ${item.Config} is not named by its digest`,
    );
  }
  if (claimed !== configDigest) {
    throw new ImageVerificationError(
      'config-digest',
      file,
      `config ${item.Config} of image ${index} does not match its name`,
      `sha256:${claimed}`,
      `sha256:${configDigest}`,
    );
  }
  const diffIds = parseDiffIds(file, configBytes, item.Config);
  if (diffIds.length !== item.Layers.length) {
    throw new ImageVerificationError(
      'layer-count',
      file,
      `image ${index} lists ${item.Layers.length} layers in manifest.json but its config has ${diffIds.length} diff_ids`,
      String(diffIds.length),
      String(item.Layers.length),
    );
  }
  for (const [i, layer] of item.Layers.entries()) {
    const entry = requireEntry(file, byName, layer, 'manifest');
    const digest = `sha256:${await sha256Range(file, entry.offset, entry.size)}`;
    if (digest !== diffIds[i]) {
      throw new ImageVerificationError(
        'layer-diff-id',
        file,
        `layer ${i} (${layer}) of image ${index} does not match rootfs.diff_ids[${i}]`,
        diffIds[i],
        digest,
      );
    }
  }
  return { id: `sha256:${configDigest}`, repoTags: item.RepoTags ?? [], diffIds };
}

function parseDiffIds(file: string, configBytes: Buffer, name: string): string[] {
  let config: unknown;
  try {
    config = JSON.parse(configBytes.toString('utf8'));
  } catch {
    throw new ImageVerificationError('config-digest', file, `config ${name} is not JSON`);
  }
  const ids = (config as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids;
  if (!Array.isArray(ids) || !ids.every((d) => typeof d === 'string' && /^sha256:[0-9a-f]{64}$/.test(d))) {
    throw new ImageVerificationError('config-digest', file, `config ${name} has no valid rootfs.diff_ids`);
  }
  return ids as string[];
}

function requireEntry(
  file: string,
  byName: Map<string, TarEntry>,
  name: string,
  check: 'manifest',
): TarEntry {
  const entry = byName.get(name.replace(/^\.\//, ''));
  if (!entry || entry.type !== 'file') {
    throw new ImageVerificationError(
      check,
      file,
      `manifest.json names ${name}, which is not a file in the archive`,
    );
  }
  return entry;
}

async function readJsonEntry(
  file: string,
  byName: Map<string, TarEntry>,
  name: string,
  check: 'manifest',
): Promise<unknown> {
  const entry = byName.get(name);
  if (!entry)
    throw new ImageVerificationError(check, file, `no ${name} in the archive (not a docker-archive?)`);
  try {
    return JSON.parse((await readRange(file, entry)).toString('utf8'));
  } catch {
    throw new ImageVerificationError(check, file, `${name} is not valid JSON`);
  }
}

async function readRange(file: string, entry: TarEntry): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(entry.size);
    await handle.read(buf, 0, entry.size, entry.offset);
    return buf;
  } finally {
    await handle.close();
  }
}
