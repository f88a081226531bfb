/**
 * Writes a docker-archive (the `docker save` format Docker 20.10 loads) from a single uncompressed layer tar,
 * deterministically: the same layer and settings always give the same bytes, so the same tarball sha256 and
 * image id. No registry, no daemon.
 */
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTar } from '../tar/write.js';
import { sha256Bytes, sha256File } from './digest.js';

/** The runtime settings baked into the image config. */
export interface ImageSettings {
  /** `name:tag` written into the manifest's RepoTags. */
  tag: string;
  cmd?: string[];
  entrypoint?: string[];
  env?: string[];
  workingDir?: string;
  labels?: Record<string, string>;
}

/** What was written. */
export interface BuiltArchive {
  /** Path of the docker-archive tarball. */
  path: string;
  /** Its sha256 (hex): the value to pass to `hearth image import --sha256`. */
  sha256: string;
  /** Its size in bytes. */
  size: number;
  /** Image id `sha256:<hex>` (config digest). */
  id: string;
  /** The layer's diff_id. */
  diffId: string;
}

const EPOCH = '1970-01-01T00:00:00Z';

/** Writes `out` as a docker-archive whose only layer is the tar at `layerTar`. */
export async function writeImageArchive(
  layerTar: string,
  settings: ImageSettings,
  out: string,
): Promise<BuiltArchive> {
  const diffId = `sha256:${await sha256File(layerTar)}`;
  const config = {
    architecture: dockerArchitecture(),
    os: 'linux',
    created: EPOCH,
    config: {
      ...(settings.env ? { Env: settings.env } : {}),
      ...(settings.entrypoint ? { Entrypoint: settings.entrypoint } : {}),
      ...(settings.cmd ? { Cmd: settings.cmd } : {}),
      ...(settings.workingDir ? { WorkingDir: settings.workingDir } : {}),
      ...(settings.labels ? { Labels: settings.labels } : {}),
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: EPOCH, created_by: 'hearth image build' }],
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configHex = sha256Bytes(configBytes);
  const layerDir = diffId.slice('sha256:'.length);
  const manifest = [
    { Config: `${configHex}.json`, RepoTags: [settings.tag], Layers: [`${layerDir}/layer.tar`] },
  ];
  const temp = await mkdtemp(join(tmpdir(), 'hearth-archive-'));
  try {
    const staged = join(temp, 'image.tar');
    await writeTar(staged, [
      { name: `${configHex}.json`, data: configBytes },
      { name: `${layerDir}/layer.tar`, sourceFile: layerTar },
      { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
    ]);
    await copyFile(staged, out);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return {
    path: out,
    sha256: await sha256File(out),
    size: (await stat(out)).size,
    id: `sha256:${configHex}`,
    diffId,
  };
}

/** Docker's name for this machine's architecture. */
export function dockerArchitecture(): string {
  const arch = process.arch;
  if (arch === 'x64') return 'amd64';
  if (arch === 'arm64') return 'arm64';
  return arch;
}
