/**
 * The `--wait` loop against a real Hearth server (engine, SQLite store, HTTP API on a free port): failures are
 * shown while the stack is still in progress, nested stacks are counted, and the live view redraws in place.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start.js';
import type { CliIo } from '../io.js';
import { main } from '../main.js';

/** The escape character that starts ANSI sequences. */
const ESC = '\x1b';

/** A line written by the CLI and when. */
interface Written {
  text: string;
  atMs: number;
}

let server: RunningServer;
let endpoint: string;
let dir: string;
let out: Written[];
let err: Written[];

/** The CLI's io, recording when each line is written; a terminal of 100×30 when `tty`. */
const io = (tty: boolean): CliIo => ({
  out: (text) => out.push({ text, atMs: Date.now() }),
  err: (text) => err.push({ text, atMs: Date.now() }),
  env: {},
  ...(tty ? { terminal: () => ({ columns: 100, rows: 30 }) } : {}),
});

/** Runs `hearth …` against the server; resolves when the command ends, with that time. */
async function hearth(tty: boolean, ...args: string[]): Promise<number> {
  await main(['node', 'hearth', '--endpoint', endpoint, ...args], io(tty));
  return Date.now();
}

const FAILING = `heat_template_version: 2018-08-31
resources:
  bad:
    type: OS::Heat::TestResource
    properties: {fail: true, wait_secs: 0.5}
  slow:
    type: OS::Heat::TestResource
    properties: {wait_secs: 3}
`;

const NESTED = `heat_template_version: 2018-08-31
resources:
  grp:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def:
        type: OS::Heat::TestResource
        properties: {wait_secs: 0.3}
  solo:
    type: OS::Heat::None
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-cli-progress-'));
  server = await startServer({ listen: '127.0.0.1:0', dataDir: join(dir, 'data'), insecureNoauth: true });
  endpoint = `${server.url}/v1/progress`;
  await writeFile(join(dir, 'failing.yaml'), FAILING);
  await writeFile(join(dir, 'nested.yaml'), NESTED);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  out = [];
  err = [];
  process.exitCode = 0;
});

describe('--wait against a real server', () => {
  it('shows a failure on the live view while the stack is still in progress, then the summary', async () => {
    const ended = await hearth(
      true,
      'stack',
      'create',
      'live',
      '-t',
      join(dir, 'failing.yaml'),
      '--wait',
      '--poll',
      '0.2',
    );
    expect(process.exitCode).toBe(1);
    const failure = out.find((w) => w.text.includes('✗ bad (OS::Heat::TestResource) CREATE_FAILED'));
    expect(failure, out.map((w) => w.text).join('\n')).toBeDefined();
    expect(failure!.text).toContain('ValueError: resources.bad: Test Resource failed bad');
    // `slow` keeps the stack in progress for ~2.5 s after `bad` failed.
    expect(ended - failure!.atMs).toBeGreaterThan(1500);
    // The frame shows `slow` in progress while `bad` has already failed, and is redrawn in place.
    const frames = out.filter((w) => w.text.includes('In progress:'));
    expect(frames.some((w) => /1 failed/.test(w.text) && /slow\s+OS::Heat::TestResource/.test(w.text))).toBe(
      true,
    );
    const redraw = new RegExp(`${ESC}\\[\\d+F${ESC}\\[J`);
    expect(frames.slice(1).every((w) => redraw.test(w.text))).toBe(true);
    const summary = out.find((w) => w.text.includes('Stack live CREATE_FAILED after'));
    expect(summary!.text).toMatch(/2 resources: 1 complete, 0 in progress, 1 failed/);
    expect(summary!.text).toContain('\x1b[?25h');
    expect(err.map((w) => w.text)).toEqual([
      'ERROR: Stack CREATE_FAILED: Resource CREATE failed: ValueError: resources.bad: Test Resource failed bad',
    ]);
  });

  it('prints plain event lines as they arrive when not on a terminal, the failure before the end', async () => {
    const ended = await hearth(
      false,
      'stack',
      'create',
      'plain',
      '-t',
      join(dir, 'failing.yaml'),
      '--wait',
      '--poll',
      '0.2',
    );
    expect(process.exitCode).toBe(1);
    const failed = out.find((w) => / \[plain\.bad\]: CREATE_FAILED {2}ValueError/.test(w.text));
    expect(failed, out.map((w) => w.text).join('\n')).toBeDefined();
    expect(ended - failed!.atMs).toBeGreaterThan(1500);
    expect(out.some((w) => w.text.includes(ESC))).toBe(false);
    const lines = out.map((w) => w.text);
    const summary = lines.findIndex((l) => l.startsWith('Stack plain CREATE_FAILED after '));
    expect(lines[summary]).toMatch(/— 2 resources: 1 complete, 0 in progress, 1 failed$/);
    expect(
      lines.slice(0, summary).every((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \[plain(\.\w+)?\]: /.test(l)),
    ).toBe(true);
  });

  it('counts the resources of nested stacks and names them by path; -f json keeps stdout to the data', async () => {
    await hearth(
      false,
      'stack',
      'create',
      'tree',
      '-t',
      join(dir, 'nested.yaml'),
      '--wait',
      '--poll',
      '0.2',
      '-f',
      'json',
    );
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(out.map((w) => w.text).join('\n'))).toMatchObject({
      stack_name: 'tree',
      stack_status: 'CREATE_COMPLETE',
    });
    const progress = err.map((w) => w.text);
    expect(progress.some((l) => / \[tree\.grp\.0\]: CREATE_COMPLETE /.test(l))).toBe(true);
    expect(progress.at(-1)).toMatch(
      /^Stack tree CREATE_COMPLETE after .* — 4 resources \(2 in nested stacks\): 4 complete, 0 in progress, 0 failed$/,
    );
  });

  it('follows events with `event list --follow --wait` until the action in progress ends', async () => {
    await hearth(false, 'stack', 'create', 'followed', '-t', join(dir, 'nested.yaml'));
    out = [];
    await hearth(
      false,
      'stack',
      'event',
      'list',
      'followed',
      '--follow',
      '--wait',
      '--nested-depth',
      '2',
      '--poll',
      '0.2',
    );
    expect(process.exitCode).toBe(0);
    const lines = out.map((w) => w.text);
    expect(lines.some((l) => / \[followed\.grp\.1\]: CREATE_COMPLETE /.test(l))).toBe(true);
    expect(
      lines.filter((l) => / \[followed\]: CREATE_COMPLETE {2}Stack CREATE completed successfully$/.test(l)),
    ).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^Stack followed CREATE_COMPLETE after /);
  });

  it('deletes with a live view and ends when the stack is gone', async () => {
    await hearth(true, 'stack', 'delete', 'tree', '--yes', '--wait', '--poll', '0.2');
    expect(err.map((w) => w.text)).toEqual([]);
    expect(process.exitCode).toBe(0);
    expect(out.at(-1)!.text).toMatch(
      /Stack tree DELETE_COMPLETE after .* — 4 resources \(2 in nested stacks\): 4 complete/,
    );
  });
});
