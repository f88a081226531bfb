/**
 * The kubelet's manifest directory, `<state-dir>/kubelet/manifests/`, as heat-config-kubelet keeps it: one
 * `<pod>.json` per current kubelet deployment (its config, the pod manifest, as deployed), and nothing else — a
 * deployment gone means its file gone, which means its pod removed. The directory is the kubelet's desired state:
 * an agent restarted reads it back before it has heard from the server.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWrite } from '../state.js';

/** One manifest file: the pod it runs and the manifest document. */
export interface ManifestEntry {
  readonly pod: string;
  readonly manifest: unknown;
}

/** Reads and rewrites one manifest directory. */
export class ManifestDirectory {
  readonly path: string;

  constructor(stateDir: string) {
    this.path = join(stateDir, 'kubelet', 'manifests');
  }

  /** Whether the directory holds any manifest (a kubelet ran here before). */
  hasManifests(): boolean {
    return this.#files().length > 0;
  }

  /** Makes the directory hold exactly `entries` (files rewritten only when their content changed). */
  replaceAll(entries: readonly ManifestEntry[]): void {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    const keep = new Set<string>();
    for (const entry of entries) {
      const file = `${entry.pod}.json`;
      keep.add(file);
      const path = join(this.path, file);
      const text = `${JSON.stringify(entry.manifest, null, 2)}\n`;
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) atomicWrite(path, text);
    }
    for (const file of this.#files()) if (!keep.has(file)) rmSync(join(this.path, file), { force: true });
  }

  /** The manifests the directory holds, by pod name (files that are not JSON are skipped and named). */
  readAll(): { entries: ManifestEntry[]; unreadable: string[] } {
    const entries: ManifestEntry[] = [];
    const unreadable: string[] = [];
    for (const file of this.#files().sort()) {
      try {
        entries.push({
          pod: file.slice(0, -'.json'.length),
          manifest: JSON.parse(readFileSync(join(this.path, file), 'utf8')) as unknown,
        });
      } catch {
        unreadable.push(join(this.path, file));
      }
    }
    return { entries, unreadable };
  }

  #files(): string[] {
    if (!existsSync(this.path)) return [];
    return readdirSync(this.path).filter((f) => f.endsWith('.json'));
  }
}
