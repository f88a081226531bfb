/** sha256 digests of files, byte ranges and buffers, as `sha256:<hex>` or bare hex. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { open } from 'node:fs/promises';

/** The hex sha256 of the whole file at `path`. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * The hex sha256 of `size` bytes at `offset` in `path`, decompressed first when they are gzip (a layer's diff_id
 * is the digest of the uncompressed tar).
 */
export async function sha256Range(path: string, offset: number, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size === 0) return hash.digest('hex');
  const source = () => createReadStream(path, { start: offset, end: offset + size - 1 });
  if (await isGzip(path, offset, size)) await pipeline(source(), createGunzip(), hash);
  else await pipeline(source(), hash);
  return hash.digest('hex');
}

/** The hex sha256 of `data`. */
export function sha256Bytes(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function isGzip(path: string, offset: number, size: number): Promise<boolean> {
  if (size < 2) return false;
  const file = await open(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    await file.read(magic, 0, 2, offset);
    return magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await file.close();
  }
}

/** Normalises a user-given digest (`sha256:HEX` or `HEX`, any case) to lower-case hex, or undefined if invalid. */
export function parseSha256(text: string): string | undefined {
  const hex = text
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}
