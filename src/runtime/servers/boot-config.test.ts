/** Boot-time configuration: scripts, #cloud-config and multipart MIME planned exactly; unsupported input listed. */
import { describe, expect, it } from 'vitest';
import { bootPlan, mimeParts } from './boot-config.js';

/** A multipart MIME message as OS::Heat::MultipartMime writes it (Python's email package). */
function multipart(parts: { type: string; body: string; base64?: boolean }[], boundary = '===abc=='): string {
  const sections = parts.map((p) =>
    [
      `Content-Type: ${p.type}; charset="us-ascii"`,
      'MIME-Version: 1.0',
      `Content-Transfer-Encoding: ${p.base64 ? 'base64' : '7bit'}`,
      'Content-Disposition: attachment; filename="part"',
      '',
      p.base64
        ? Buffer.from(p.body)
            .toString('base64')
            .replace(/(.{76})/g, '$1\n')
        : p.body,
    ].join('\n'),
  );
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    'MIME-Version: 1.0',
    '',
    ...sections.flatMap((s) => [`--${boundary}`, s]),
    `--${boundary}--`,
    '',
  ].join('\n');
}

describe('bootPlan', () => {
  it('plans nothing for empty user data', () => {
    expect(bootPlan('  \n')).toEqual({ files: [], users: [], commands: [], scripts: [], unsupported: [] });
  });

  it('runs a #! script as one script', () => {
    const plan = bootPlan('#!/bin/sh\necho hi\n');
    expect(plan.scripts).toEqual(['#!/bin/sh\necho hi\n']);
    expect(plan.unsupported).toEqual([]);
  });

  it('reports plain text that is neither a script nor a cloud-config', () => {
    expect(bootPlan('hello').unsupported).toEqual([
      'user_data part of type text/plain (only scripts starting with #!, #cloud-config and multipart MIME are applied)',
    ]);
  });

  it('reads write_files (text and base64, permissions, append), users and runcmd', () => {
    const plan = bootPlan(
      [
        '#cloud-config',
        'write_files:',
        '  - {path: /etc/a, content: "plain\\n", permissions: "0600"}',
        `  - {path: /etc/b, encoding: b64, content: ${Buffer.from('decoded\n').toString('base64')}, append: true}`,
        `  - {path: /etc/c, encoding: base64, content: ${Buffer.from('c').toString('base64')}, permissions: 0755}`,
        'users:',
        '  - default',
        '  - {name: deploy, ssh_authorized_keys: ["ssh-ed25519 AAA k"]}',
        '  - ops',
        'runcmd:',
        '  - echo one',
        '  - [touch, /tmp/two]',
      ].join('\n'),
    );
    expect(plan.files).toEqual([
      { path: '/etc/a', content: 'plain\n', permissions: '0600', append: false },
      { path: '/etc/b', content: 'decoded\n', permissions: '0644', append: true },
      // YAML 1.1 as cloud-init reads it: 0755 is the octal number 493, written back in octal
      { path: '/etc/c', content: 'c', permissions: '755', append: false },
    ]);
    expect(plan.users).toEqual([
      { name: 'deploy', sshAuthorizedKeys: ['ssh-ed25519 AAA k'] },
      { name: 'ops', sshAuthorizedKeys: [] },
    ]);
    expect(plan.commands).toEqual(['echo one', ['touch', '/tmp/two']]);
    expect(plan.unsupported).toEqual([]);
  });

  it('lists every unsupported key and bad entry with its index and value', () => {
    const plan = bootPlan(
      [
        '#cloud-config',
        'packages: [curl]',
        'bootcmd: [x]',
        'write_files:',
        '  - {path: relative, content: x}',
        '  - {path: /etc/gz, encoding: gzip, content: x}',
        'users:',
        '  - {name: Bad Name}',
      ].join('\n'),
    );
    expect(plan.unsupported).toEqual([
      'cloud-config key "packages" (supported: write_files, runcmd, users)',
      'cloud-config key "bootcmd" (supported: write_files, runcmd, users)',
      'write_files[0]: path must be an absolute path, got "relative"',
      'write_files[1]: encoding "gzip" (supported: text/plain, b64, base64)',
      'users: a user needs a name of lower-case letters, digits, _ or -, got "Bad Name"',
    ]);
    expect(plan.files).toEqual([]);
    expect(plan.users).toEqual([]);
  });

  it('reports a cloud-config that is not YAML or not a map', () => {
    expect(bootPlan('#cloud-config\nkey: [unclosed\n').unsupported[0]).toMatch(
      /^#cloud-config is not valid YAML: /,
    );
    expect(bootPlan('#cloud-config\n- a\n- b\n').unsupported).toEqual([
      '#cloud-config must be a map, got a list',
    ]);
    expect(bootPlan('#cloud-config\n').unsupported).toEqual([]);
  });

  it('applies the parts of multipart MIME in order: 7bit and base64 bodies, unknown types reported', () => {
    const message = multipart([
      { type: 'text/cloud-config', body: '#cloud-config\nruncmd: [echo mime]\nntp: {}\n' },
      { type: 'text/x-shellscript', body: '#!/bin/sh\necho script\n', base64: true },
      { type: 'text/x-include-url', body: 'http://example.com/x' },
    ]);
    const plan = bootPlan(message);
    expect(plan.commands).toEqual(['echo mime']);
    expect(plan.scripts).toEqual(['#!/bin/sh\necho script\n']);
    expect(plan.unsupported).toEqual([
      'cloud-config key "ntp" (supported: write_files, runcmd, users)',
      'user_data part of type text/x-include-url (only scripts starting with #!, #cloud-config and multipart MIME are applied)',
    ]);
  });

  it('sniffs text/plain parts by their first line', () => {
    const plan = bootPlan(
      multipart([
        { type: 'text/plain', body: '#!/bin/sh\necho sniffed' },
        { type: 'text/plain', body: '#cloud-config\nruncmd: [echo cc]' },
      ]),
    );
    expect(plan.scripts).toEqual(['#!/bin/sh\necho sniffed']);
    expect(plan.commands).toEqual(['echo cc']);
  });
});

describe('mimeParts', () => {
  it('flattens nested multiparts and handles CRLF line ends', () => {
    const inner = multipart([{ type: 'text/x-shellscript', body: '#!/bin/sh\necho inner' }], 'inner');
    const outer = multipart(
      [
        { type: 'text/cloud-config', body: '#cloud-config\n{}' },
        { type: `multipart/mixed; boundary="inner"`, body: inner.split('\n\n').slice(1).join('\n\n') },
      ],
      'outer',
    ).replace(/\n/g, '\r\n');
    const parts = mimeParts(outer);
    expect(parts.map((p) => p.contentType)).toEqual(['text/cloud-config', 'text/x-shellscript']);
    expect(parts[1]!.text).toBe('#!/bin/sh\r\necho inner');
  });

  it('treats a message without a boundary as a single part', () => {
    expect(mimeParts('Content-Type: text/x-shellscript\n\n#!/bin/sh\n')).toEqual([
      { contentType: 'text/x-shellscript', text: '#!/bin/sh\n' },
    ]);
  });
});
