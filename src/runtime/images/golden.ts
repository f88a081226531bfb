/**
 * `hearth image build`: the golden image — busybox (Debian's busybox-static) plus this machine's node binary and
 * the hearth agent — as a deterministic docker-archive tarball, built with no registry and no daemon. The `server`
 * role adds every production dependency of hearth and the web dashboard, so the image runs `hearth server`
 * (and the api and engine roles) too.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
  /** Busybox only: no node, no agent (same as `role: 'minimal'`). */
  minimal?: boolean;
  /** `agent` (default): the agent's packages; `server`: every production dependency and the dashboard. */
  role?: 'agent' | 'server' | 'minimal';
}

/** The production dependencies of the hearth at `hearthRoot` (its package.json `dependencies`). */
export async function serverPackages(hearthRoot: string): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(hearthRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(pkg.dependencies ?? {}).sort();
}

/** The command of each role's image. */
const ROLE_CMD: Record<'agent' | 'server' | 'minimal', string[]> = {
  minimal: ['/bin/sh'],
  agent: ['/usr/local/bin/hearth', 'agent', '--config', '/etc/hearth/agent.json'],
  server: ['/usr/local/bin/hearth', 'server', '--listen', '0.0.0.0:8004', '--data-dir', '/var/lib/hearth'],
};

/** Builds the golden image; returns its tarball, sha256 and image id. */
export async function buildGoldenImage(options: GoldenImageOptions): Promise<BuiltArchive> {
  const work = await mkdtemp(join(tmpdir(), 'hearth-golden-'));
  try {
    const rootfs = join(work, 'rootfs');
    const role = options.minimal ? 'minimal' : (options.role ?? 'agent');
    await busyboxRootfs(rootfs, options.cacheDir);
    if (role !== 'minimal') {
      await addNode(rootfs);
      const server = role === 'server';
      const packages = server ? await serverPackages(options.hearthRoot) : AGENT_PACKAGES;
      await addHearthAgent(rootfs, options.hearthRoot, packages, { keepWeb: server });
    }
    const layer = join(work, 'layer.tar');
    await packRootfs(rootfs, layer);
    return await writeImageArchive(
      layer,
      {
        tag: options.tag,
        cmd: ROLE_CMD[role],
        env: ['PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin'],
        labels: { 'org.hearth.image': role === 'minimal' ? 'busybox' : role },
      },
      options.output,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
