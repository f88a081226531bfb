/**
 * `hearth image import`: verify a docker-archive tarball (see verify.ts), load it into the engine, check that the
 * engine now holds exactly the verified images (id and layer digests), and record them in the registry.
 */
import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import type Docker from 'dockerode';
import { dockerErrorMessage } from '../docker.js';
import { ImageVerificationError } from './errors.js';
import type { ImageRecord, ImageRegistry } from './registry.js';
import { verifyImageArchive } from './verify.js';

/** What an import did. */
export interface ImportResult {
  tarballSha256: string;
  images: ImageRecord[];
}

/**
 * Verifies `file` against `sha256`, loads it, re-checks the loaded images and records them.
 * @throws ImageVerificationError when a check fails (nothing is loaded when a tarball check fails).
 */
export async function importImage(
  docker: Docker,
  registry: ImageRegistry,
  file: string,
  sha256: string,
): Promise<ImportResult> {
  const archive = await verifyImageArchive(file, sha256);
  await loadArchive(docker, file);
  const records: ImageRecord[] = [];
  for (const image of archive.images) {
    const loaded = await docker
      .getImage(image.id)
      .inspect()
      .catch(() => undefined);
    if (!loaded) {
      throw new ImageVerificationError(
        'loaded-image',
        basename(file),
        'the engine does not hold the image after load',
        image.id,
        undefined,
      );
    }
    const layers = loaded.RootFS?.Layers ?? [];
    if (loaded.Id !== image.id || layers.join(',') !== image.diffIds.join(',')) {
      throw new ImageVerificationError(
        'loaded-image',
        basename(file),
        'the loaded image differs from the verified one',
        `${image.id} [${image.diffIds.join(', ')}]`,
        `${loaded.Id} [${layers.join(', ')}]`,
      );
    }
    const record: ImageRecord = {
      id: image.id,
      repoTags: image.repoTags,
      diffIds: image.diffIds,
      tarballSha256: archive.sha256,
      source: resolve(file),
      importedAt: new Date().toISOString(),
    };
    await registry.record(record);
    records.push(record);
  }
  return { tarballSha256: archive.sha256, images: records };
}

async function loadArchive(docker: Docker, file: string): Promise<void> {
  const stream = await docker.loadImage(createReadStream(file), { quiet: true });
  await new Promise<void>((done, fail) => {
    docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
      const failed = err ?? output.find((o) => typeof o.error === 'string');
      if (failed) fail(new Error(`docker load of ${basename(file)} failed: ${dockerErrorMessage(failed)}`));
      else done();
    });
  });
}
