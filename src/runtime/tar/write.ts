/**
 * A minimal deterministic tar writer for regular files (ustar, mtime 0, owner 0:0, mode 0644): enough to wrap a
 * layer and its JSON documents into a docker-archive. File contents are streamed from disk.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

const BLOCK = 512;

/** One file to put in a tar: its path in the archive and either its bytes or a file to copy. */
export interface TarInput {
  name: string;
  data?: Buffer;
  sourceFile?: string;
}

/** Writes `inputs` as a tar file at `path`, in the given order. */
export async function writeTar(path: string, inputs: TarInput[]): Promise<void> {
  const out = createWriteStream(path);
  try {
    for (const input of inputs) await writeEntry(out, input);
    await write(out, Buffer.alloc(BLOCK * 2));
  } finally {
    out.end();
    await once(out, 'close');
  }
}

async function writeEntry(out: Writable, input: TarInput): Promise<void> {
  const size = input.data ? input.data.length : (await stat(requireSource(input))).size;
  await write(out, header(input.name, size));
  if (input.data) await write(out, input.data);
  else for await (const chunk of createReadStream(requireSource(input))) await write(out, chunk as Buffer);
  const padding = (BLOCK - (size % BLOCK)) % BLOCK;
  if (padding > 0) await write(out, Buffer.alloc(padding));
}

function requireSource(input: TarInput): string {
  if (!input.sourceFile) throw new Error(`tar input ${input.name} has neither data nor sourceFile`);
  return input.sourceFile;
}

function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name longer than 100 bytes: ${name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
