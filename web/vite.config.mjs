// Build of the dashboard (`vite build web`): served by `hearth server` at /dashboard/ from dist/web/.
// Every text asset is also written pre-compressed (.br, .gz); @fastify/static serves those when accepted.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig } from 'vite';

const OUT_DIR = resolve(import.meta.dirname, '..', 'dist', 'web');
const COMPRESSIBLE = /\.(js|css|html|svg|json|map)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Writes `.gz` and `.br` beside every text asset larger than 1 KiB. */
function precompress() {
  return {
    name: 'hearth-precompress',
    apply: 'build',
    closeBundle() {
      for (const path of files(OUT_DIR)) {
        if (!COMPRESSIBLE.test(path) || statSync(path).size < 1024) continue;
        const data = readFileSync(path);
        writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/dashboard/',
  logLevel: 'warn',
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  plugins: [precompress()],
});
