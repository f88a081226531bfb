/**
 * Image provenance against the real dockerd: a good docker-archive is verified, loaded and recorded; a tampered
 * layer, a tampered config and a wrong --sha256 are refused before anything is loaded; `hearth image import`
 * and `image list` through the CLI.
 */
import { copyFile, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { BuiltArchive } from '../../src/runtime/images/archive.js';
import { sha256File } from '../../src/runtime/images/digest.js';
import { ImageVerificationError } from '../../src/runtime/images/errors.js';
import { importImage } from '../../src/runtime/images/import.js';
import { ImageRegistry, UnverifiedImageError } from '../../src/runtime/images/registry.js';
import { verifyImageArchive } from '../../src/runtime/images/verify.js';
import { listTarEntries } from '../../src/runtime/tar/read.js';
import { busyboxArchive, ensureDocker } from './docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const TAG = 'hearth-test/import:1';

describe.skipIf(!docker)('image import (real dockerd)', () => {
  let dir: string;
  let archive: BuiltArchive;
  let registry: ImageRegistry;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-import-'));
    archive = await busyboxArchive(TAG, 'import test');
    registry = new ImageRegistry(join(dir, 'images.json'));
    await docker!
      .getImage(archive.id)
      .remove({ force: true })
      .catch(() => undefined);
  });
  afterAll(async () => {
    await docker
      ?.getImage(archive.id)
      .remove({ force: true })
      .catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the same bytes twice (deterministic archive)', async () => {
    const again = await busyboxArchive(TAG, 'import test');
    expect(again.sha256).toBe(archive.sha256);
    expect(again.id).toBe(archive.id);
    expect(archive.size).toBeLessThan(3_000_000);
  });

  it('imports a good tarball: loaded with the verified id and layers, recorded, resolvable by digest', async () => {
    const result = await importImage(
      docker!,
      registry,
      archive.path,
      `sha256:${archive.sha256.toUpperCase()}`,
    );
    expect(result.images).toHaveLength(1);
    expect(result.images[0]).toMatchObject({ id: archive.id, repoTags: [TAG], diffIds: [archive.diffId] });
    const inspected = await docker!.getImage(TAG).inspect();
    expect(inspected.Id).toBe(archive.id);
    expect(inspected.RootFS.Layers).toEqual([archive.diffId]);
    expect((await registry.resolve(`hearth-test/import@${archive.id}`)).id).toBe(archive.id);
    expect((await registry.resolve(TAG)).id).toBe(archive.id);
    await expect(registry.resolve(`other/name@${archive.id}`)).rejects.toThrow(
      /tagged hearth-test\/import:1, not other\/name/,
    );
    await expect(registry.resolve('hearth-test/never:1')).rejects.toBeInstanceOf(UnverifiedImageError);
  });

  it('refuses a wrong --sha256 with expected and actual digests', async () => {
    const wrong = 'ab'.repeat(32);
    const err = await importImage(docker!, registry, archive.path, wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageVerificationError);
    expect((err as ImageVerificationError).check).toBe('tarball-sha256');
    expect((err as Error).message).toContain(`expected ${wrong}, got ${archive.sha256}`);
    await expect(verifyImageArchive(archive.path, 'xyz')).rejects.toThrow(/--sha256 must be 64 hexadecimal/);
  });

  it('refuses a tampered layer (one byte flipped), naming the layer, and loads nothing', async () => {
    await docker!
      .getImage(archive.id)
      .remove({ force: true })
      .catch(() => undefined);
    const tampered = join(dir, 'tampered-layer.tar');
    await copyFile(archive.path, tampered);
    const layer = (await listTarEntries(tampered)).find((e) => e.name.endsWith('/layer.tar'))!;
    await flipByte(tampered, layer.offset + 512 * 3 + 7);
    const err = await importImage(docker!, registry, tampered, await sha256File(tampered)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImageVerificationError);
    const v = err as ImageVerificationError;
    expect(v.check).toBe('layer-diff-id');
    expect(v.message).toContain(`layer 0 (${layer.name})`);
    expect(v.expected).toBe(archive.diffId);
    expect(v.actual).not.toBe(archive.diffId);
    await expect(docker!.getImage(archive.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('refuses a tampered config (id no longer matches its digest)', async () => {
    const tampered = join(dir, 'tampered-config.tar');
    await copyFile(archive.path, tampered);
    const config = (await listTarEntries(tampered)).find(
      (e) => e.name.endsWith('.json') && e.name !== 'manifest.json',
    )!;
    await flipByte(tampered, config.offset + 2);
    const err = (await verifyImageArchive(tampered, await sha256File(tampered)).catch(
      (e: unknown) => e,
    )) as ImageVerificationError;
    expect(err.check).toBe('config-digest');
    expect(err.expected).toBe(archive.id);
  });

  it('refuses a file that is not a docker-archive', async () => {
    const junk = join(dir, 'junk.tar');
    await copyFile(new URL(import.meta.url).pathname, junk);
    const err = (await verifyImageArchive(junk, await sha256File(junk)).catch(
      (e: unknown) => e,
    )) as ImageVerificationError;
    expect(err.check).toBe('archive-format');
  });

  it('hearth image import / list through the CLI', async () => {
    const out: string[] = [];
    const errs: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => errs.push(t), env: process.env };
    const registryPath = join(dir, 'cli-images.json');
    const program = buildProgram(io);
    await program.parseAsync([
      'node',
      'hearth',
      'image',
      'import',
      archive.path,
      '--sha256',
      archive.sha256,
      '--registry',
      registryPath,
    ]);
    expect(out.join('\n')).toContain(archive.id);
    out.length = 0;
    await buildProgram(io).parseAsync([
      'node',
      'hearth',
      '-f',
      'json',
      'image',
      'list',
      '--registry',
      registryPath,
    ]);
    const listed = JSON.parse(out.join('\n')) as { ID: string }[];
    expect(listed.map((r) => r.ID)).toEqual([archive.id]);
    const bad = buildProgram(io).parseAsync([
      'node',
      'hearth',
      'image',
      'import',
      archive.path,
      '--sha256',
      '00'.repeat(32),
      '--registry',
      registryPath,
    ]);
    await expect(bad).rejects.toThrow(/tarball-sha256 check failed/);
    expect(JSON.parse(await readFile(registryPath, 'utf8')).images).toHaveLength(1);
  });
});

async function flipByte(path: string, at: number): Promise<void> {
  const file = await open(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    await file.read(b, 0, 1, at);
    b[0] = (b[0] ?? 0) ^ 0xff;
    await file.write(b, 0, 1, at);
  } finally {
    await file.close();
  }
}
