/**
 * Test support for the runtime: a reachable dockerd (started as container-runtime.md says when it is installed but
 * not running) and a small busybox image built locally as a deterministic docker-archive — no registry.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { connectDocker, dockerReachable } from '../../src/runtime/docker.js';
import { writeImageArchive, type BuiltArchive } from '../../src/runtime/images/archive.js';
import { busyboxRootfs, packRootfs } from '../../src/runtime/images/rootfs.js';
import { BIN, freePort, runNode, startHearth, type HearthProcess } from '../helpers/hearth.js';

/** Cache of downloaded .debs and built archives shared by the runtime tests. */
export const RUNTIME_CACHE = process.env['HEARTH_RUNTIME_CACHE'] ?? join(tmpdir(), 'hearth-runtime-cache');

/**
 * A client for a running dockerd. Starts `/usr/sbin/dockerd` when it is installed but not answering; returns
 * undefined (and says so loudly) only when there is no docker at all — CI installs it, so there it never skips.
 */
export async function ensureDocker(): Promise<Docker | undefined> {
  const docker = connectDocker();
  if (await dockerReachable(docker)) return docker;
  if (!existsSync('/usr/sbin/dockerd')) {
    console.warn(
      'SKIPPING runtime tests: no dockerd on this machine (apt-get install docker.io; see .ci/run)',
    );
    return undefined;
  }
  const runDir = join(tmpdir(), 'hearth-dockerd');
  mkdirSync(runDir, { recursive: true });
  const log = openSync(join(runDir, 'dockerd.log'), 'a');
  spawn('/usr/sbin/dockerd', ['-p', join(runDir, 'dockerd.pid')], {
    detached: true,
    stdio: ['ignore', log, log],
  }).unref();
  for (let i = 0; i < 300; i++) {
    if (await dockerReachable(docker)) return docker;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dockerd did not answer within 30 s; see ${join(runDir, 'dockerd.log')}`);
}

/**
 * Builds (once per tag, cached) the busybox test image as a docker-archive; `marker` is written to /marker so
 * that different tags are different images.
 */
export async function busyboxArchive(tag = 'hearth-test/busybox:1', marker = tag): Promise<BuiltArchive> {
  const work = await mkdtemp(join(tmpdir(), 'hearth-bb-'));
  try {
    const rootfs = join(work, 'rootfs');
    await busyboxRootfs(rootfs, RUNTIME_CACHE);
    execFileSync('sh', ['-c', 'printf "%s\\n" "$1" > "$2"', 'sh', marker, join(rootfs, 'marker')]);
    const layer = join(work, 'layer.tar');
    await packRootfs(rootfs, layer);
    const out = join(RUNTIME_CACHE, `${tag.replace(/[^a-zA-Z0-9_.-]/g, '_')}.tar`);
    return await writeImageArchive(layer, { tag, cmd: ['/bin/sh'] }, out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Removes every container carrying `label` (any value), with its anonymous volumes. */
export async function removeLabelled(docker: Docker, label: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
}

/**
 * Builds a small busybox image per `[tag, marker]` and imports each through the real verifying path
 * (`hearth image import … --sha256 … --registry REGISTRY`). @throws Error with the command's output when one fails.
 */
export async function importBusyboxImages(
  registry: string,
  images: readonly (readonly [tag: string, marker: string])[],
): Promise<void> {
  for (const [tag, marker] of images) {
    const archive = await busyboxArchive(tag, marker);
    const r = await runNode([
      BIN,
      'image',
      'import',
      archive.path,
      '--sha256',
      archive.sha256,
      '--registry',
      registry,
    ]);
    if (r.code !== 0) throw new Error(`hearth image import ${tag} failed (${r.code}):\n${r.output}`);
  }
}

/**
 * Starts `hearth server --container-servers` on all addresses of a free port, its public URL on the docker bridge's
 * gateway (so agents inside containers reach it), with the verified image registry `registry`.
 */
export async function startContainerHearth(
  docker: Docker,
  registry: string,
  networkPrefix: string,
): Promise<HearthProcess> {
  const port = await freePort();
  const bridge = await docker.getNetwork('bridge').inspect();
  const hostIp = String(bridge.IPAM?.Config?.[0]?.Gateway ?? '172.17.0.1');
  return startHearth({
    port,
    extraArgs: [
      '--listen',
      `0.0.0.0:${port}`,
      '--public-url',
      `http://${hostIp}:${port}`,
      '--container-servers',
      '--container-network-prefix',
      networkPrefix,
    ],
    env: { HEARTH_IMAGE_REGISTRY: registry },
  });
}
