/** The version of this Hearth build (package.json's), recorded by every process in the process registry. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Hearth's version (e.g. `0.1.0`). */
export const HEARTH_VERSION = readVersion();
