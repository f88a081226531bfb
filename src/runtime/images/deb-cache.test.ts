import { describe, expect, it } from 'vitest';
import { parsePrintUris } from './deb-cache.js';

describe('parsePrintUris', () => {
  it('reads apt-get download --print-uris lines (URL, file name, size, sha256) and nothing else', () => {
    const sha = 'ba4f88f73dbc3ae9055f3c20f4523bfdbaf1ad13ff95e258924f77d20b4fbedf';
    const text =
      `'http://deb.debian.org/debian/pool/main/g/glibc/libc6_2.36-9%2bdeb12u14_amd64.deb' ` +
      `libc6_2.36-9+deb12u14_amd64.deb 2759320 SHA256:${sha}\n` +
      `'http://deb.debian.org/debian/pool/main/b/busybox/busybox-static_1%3a1.35.0-4%2bb3_amd64.deb' ` +
      `busybox-static_1%3a1.35.0-4+b3_amd64.deb 12 SHA256:${'0'.repeat(64)}\n` +
      'W: Download is performed unsandboxed as root\n';
    expect(parsePrintUris(text)).toEqual([
      {
        url: 'http://deb.debian.org/debian/pool/main/g/glibc/libc6_2.36-9%2bdeb12u14_amd64.deb',
        filename: 'libc6_2.36-9+deb12u14_amd64.deb',
        name: 'libc6',
        size: 2759320,
        sha256: sha,
      },
      expect.objectContaining({
        name: 'busybox-static',
        filename: 'busybox-static_1%3a1.35.0-4+b3_amd64.deb',
      }),
    ]);
  });
});
