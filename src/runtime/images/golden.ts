/**
 * `hearth image build`: the golden image — busybox (Debian's busybox-static) plus this machine's node binary and
 * the hearth agent — as a deterministic docker-archive tarball, built with no registry and no daemon.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImageArchive, type BuiltArchive } from './archive.js';
import { addHearthAgent, addNode, busyboxRootfs, packRootfs } from './rootfs.js';

/** The run-time packages `hearth agent` loads (the CLI's and the agent's; the rest of hearth's are for the server). */
export const AGENT_PACKAGES = ['commander', 'pino', 'yaml'];

/** What to build. */
export interface GoldenImageOptions {
  /** Where to write the docker-archive. */
  output: string;
  /** `name:tag` of the image. */
  tag: string;
  /** Cache for the downloaded busybox-static .deb. */
  cacheDir: string;
  /** The hearth checkout or install whose `dist/` and `node_modules/` go in (`/opt/hearth`). */
  hearthRoot: string;
  /** Busybox only: no node, no agent. */
  minimal?: boolean;
}

/** Builds the golden image; returns its tarball, sha256 and image id. */
export async function buildGoldenImage(options: GoldenImageOptions): Promise<BuiltArchive> {
  const work = await mkdtemp(join(tmpdir(), 'hearth-golden-'));
  try {
    const rootfs = join(work, 'rootfs');
    await busyboxRootfs(rootfs, options.cacheDir);
    if (!options.minimal) {
      await addNode(rootfs);
      await addHearthAgent(rootfs, options.hearthRoot, AGENT_PACKAGES);
    }
    const layer = join(work, 'layer.tar');
    await packRootfs(rootfs, layer);
    return await writeImageArchive(
      layer,
      {
        tag: options.tag,
        cmd: options.minimal
          ? ['/bin/sh']
          : ['/usr/local/bin/hearth', 'agent', '--config', '/etc/hearth/agent.json'],
        env: ['PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin'],
        labels: { 'org.hearth.image': options.minimal ? 'busybox' : 'agent' },
      },
      options.output,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
