import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { buildProgram } from '../main.js';
import { parseCommandOption, parseFileOption, parseUserOption } from './image-build.js';

describe('hearth image build options', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-image-build-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--cmd: a JSON array, or a command line for /bin/sh -c', () => {
    expect(parseCommandOption('["/usr/sbin/haproxy", "-db"]')).toEqual(['/usr/sbin/haproxy', '-db']);
    expect(parseCommandOption('exec haproxy -db')).toEqual(['/bin/sh', '-c', 'exec haproxy -db']);
    expect(() => parseCommandOption('[1, 2]')).toThrow(
      '--cmd: expected a non-empty JSON array of strings, got [1, 2]',
    );
    expect(() => parseCommandOption('["a",')).toThrow(/^--cmd: not a JSON array: /);
    expect(() => parseCommandOption('  ')).toThrow('--cmd: empty command');
  });

  it('--user NAME:UID[:HOME] and --file SRC:DEST[:MODE]', async () => {
    expect(parseUserOption('postgres:999:/var/lib/postgresql')).toEqual({
      name: 'postgres',
      uid: 999,
      home: '/var/lib/postgresql',
    });
    expect(() => parseUserOption('postgres:0')).toThrow(
      '--user: expected NAME:UID[:HOME] with UID 1-65533, got "postgres:0"',
    );
    const script = join(dir, 'start.sh');
    await writeFile(script, '#!/bin/sh\n');
    expect(await parseFileOption(`${script}:/usr/local/bin/start:0755`)).toEqual({
      path: '/usr/local/bin/start',
      content: '#!/bin/sh\n',
      mode: 0o755,
    });
    await expect(parseFileOption(`${script}:relative`)).rejects.toThrow(
      `--file: expected SRC:DEST[:MODE] (DEST absolute, MODE octal), got "${script}:relative"`,
    );
    await expect(parseFileOption(`${dir}/missing:/x`)).rejects.toThrow(
      /^--file: cannot read .*missing: ENOENT/,
    );
  });

  it('refuses option combinations that do not fit, before building anything', async () => {
    const failure = async (...args: string[]): Promise<string> => {
      const io: CliIo = { out: () => undefined, err: () => undefined, env: {} };
      const error = await buildProgram(io)
        .parseAsync(['node', 'hearth', 'image', 'build', ...args], { from: 'node' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      return (error as Error).message;
    };
    expect(await failure('--debian', 'haproxy')).toBe(
      '--tag is required with --debian (e.g. --tag hearth/postgres:15)',
    );
    expect(await failure('--debian', 'haproxy', '--tag', 'a/b:1', '--role', 'server')).toBe(
      '--debian builds a Debian image: --minimal and --role do not apply',
    );
    expect(await failure('--exclude', 'perl', '--cmd', 'true')).toBe('--exclude, --cmd need --debian');
    expect(await failure('--role', 'database')).toBe('--role: expected agent or server, got "database"');
    expect(await failure('--output-dir', dir)).toBe('--output-dir needs --recipe');
    expect(await failure('--recipe', 'r.yaml', '--tag', 'a/b:1', '--debian', 'haproxy')).toBe(
      '--recipe builds the images its file describes; drop --debian, --tag',
    );
    expect(await failure('--recipe', 'r.yaml')).toBe('--recipe needs --output-dir <dir>');
    expect(await failure('--recipe', join(dir, 'none.yaml'), '--output-dir', dir)).toMatch(
      /^image recipe .*none\.yaml is not valid:\n {2}ENOENT/,
    );
  });
});
