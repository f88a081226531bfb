/**
 * The pod runner against the real dockerd, with a busybox image built locally: a two-container pod with an init
 * container, shared emptyDir and network namespace, HTTP through a hostPort, readiness and liveness probes;
 * Heat's v1beta2 manifest; adoption by label after a runner restart; replacement and removal; image missing,
 * exit codes, OOMKilled, restarts by policy, stats; pods the host refuses.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importImage } from '../../src/runtime/images/import.js';
import { ImageRegistry } from '../../src/runtime/images/registry.js';
import {
  LABEL,
  parsePodManifest,
  PodRunner,
  verifiedImages,
  type PodSpec,
  type PodStatus,
} from '../../src/runtime/pods/index.js';
import { freePort } from '../helpers/hearth.js';
import { busyboxArchive, ensureDocker, removeLabelled } from './docker-env.js';

const docker: Docker | undefined = await ensureDocker();
const IMAGE = 'hearth-test/busybox:pods';
const RUNNER = `test-pods-${process.pid}`;
/** Four free host ports, distinct (all probed at once). */
const PORTS = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
const port = (i: number): number => PORTS[i]!;

describe.skipIf(!docker)('pod runner (real dockerd)', () => {
  let dir: string;
  let runner: PodRunner;
  let registry: ImageRegistry;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-pods-'));
    registry = new ImageRegistry(join(dir, 'images.json'));
    const archive = await busyboxArchive(IMAGE, 'pods test');
    await importImage(docker!, registry, archive.path, archive.sha256);
    runner = newRunner();
  });
  afterAll(async () => {
    if (docker) await removeLabelled(docker, `${LABEL.runner}=${RUNNER}`);
    await rm(dir, { recursive: true, force: true });
  });

  function newRunner(): PodRunner {
    return new PodRunner(docker!, {
      runnerId: RUNNER,
      infraImage: IMAGE,
      images: verifiedImages(docker!, registry),
      hostIp: '127.0.0.1',
      hostPathRoots: [dir],
      stopTimeoutSeconds: 1,
    });
  }

  /** Reconciles until `done(status)` holds for the pod `name`, at most `ms`. */
  async function until(
    desired: PodSpec[],
    name: string,
    done: (s: PodStatus) => boolean,
    ms = 15_000,
  ): Promise<PodStatus> {
    const end = Date.now() + ms;
    let last: PodStatus | undefined;
    while (Date.now() < end) {
      last = (await runner.reconcile(desired)).find((s) => s.name === name);
      if (last && done(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`pod ${name} never reached the expected state; last: ${JSON.stringify(last, null, 2)}`);
  }

  const webPod = (hostPort: number, extra: Record<string, unknown> = {}) =>
    parsePodManifest(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'ignored', labels: { 'org.hearth.stack': 'stack-1' } },
        spec: {
          restartPolicy: 'Always',
          initContainers: [
            {
              name: 'seed',
              image: IMAGE,
              command: ['sh', '-c', 'echo "from init $GREETING" > /data/index.html'],
              env: [{ name: 'GREETING', value: 'hi' }],
              volumeMounts: [{ name: 'content', mountPath: '/data' }],
            },
          ],
          containers: [
            {
              name: 'web',
              image: IMAGE,
              command: ['httpd', '-f', '-p', '8080', '-h', '/data'],
              ports: [{ name: 'http', containerPort: 8080, hostPort }],
              volumeMounts: [{ name: 'content', mountPath: '/data', readOnly: true }],
              resources: { limits: { memory: '32Mi', cpu: '250m' } },
              readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
              livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
            },
            {
              name: 'sidecar',
              image: IMAGE,
              command: ['sh', '-c'],
              args: ['while true; do wget -qO /tmp/got http://127.0.0.1:8080/ 2>/dev/null; sleep 0.2; done'],
              workingDir: '/tmp',
              readinessProbe: { exec: { command: ['grep', '-q', 'from init', '/tmp/got'] } },
            },
          ],
          volumes: [{ name: 'content', emptyDir: {} }],
          ...extra,
        },
      },
      'web',
      { 'org.hearth.project': 'p1' },
    );

  it('runs a pod: init container, shared emptyDir and localhost, HTTP through the hostPort, ready by probes', async () => {
    const pod = webPod(port(0));
    const status = await until([pod], 'web', (s) => s.ready);
    expect(status).toMatchObject({ phase: 'Running', ready: true });
    expect(status.initContainers[0]).toMatchObject({
      name: 'seed',
      state: 'terminated',
      exitCode: 0,
      reason: 'Completed',
    });
    expect(status.containers.map((c) => [c.name, c.state, c.ready])).toEqual([
      ['web', 'running', true],
      ['sidecar', 'running', true],
    ]);
    expect(await (await fetch(`http://127.0.0.1:${port(0)}/`)).text()).toBe('from init hi\n');
    const web = await docker!.getContainer(status.containers[0]!.containerId!).inspect();
    expect(web.HostConfig.Memory).toBe(32 * 1024 * 1024);
    expect(web.HostConfig.NanoCpus).toBe(250_000_000);
    expect(web.Config.Labels).toMatchObject({
      'org.hearth.project': 'p1',
      'org.hearth.stack': 'stack-1',
      [LABEL.pod]: 'web',
      [LABEL.role]: 'app',
    });
    const stats = await runner.stats();
    const webStats = stats.find((s) => s.pod === 'web' && s.container === 'web')!;
    expect(webStats.memoryBytes).toBeGreaterThan(0);
    expect(webStats.memoryLimitBytes).toBe(32 * 1024 * 1024);
    expect(webStats.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(webStats.restartCount).toBe(0);
  });

  it('adopts its containers after a restart (by label, no duplicates), replaces on change, removes what is not desired', async () => {
    const pod = webPod(port(0));
    const before = await docker!.listContainers({
      all: true,
      filters: { label: [`${LABEL.runner}=${RUNNER}`] },
    });
    runner = newRunner();
    const adopted = await runner.status();
    expect(adopted.map((s) => [s.name, s.phase])).toEqual([['web', 'Running']]);
    await until([pod], 'web', (s) => s.ready);
    const after = await docker!.listContainers({
      all: true,
      filters: { label: [`${LABEL.runner}=${RUNNER}`] },
    });
    expect(after.map((c) => c.Id).sort()).toEqual(before.map((c) => c.Id).sort());

    const changed = webPod(port(1));
    const replaced = await until([changed], 'web', (s) => s.ready);
    expect(replaced.containers[0]!.containerId).not.toBe(
      before.find((c) => c.Labels[LABEL.container] === 'web')?.Id,
    );
    expect(await (await fetch(`http://127.0.0.1:${port(1)}/`)).text()).toBe('from init hi\n');
    await expect(fetch(`http://127.0.0.1:${port(0)}/`)).rejects.toThrow();

    expect(await runner.reconcile([])).toEqual([]);
    expect(
      await docker!.listContainers({ all: true, filters: { label: [`${LABEL.runner}=${RUNNER}`] } }),
    ).toEqual([]);
    expect(
      (await docker!.listVolumes({ filters: { label: [`${LABEL.runner}=${RUNNER}`] } })).Volumes ?? [],
    ).toEqual([]);
  });

  it("runs Heat's v1beta2 container manifest", async () => {
    const pod = parsePodManifest(
      {
        version: 'v1beta2',
        containers: [
          {
            name: 'web',
            image: IMAGE,
            command: ['httpd', '-f', '-p', '80', '-h', '/www'],
            ports: [{ name: 'www', hostPort: port(2), containerPort: 80 }],
            env: [{ name: 'A', value: '1' }],
            workingDir: '/www',
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
          },
        ],
        volumes: [{ name: 'cache', source: { emptyDir: {} } }],
      },
      'beta',
    );
    await until([pod], 'beta', (s) => s.ready);
    expect(await (await fetch(`http://127.0.0.1:${port(2)}/`)).text()).toBe('hello from busybox httpd\n');
    await runner.reconcile([]);
  });

  it('reports what stops a container: image missing or unverified, exit code, OOMKilled; nothing is created for a missing image', async () => {
    const pods = [
      parsePodManifest({ spec: { containers: [{ name: 'a', image: 'hearth-test/absent:1' }] } }, 'missing'),
      parsePodManifest(
        {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'a', image: IMAGE, command: ['sh', '-c', 'echo bye; exit 3'] }],
          },
        },
        'crash',
      ),
      parsePodManifest(
        {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'hog',
                image: IMAGE,
                command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'],
                resources: { limits: { memory: '16Mi' } },
              },
            ],
          },
        },
        'oom',
      ),
    ];
    const missing = await until(pods, 'missing', (s) => s.phase === 'Pending');
    expect(missing.reason).toBe('ImageUnverified');
    expect(missing.containers[0]).toMatchObject({ state: 'waiting', reason: 'ImageUnverified' });
    expect(await docker!.listContainers({ all: true, filters: { label: [`${LABEL.pod}=missing`] } })).toEqual(
      [],
    );
    const crash = await until(pods, 'crash', (s) => s.phase === 'Failed');
    expect(crash.containers[0]).toMatchObject({
      state: 'terminated',
      exitCode: 3,
      reason: 'Error',
      message: 'exited with code 3',
    });
    // Docker sets State.OOMKilled from the kernel's OOM event, which can land just after the exit is visible.
    const oom = await until(
      pods,
      'oom',
      (s) => s.phase === 'Failed' && s.containers[0]?.reason === 'OOMKilled',
    );
    expect(oom.containers[0]).toMatchObject({ state: 'terminated', exitCode: 137, reason: 'OOMKilled' });

    const local = new PodRunner(docker!, { runnerId: RUNNER, infraImage: IMAGE, hostIp: '127.0.0.1' });
    const [absent] = await local.reconcile([pods[0]!]);
    expect(absent).toMatchObject({ phase: 'Pending', reason: 'ImageMissing' });
    expect(absent!.message).toContain('Hearth never pulls');
    await runner.reconcile([]);
  });

  it('restarts by policy (OnFailure) and after liveness failures; reports readiness failures', async () => {
    const pods = [
      parsePodManifest(
        {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [{ name: 'flaky', image: IMAGE, command: ['sh', '-c', 'sleep 0.3; exit 1'] }],
          },
        },
        'flaky',
      ),
      parsePodManifest(
        {
          spec: {
            containers: [
              {
                name: 'zombie',
                image: IMAGE,
                command: ['sleep', '1000'],
                livenessProbe: {
                  exec: { command: ['test', '-f', '/tmp/alive'] },
                  periodSeconds: 1,
                  failureThreshold: 2,
                },
                readinessProbe: { httpGet: { path: '/', port: 9999 }, timeoutSeconds: 1 },
              },
            ],
          },
        },
        'sick',
      ),
    ];
    const flaky = await until(pods, 'flaky', (s) => (s.containers[0]?.restartCount ?? 0) >= 2);
    expect(flaky.containers[0]!.restartCount).toBeGreaterThanOrEqual(2);
    const sick = await until(pods, 'sick', (s) => (s.containers[0]?.restartCount ?? 0) >= 1, 20_000);
    expect(sick.ready).toBe(false);
    expect(sick.containers[0]!.reason).toMatch(/ReadinessProbeFailed|LivenessProbeFailed/);
    const [, again] = await runner.status();
    expect(again!.containers[0]!.message).toMatch(/probe/);
    await runner.reconcile([]);
  });

  it('refuses pods the host cannot run: hostPath outside the allowed roots, a hostPort another pod holds', async () => {
    await writeFile(join(dir, 'page.html'), 'from host\n');
    const ok = parsePodManifest(
      {
        spec: {
          containers: [
            {
              name: 'web',
              image: IMAGE,
              command: ['httpd', '-f', '-p', '80', '-h', '/www'],
              ports: [{ containerPort: 80, hostPort: port(3) }],
              volumeMounts: [{ name: 'www', mountPath: '/www', readOnly: true }],
            },
          ],
          volumes: [{ name: 'www', hostPath: { path: dir } }],
        },
      },
      'host-a',
    );
    const clash = parsePodManifest(
      {
        spec: {
          containers: [{ name: 'x', image: IMAGE, ports: [{ containerPort: 81, hostPort: port(3) }] }],
        },
      },
      'host-b',
    );
    const outside = parsePodManifest(
      {
        spec: {
          containers: [{ name: 'x', image: IMAGE, volumeMounts: [{ name: 'etc', mountPath: '/h' }] }],
          volumes: [{ name: 'etc', hostPath: { path: '/etc' } }],
        },
      },
      'host-c',
    );
    const statuses = await runner.reconcile([ok, clash, outside]);
    expect(statuses[1]).toMatchObject({ phase: 'Failed', reason: 'PortConflict' });
    expect(statuses[1]!.message).toContain('already used by pod host-a');
    expect(statuses[2]).toMatchObject({ phase: 'Failed', reason: 'VolumeNotAllowed' });
    await until([ok, clash, outside], 'host-a', (s) => s.ready);
    expect(await (await fetch(`http://127.0.0.1:${port(3)}/page.html`)).text()).toBe('from host\n');

    // converge changes nothing more; status reads only the pods asked for (unknown names are left out).
    await runner.converge([ok, clash, outside]);
    const some = await runner.status({ pods: ['host-a', 'host-b', 'not-desired'] });
    expect(some.map((s) => [s.name, s.phase, s.ready])).toEqual([
      ['host-a', 'Running', true],
      ['host-b', 'Failed', false],
    ]);
    expect((await runner.status({ pods: ['host-a'] }))[0]!.containers[0]!.containerId).toBe(
      (await runner.status())[0]!.containers[0]!.containerId,
    );
    await runner.reconcile([]);
  });
});
