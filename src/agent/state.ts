/**
 * The agent's state directory (heat-config's layout, under one root):
 *
 * - `deployed/<id>.json` — the deployed marker: the config as run, written **before** its hook starts, so a
 *   deployment never runs twice (even after a crash mid-run); remove it to force a re-run;
 * - `deployed/<id>.notify.json` — the signal to send (written when the hook ends); `deployed/<id>.notified` — it was
 *   delivered (or refused for good): a restart re-sends a signal that has no `.notified`, and never re-runs the hook;
 * - `run/<id>.json|.out|.err|.rc` — a hook running detached from the agent: its process, output and exit status,
 *   so an agent restarted while a hook runs picks up its result instead of running it again;
 * - `heat-config-script/<id>` — scripts; `outputs/<id>/` — the `heat_outputs_path` of each.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { DeploymentConfig } from './deployment.js';

/** The process of a hook running detached (enough to know whether it is still that process). */
export interface RunRecord {
  readonly pid: number;
  /** Start time of the process in clock ticks since boot (`/proc/<pid>/stat` field 22), when known. */
  readonly startTicks: number | null;
  /** How its result becomes a signal. */
  readonly kind: 'script' | 'custom';
}

/** Paths and markers of one state directory. */
export class AgentState {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
    for (const dir of ['', 'deployed', 'run', 'heat-config-script', 'outputs']) {
      mkdirSync(join(root, dir), { recursive: true, mode: 0o700 });
    }
    chmodSync(root, 0o700);
  }

  /** `deployed/<id>.json`. */
  deployedPath(id: string): string {
    return join(this.root, 'deployed', `${id}.json`);
  }

  /** Whether the deployment has been started already (its marker exists). */
  isDeployed(id: string): boolean {
    return existsSync(this.deployedPath(id));
  }

  /**
   * Writes the deployed marker (mode 0600) unless it exists.
   * @returns false when it existed (someone already started this deployment).
   */
  markDeployed(c: DeploymentConfig): boolean {
    try {
      writeFileSync(this.deployedPath(c.id), JSON.stringify(c, null, 2), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  /** The config a marker holds. */
  readDeployed(id: string): DeploymentConfig {
    return JSON.parse(readFileSync(this.deployedPath(id), 'utf8')) as DeploymentConfig;
  }

  /** Stores the signal to send (atomically). */
  writeNotify(id: string, signal: Record<string, unknown>): void {
    atomicWrite(join(this.root, 'deployed', `${id}.notify.json`), JSON.stringify(signal));
  }

  /** The stored signal, if the hook has ended. */
  readNotify(id: string): Record<string, unknown> | undefined {
    const path = join(this.root, 'deployed', `${id}.notify.json`);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : undefined;
  }

  /** Records that the signal is done with (delivered, refused for good, or not to be sent). */
  markNotified(id: string, outcome: string): void {
    atomicWrite(join(this.root, 'deployed', `${id}.notified`), `${new Date().toISOString()} ${outcome}\n`);
  }

  /** Whether the deployment is finished as far as this host is concerned. */
  isNotified(id: string): boolean {
    return existsSync(join(this.root, 'deployed', `${id}.notified`));
  }

  /** Ids with a marker but no `.notified`: started before, not finished (oldest marker first is not guaranteed). */
  unfinished(): string[] {
    return readdirSync(join(this.root, 'deployed'))
      .filter((f) => f.endsWith('.json') && !f.endsWith('.notify.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .filter((id) => !this.isNotified(id));
  }

  /** `run/<id>.<ext>`. */
  runPath(id: string, ext: 'json' | 'out' | 'err' | 'rc'): string {
    return join(this.root, 'run', `${id}.${ext}`);
  }

  /** Stores the record of a detached hook. */
  writeRun(id: string, record: RunRecord): void {
    atomicWrite(this.runPath(id, 'json'), JSON.stringify(record));
  }

  /** The record of a detached hook, if one was started. */
  readRun(id: string): RunRecord | undefined {
    const path = this.runPath(id, 'json');
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RunRecord) : undefined;
  }

  /** `heat-config-script/<id>`. */
  scriptPath(id: string): string {
    return join(this.root, 'heat-config-script', id);
  }

  /** `outputs/<id>` (the script's `heat_outputs_path`). */
  outputsPath(id: string): string {
    return join(this.root, 'outputs', id);
  }
}

/** Writes a file through a temporary one and a rename, so readers never see half of it. */
export function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}
