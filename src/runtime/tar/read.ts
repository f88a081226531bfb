/**
 * A minimal tar reader over a file: lists entries with where their data lies, without reading the data. Enough for
 * docker-archive tarballs (ustar, with pax and GNU long names), read by random access so that multi-gigabyte layers
 * are never held in memory.
 */
import { open, type FileHandle } from 'node:fs/promises';

const BLOCK = 512;

/** One entry of a tar file: its path, type and the byte range of its data in the file. */
export interface TarEntry {
  /** Path inside the archive, without a leading `./`. */
  name: string;
  /** `file`, `directory`, `symlink` or `other` (hard links, devices…). */
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** Offset of the first data byte in the tar file. */
  offset: number;
  /** Data size in bytes. */
  size: number;
}

/** A tar file that cannot be read (truncated, bad header checksum). */
export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

/** Lists the entries of the tar file at `path`. */
export async function listTarEntries(path: string): Promise<TarEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size: fileSize } = await file.stat();
    return await readEntries(file, fileSize);
  } finally {
    await file.close();
  }
}

async function readEntries(file: FileHandle, fileSize: number): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const header = Buffer.alloc(BLOCK);
  let position = 0;
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  while (position + BLOCK <= fileSize) {
    await readExactly(file, header, position);
    if (header.every((b) => b === 0)) break;
    checkChecksum(header, position);
    const typeFlag = String.fromCharCode(header[156] ?? 0);
    const size = pax['size'] !== undefined ? Number(pax['size']) : parseNumber(header.subarray(124, 136));
    const dataOffset = position + BLOCK;
    if (dataOffset + size > fileSize) {
      throw new TarFormatError(`tar entry at byte ${position} is truncated (needs ${size} bytes of data)`);
    }
    position = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    if (typeFlag === 'x' || typeFlag === 'L') {
      const data = Buffer.alloc(size);
      await readExactly(file, data, dataOffset);
      if (typeFlag === 'L') longName = cString(data);
      else pax = parsePax(data);
      continue;
    }
    if (typeFlag === 'g') continue;
    const prefix = cString(header.subarray(345, 500));
    const shortName = cString(header.subarray(0, 100));
    const rawName = pax['path'] ?? longName ?? (prefix ? `${prefix}/${shortName}` : shortName);
    entries.push({ name: normalise(rawName), type: entryType(typeFlag), offset: dataOffset, size });
    longName = undefined;
    pax = {};
  }
  return entries;
}

async function readExactly(file: FileHandle, into: Buffer, position: number): Promise<void> {
  const { bytesRead } = await file.read(into, 0, into.length, position);
  if (bytesRead !== into.length)
    throw new TarFormatError(`tar file ends inside the block at byte ${position}`);
}

function checkChecksum(header: Buffer, position: number): void {
  const stored = parseNumber(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  if (sum !== stored)
    throw new TarFormatError(`tar header at byte ${position} has a bad checksum (not a tar file?)`);
}

function parseNumber(field: Buffer): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = cString(field).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end === -1 ? buf.length : end).toString('utf8');
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.subarray(at, space).toString('ascii'));
    if (space === -1 || !Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return out;
}

function entryType(flag: string): TarEntry['type'] {
  if (flag === '0' || flag === '\0' || flag === '7') return 'file';
  if (flag === '5') return 'directory';
  if (flag === '2') return 'symlink';
  return 'other';
}

function normalise(name: string): string {
  return name.replace(/^\.\//, '').replace(/\/$/, '');
}
