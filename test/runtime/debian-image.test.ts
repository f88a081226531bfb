/**
 * An image from Debian packages (`hearth image build --debian`): built twice from the same packages it is the same
 * bytes (deterministic tar, so the same sha256 and image id); it holds the package's dependency closure without
 * the install-only packages and documentation, busybox, the users and files asked for.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDebCache } from '../../src/runtime/images/deb-cache.js';
import { buildDebianImage, type DebianImageSpec } from '../../src/runtime/images/debian-image.js';

const hasApt = existsSync('/usr/bin/apt-get') && existsSync('/usr/bin/dpkg-deb');

describe.skipIf(!hasApt)('Debian package images', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds the same bytes twice: closure, no docs, users and files, busybox', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-debian-image-'));
    const spec: DebianImageSpec = {
      tag: 'appl-test/haproxy:1',
      packages: ['haproxy'],
      users: [{ name: 'haproxy', uid: 990, home: '/var/lib/haproxy' }],
      files: [
        { path: '/usr/local/bin/start', content: '#!/bin/sh\nexec haproxy -db -f "$1"\n', mode: 0o755 },
      ],
      cmd: ['/usr/local/bin/start'],
    };
    const first = await buildDebianImage(spec, join(dir, 'a.tar'), defaultDebCache());
    const second = await buildDebianImage(spec, join(dir, 'b.tar'), defaultDebCache());
    expect(second.sha256).toBe(first.sha256);
    expect(second.id).toBe(first.id);
    const names = first.debs.map((d) => d.name);
    expect(names).toContain('haproxy');
    expect(names).toContain('libc6');
    for (const installOnly of ['adduser', 'dpkg', 'debconf', 'init-system-helpers'])
      expect(names).not.toContain(installOnly);

    execFileSync('tar', ['-xf', first.path, '-C', dir]);
    const layer = join(dir, first.diffId.slice('sha256:'.length), 'layer.tar');
    const listing = execFileSync('tar', ['-tvf', layer], { maxBuffer: 64 * 1024 * 1024 }).toString();
    const entry = (path: string): string | undefined =>
      listing.split('\n').find((l) => l.endsWith(` ./${path}`) || l.includes(` ./${path} -> `));
    expect(entry('usr/sbin/haproxy')).toMatch(/^-rwxr-xr-x 0\/0 .* 1970-01-01 00:00 /);
    expect(entry('bin/busybox')).toBeDefined();
    expect(entry('var/run')).toMatch(/ -> \/run$/);
    expect(entry('usr/local/bin/start')).toMatch(/^-rwxr-xr-x 0\/0 /);
    expect(listing).not.toContain('./usr/share/doc/');
    const passwd = execFileSync('tar', ['-xOf', layer, './etc/passwd']).toString();
    expect(passwd).toContain('haproxy:x:990:990:haproxy:/var/lib/haproxy:/bin/sh');
    console.log(`haproxy image: ${(first.size / 1e6).toFixed(1)} MB, ${names.length} packages`);
  }, 120_000);
});
