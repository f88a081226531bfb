/** DockerInc::Docker::Container properties: docker-py's short forms read into Docker's, tenant hazards refused. */
import { describe, expect, it } from 'vitest';
import { HeatError } from '../../template/errors.js';
import { containerOptions } from './docker-container-properties.js';

function problem(properties: Record<string, unknown>): string {
  try {
    containerOptions({ image: 'app:1', ...properties }, 'web');
  } catch (err) {
    if (err instanceof HeatError) return err.message;
    throw err;
  }
  return '';
}

describe('containerOptions', () => {
  it("maps heat_docker's properties onto Docker's create options", () => {
    expect(
      containerOptions(
        {
          image: 'app:1',
          name: 'web',
          cmd: ['nc', '-ll', '-p', 8080],
          env: ['A=1'],
          dns: ['10.0.0.2'],
          hostname: 'h',
          user: '1000',
          tty: true,
          open_stdin: true,
          stdin_once: true,
          memory: 64 * 1024 * 1024,
          port_specs: ['8080', '53/udp'],
          port_bindings: { '80': 8080, '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '8443' }, '9443'] },
          volumes: { '/data': {} },
          restart_policy: { Name: 'on-failure', MaximumRetryCount: '2' },
          links: { db: 'database', cache: null },
        },
        'web',
      ),
    ).toEqual({
      image: 'app:1',
      cmd: ['nc', '-ll', '-p', '8080'],
      env: ['A=1'],
      dns: ['10.0.0.2'],
      hostname: 'h',
      user: '1000',
      tty: true,
      openStdin: true,
      stdinOnce: true,
      limits: { NanoCpus: 0, Memory: 64 * 1024 * 1024 },
      exposedPorts: ['8080/tcp', '53/udp'],
      portBindings: {
        '80/tcp': [{ HostPort: '8080' }],
        '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '8443' }, { HostPort: '9443' }],
      },
      volumes: ['/data'],
      restartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 },
      links: { db: 'database', cache: 'cache' },
      alias: 'web',
      init: false,
    });
  });

  it('keeps the minimal container minimal (unknown values in validation are null)', () => {
    expect(containerOptions({ image: 'app:1', cmd: [], volumes: null, memory: 0 }, 'web')).toEqual({
      image: 'app:1',
      init: false,
    });
  });

  it('refuses what a tenant must not have on a shared host', () => {
    expect(problem({ privileged: true })).toBe(
      'Property error: resources.web.properties.privileged: privileged containers are not allowed on a shared host',
    );
    expect(problem({ docker_endpoint: 'unix:///other.sock' })).toContain(
      "docker_endpoint: containers run on Hearth's own dockerd",
    );
    expect(problem({ volumes_from: ['other'] })).toContain('volumes_from: another container');
    expect(problem({ volumes: { '/data': { bind: '/etc', ro: true } } })).toContain(
      'volumes: "/data": host bind mounts are not allowed on a shared host',
    );
    expect(problem({ volumes: { '/data': '/etc' } })).toContain('host bind mounts are not allowed');
  });

  it('names the property and the value for bad ports, policies, names and sizes', () => {
    expect(problem({ port_specs: ['http'] })).toBe(
      'Property error: resources.web.properties.port_specs: "http" is not a port; expected 1-65535, optionally with /tcp, /udp or /sctp',
    );
    expect(problem({ port_bindings: { '0': 80 } })).toContain('port_bindings: "0" is not a port');
    expect(problem({ port_bindings: { '80': { HostPort: '80', Proto: 'tcp' } } })).toBe(
      'Property error: resources.web.properties.port_bindings.80: unknown keys Proto; allowed: HostIp, HostPort',
    );
    expect(problem({ port_bindings: { '80': true } })).toContain(
      'port_bindings.80: true is not a host port; expected a port, {HostIp, HostPort} or a list of those',
    );
    expect(problem({ restart_policy: { Name: 'always', MaximumRetryCount: -1 } })).toContain(
      'restart_policy.MaximumRetryCount: -1 is not a count; expected an integer ≥ 0',
    );
    expect(problem({ name: 'no spaces' })).toContain('name: "no spaces" is not a container name');
    expect(problem({ links: { 'a b': 'c' } })).toContain('links: {"a b":"c"}: link targets and aliases');
    expect(problem({ memory: 1024 })).toContain("memory: 1024 bytes is below Docker's minimum of 6 MiB");
    expect(problem({ volumes: { data: {} } })).toContain('volumes: "data" is not an absolute container path');
  });
});
