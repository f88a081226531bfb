/** Pod manifests: both formats read into the same model; every problem reported with its path and value. */
import { describe, expect, it } from 'vitest';
import { parsePodManifest } from './manifest.js';
import { PodManifestError } from './reader.js';
import { parseCpu, parseMemory } from './quantity.js';

function problems(manifest: unknown, name = 'pod'): string[] {
  try {
    parsePodManifest(manifest, name);
  } catch (err) {
    if (err instanceof PodManifestError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('parsePodManifest', () => {
  it("reads Heat's v1beta2 container manifest", () => {
    const pod = parsePodManifest(
      {
        version: 'v1beta2',
        containers: [
          {
            name: 'db',
            image: 'mysql:5',
            command: ['mysqld'],
            ports: [{ name: 'mysql', hostPort: 3306, containerPort: 3306 }],
            env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'x' }],
            volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }],
            workingDir: '/',
            memory: 67108864,
            cpu: 500,
          },
        ],
        volumes: [{ name: 'data', source: { hostDir: { path: '/srv/db' } } }],
        restartPolicy: { onFailure: {} },
      },
      'c0ffee',
      { 'org.hearth.project': 'p' },
    );
    expect(pod).toEqual({
      name: 'c0ffee',
      restartPolicy: 'OnFailure',
      initContainers: [],
      containers: [
        {
          name: 'db',
          image: 'mysql:5',
          cmd: ['mysqld'],
          workingDir: '/',
          env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'x' }],
          ports: [{ name: 'mysql', containerPort: 3306, hostPort: 3306, protocol: 'tcp', hostIP: undefined }],
          volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql', readOnly: false }],
          limits: { memoryBytes: 67108864, nanoCpus: 500_000_000 },
        },
      ],
      volumes: [{ name: 'data', kind: 'hostPath', path: '/srv/db' }],
      labels: { 'org.hearth.project': 'p' },
    });
  });

  it('reads a Kubernetes v1 Pod: command/args, limits, probes, init containers, volumes', () => {
    const pod = parsePodManifest(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'x', labels: { app: 'web' } },
        spec: {
          restartPolicy: 'Never',
          initContainers: [{ name: 'init', image: 'bb', command: ['true'] }],
          containers: [
            {
              name: 'web',
              image: 'bb@sha256:' + 'a'.repeat(64),
              command: ['httpd'],
              args: ['-f'],
              resources: { limits: { memory: '64Mi', cpu: '250m' } },
              livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 2 },
              readinessProbe: {
                httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
                periodSeconds: 3,
              },
              ports: [{ name: 'http', containerPort: 80, protocol: 'UDP' }],
            },
          ],
          volumes: [{ name: 'scratch', emptyDir: {} }],
        },
      },
      'web-1',
    );
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.labels).toEqual({ app: 'web' });
    expect(pod.initContainers[0]?.entrypoint).toEqual(['true']);
    const web = pod.containers[0]!;
    expect([web.entrypoint, web.cmd]).toEqual([['httpd'], ['-f']]);
    expect(web.limits).toEqual({ memoryBytes: 64 * 1024 * 1024, nanoCpus: 250_000_000 });
    expect(web.livenessProbe).toEqual({
      kind: 'tcp',
      port: 80,
      initialDelaySeconds: 2,
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 3,
    });
    expect(web.readinessProbe).toMatchObject({
      kind: 'http',
      path: '/healthz',
      port: 'http',
      scheme: 'http',
      periodSeconds: 3,
    });
    expect(web.ports[0]?.protocol).toBe('udp');
    expect(pod.volumes).toEqual([{ name: 'scratch', kind: 'emptyDir' }]);
  });

  it('lists every problem with its path and the value received', () => {
    expect(
      problems(
        {
          spec: {
            restartPolicy: 'Sometimes',
            containers: [
              { name: 'Web', image: 'a b', ports: [{ containerPort: 70000, hostPort: 80 }], tty: true },
              {
                name: 'two',
                image: 'x',
                ports: [{ containerPort: 1, hostPort: 80 }],
                volumeMounts: [{ name: 'nope', mountPath: 'rel' }],
              },
              {
                name: 'three',
                image: 'x',
                resources: { limits: { memory: 'lots' } },
                imagePullPolicy: 'Always',
                livenessProbe: {},
              },
            ],
            volumes: [{ name: 'v', nfs: {} }],
          },
        },
        'Bad_Name',
      ),
    ).toEqual([
      'name: pod name "Bad_Name" is not allowed (lower-case letters, digits and -, at most 63, starting and ending alphanumeric)',
      'spec.restartPolicy: "Sometimes" is not allowed (Always, OnFailure or Never)',
      'spec.containers[0].tty: unknown field (allowed: name, image, command, args, workingDir, ports, env, volumeMounts, resources, livenessProbe, readinessProbe, imagePullPolicy)',
      'spec.containers[0].name: "Web" is not allowed (lower-case letters, digits and -, at most 63, starting and ending alphanumeric)',
      'spec.containers[0].image: "a b" is not allowed (an image reference without spaces)',
      'spec.containers[0].ports[0].containerPort: must be an integer from 1 to 65535, got 70000',
      'spec.containers[1].volumeMounts[0].mountPath: "rel" is not allowed (an absolute path)',
      'spec.containers[2].imagePullPolicy: "Always" is not supported: Hearth never pulls (use Never or IfNotPresent)',
      'spec.containers[2].resources.limits.memory: "lots" is not a memory quantity of at least 6Mi (e.g. 64Mi, 1Gi)',
      'spec.containers[2].livenessProbe: needs exactly one of exec, httpGet, tcpSocket, got none',
      'spec.volumes[0].nfs: unknown field (allowed: name, hostPath, emptyDir)',
      'spec.volumes[0]: needs hostPath or emptyDir (the only volume types supported)',
    ]);
  });

  it('catches clashes inside a pod: names, host ports, mounts of undeclared volumes', () => {
    expect(
      problems({
        version: 'v1beta2',
        containers: [
          { name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] },
          {
            name: 'a',
            image: 'x',
            ports: [{ containerPort: 81, hostPort: 8080 }],
            volumeMounts: [{ name: 'v', mountPath: '/v' }],
          },
        ],
      }),
    ).toEqual([
      'containers: container name "a" is used twice',
      'containers[a].volumeMounts: names volume "v", which the pod does not declare',
      'containers[a].ports: hostPort 8080/tcp is also used by container a',
    ]);
    expect(problems({ version: 'v1beta3', containers: [] })).toEqual([
      'version: must be v1beta2 (or v1beta1), got "v1beta3"',
      'containers: needs at least one container',
    ]);
  });
});

describe('quantities', () => {
  it('reads memory and CPU as Kubernetes writes them', () => {
    expect([
      parseMemory('64Mi'),
      parseMemory('1G'),
      parseMemory(1024),
      parseMemory('1.5Ki'),
      parseMemory('x'),
    ]).toEqual([67108864, 1e9, 1024, 1536, undefined]);
    expect([parseCpu('500m'), parseCpu('2'), parseCpu(0.25), parseCpu('0'), parseCpu('1 cpu')]).toEqual([
      5e8,
      2e9,
      2.5e8,
      undefined,
      undefined,
    ]);
  });
});
