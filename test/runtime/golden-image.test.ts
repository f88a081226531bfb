/**
 * `hearth image build` end to end on the real dockerd: the golden image (busybox + node + the hearth agent from
 * `dist/`) is written as a docker-archive, imported through the verifying path, and runs `hearth agent`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { importImage } from '../../src/runtime/images/import.js';
import { ImageRegistry } from '../../src/runtime/images/registry.js';
import { ROOT } from '../helpers/hearth.js';
import { ensureDocker, RUNTIME_CACHE } from './docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const TAG = `hearth-test/agent:${process.pid}`;

describe.skipIf(!docker || !existsSync(join(ROOT, 'dist', 'agent')))('golden image (real dockerd)', () => {
  let dir = '';
  let id = '';
  afterAll(async () => {
    if (id)
      await docker
        ?.getImage(id)
        .remove({ force: true })
        .catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds busybox + node + agent as a docker-archive that imports and runs hearth agent', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-golden-'));
    const out: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => out.push(t), env: process.env };
    const output = join(dir, 'agent.tar');
    await buildProgram(io).parseAsync(
      [
        'node',
        'hearth',
        '-f',
        'json',
        'image',
        'build',
        '--output',
        output,
        '--tag',
        TAG,
        '--cache-dir',
        RUNTIME_CACHE,
      ],
      { from: 'node' },
    );
    const built = JSON.parse(out.join('\n')) as { sha256: string; size: number; id: string; import: string };
    expect(built.import).toBe(`hearth image import ${output} --sha256 ${built.sha256}`);
    expect(built.size).toBeLessThan(160 * 1024 * 1024);
    const result = await importImage(
      docker!,
      new ImageRegistry(join(dir, 'images.json')),
      output,
      built.sha256,
    );
    id = result.images[0]!.id;
    expect(id).toBe(built.id);
    const container = await docker!.createContainer({
      Image: id,
      Cmd: ['hearth', 'agent', '--help'],
      Labels: { 'org.hearth.test': 'golden' },
    });
    try {
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      expect(StatusCode).toBe(0);
      expect(logs).toContain("Apply this host's software deployments");
    } finally {
      await container.remove({ force: true });
    }
  });
});
