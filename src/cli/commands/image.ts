/**
 * `hearth image import FILE --sha256 HEX`, `hearth image build`, `hearth image list`: images without a registry.
 * Import verifies a docker-archive (tarball sha256, config digest, layer diff_ids) before `docker load` and
 * records it as verified; build (`image-build.ts`) writes images as docker-archives — the golden image, Debian
 * package images, recipes; list shows the verified images. See docs/runtime.md.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { formatList, parseFormat, type OutputFormat } from '../format.js';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { imageBuildCommand } from './image-build.js';

/** Columns of `image list`. */
const LIST_COLUMNS: [string, string][] = [
  ['ID', 'id'],
  ['Tags', 'tags'],
  ['Layers', 'layers'],
  ['Tarball sha256', 'tarballSha256'],
  ['Imported', 'importedAt'],
];

/** The hearth install this command runs from (holds `dist/`, `bin/`, `node_modules/`). */
const HEARTH_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** Builds the `image` command group. */
export function imageCommand(io: CliIo): Command {
  const image = new Command('image').description('Verified container images (never pulled)');
  const registryOption = '--registry <file>';
  const registryHelp =
    'verified-image registry (env HEARTH_IMAGE_REGISTRY, default /var/lib/hearth/images.json)';

  image
    .command('import')
    .description('Verify a docker-archive tarball, load it into Docker and record it as verified')
    .argument('<file>', 'docker-archive tarball (docker save format)')
    .requiredOption('--sha256 <hex>', 'expected sha256 of the tarball')
    .option(registryOption, registryHelp)
    .option('--docker-socket <path>', 'Docker socket (env DOCKER_HOST, default /var/run/docker.sock)')
    .action(
      async (
        file: string,
        opts: { sha256: string; registry?: string; dockerSocket?: string },
        cmd: Command,
      ) => {
        const { connectDocker } = await import('../../runtime/docker.js');
        const { importImage } = await import('../../runtime/images/import.js');
        const { ImageRegistry } = await import('../../runtime/images/registry.js');
        const { ImageVerificationError } = await import('../../runtime/images/errors.js');
        try {
          const result = await importImage(
            connectDocker(opts.dockerSocket),
            new ImageRegistry(opts.registry),
            file,
            opts.sha256,
          );
          const env = outputOptions(cmd);
          io.out(formatList(env.format, LIST_COLUMNS, result.images.map(listRow), env.columns));
        } catch (err) {
          if (err instanceof ImageVerificationError) throw new CliError(err.message, 1);
          throw err;
        }
      },
    );

  image.addCommand(imageBuildCommand(io, HEARTH_ROOT));

  image
    .command('list')
    .description('List the verified images')
    .option(registryOption, registryHelp)
    .action(async (opts: { registry?: string }, cmd: Command) => {
      const { ImageRegistry } = await import('../../runtime/images/registry.js');
      const records = await new ImageRegistry(opts.registry).list();
      const env = outputOptions(cmd);
      io.out(formatList(env.format, LIST_COLUMNS, records.map(listRow), env.columns));
    });
  return image;
}

function listRow(r: {
  id: string;
  repoTags: string[];
  diffIds: string[];
  tarballSha256: string;
  importedAt: string;
}) {
  return {
    id: r.id,
    tags: r.repoTags.join(', '),
    layers: r.diffIds.length,
    tarballSha256: r.tarballSha256,
    importedAt: r.importedAt,
  };
}

/** `-f` and `-c` of `cmd` (image commands talk to Docker, not to the API). */
function outputOptions(cmd: Command): { format: OutputFormat; columns: string[] } {
  const opts = cmd.optsWithGlobals<{ format?: string; column?: string[] }>();
  return { format: parseFormat(opts.format ?? 'table'), columns: opts.column ?? [] };
}
