/**
 * A tiny in-memory tar (ustar) of small files with their modes, for `putArchive` into a container before it starts
 * (agent configuration, boot-time user data, authorized keys). Parent directories are created by Docker.
 */

/** One file to copy into a container. */
export interface ContainerFile {
  /** Absolute path in the container. */
  readonly path: string;
  readonly content: string | Buffer;
  /** Permission bits, e.g. 0o600. */
  readonly mode: number;
}

const BLOCK = 512;

/** The tar of `files` (paths relative to `/`, owner 0:0, mtime 0). */
export function tarFiles(files: readonly ContainerFile[]): Buffer {
  const chunks: Buffer[] = [];
  for (const file of files) {
    const data = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    chunks.push(header(file.path.replace(/^\/+/, ''), data.length, file.mode), data);
    chunks.push(Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}

function header(name: string, size: number, mode: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name longer than 100 bytes: ${name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\u000000', 257);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148);
  return h;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\u0000`;
}
