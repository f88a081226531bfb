/**
 * The registry of verified images: a small JSON file recording every image that `hearth image import` verified
 * and loaded (id, tags, layer digests, the tarball's sha256). Templates may pin `name@sha256:<image id>`; the pod
 * runner asks the registry before using an image, so an image loaded by other means is not trusted.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseSha256 } from './digest.js';

/** Where the registry lives unless told otherwise (env `HEARTH_IMAGE_REGISTRY`). */
export const DEFAULT_IMAGE_REGISTRY = '/var/lib/hearth/images.json';

/** One verified image. */
export interface ImageRecord {
  /** Image id `sha256:<hex>` (the config digest; the same on every engine). */
  id: string;
  repoTags: string[];
  diffIds: string[];
  /** sha256 (hex) of the tarball it was imported from. */
  tarballSha256: string;
  /** The tarball's path when imported (informative). */
  source: string;
  /** ISO time of the import. */
  importedAt: string;
}

/** A reference that the registry cannot resolve to a verified image. */
export class UnverifiedImageError extends Error {
  constructor(
    readonly reference: string,
    detail: string,
  ) {
    super(`image ${reference} ${detail}`);
    this.name = 'UnverifiedImageError';
  }
}

/** The verified-image registry file. */
export class ImageRegistry {
  constructor(readonly path: string = process.env['HEARTH_IMAGE_REGISTRY'] ?? DEFAULT_IMAGE_REGISTRY) {}

  /** Every record, oldest import first. */
  async list(): Promise<ImageRecord[]> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as { images?: ImageRecord[] };
      return parsed.images ?? [];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** Adds or replaces the record of `record.id`; a tag moves to the newest image that carries it. */
  async record(record: ImageRecord): Promise<void> {
    const others = (await this.list())
      .filter((r) => r.id !== record.id)
      .map((r) => ({ ...r, repoTags: r.repoTags.filter((t) => !record.repoTags.includes(t)) }));
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify({ images: [...others, record] }, null, 2)}\n`);
    await rename(temp, this.path);
  }

  /**
   * The verified image a container `image` field names: `name@sha256:<id>` (pinned by image id; the name must be
   * one of the image's repositories), `sha256:<id>`, or `name[:tag]` (tag defaults to `latest`).
   * @throws UnverifiedImageError when no verified image matches.
   */
  async resolve(reference: string): Promise<ImageRecord> {
    const records = await this.list();
    const at = reference.indexOf('@');
    if (at !== -1 || reference.startsWith('sha256:')) {
      const name = at === -1 ? undefined : reference.slice(0, at);
      const hex = parseSha256(at === -1 ? reference : reference.slice(at + 1));
      if (!hex)
        throw new UnverifiedImageError(reference, 'has a malformed digest (expected sha256:<64 hex>)');
      const found = records.find((r) => r.id === `sha256:${hex}`);
      if (!found)
        throw new UnverifiedImageError(
          reference,
          'is not a verified image (import it with hearth image import)',
        );
      if (name && !found.repoTags.some((t) => repository(t) === name)) {
        throw new UnverifiedImageError(
          reference,
          `pins a digest whose verified image is tagged ${found.repoTags.join(', ') || '(no tag)'}, not ${name}`,
        );
      }
      return found;
    }
    const tag = withTag(reference);
    const found = records.find((r) => r.repoTags.includes(tag));
    if (!found)
      throw new UnverifiedImageError(
        reference,
        'is not a verified image (import it with hearth image import)',
      );
    return found;
  }
}

/** `name:tag` with the tag defaulted to `latest`. */
export function withTag(reference: string): string {
  const slash = reference.lastIndexOf('/');
  return reference.slice(slash + 1).includes(':') ? reference : `${reference}:latest`;
}

function repository(tag: string): string {
  const colon = tag.lastIndexOf(':');
  return colon > tag.lastIndexOf('/') ? tag.slice(0, colon) : tag;
}
