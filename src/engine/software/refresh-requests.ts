/**
 * Requests to re-sample a finished deployment's container figures (issue 6: "stats as outputs, refreshed on
 * demand"). A resource signal `{"refresh": "stats"}` to a deployment records one here; the server's host sees it
 * in its agent API long-poll (which it wakes), re-samples the pod and posts the figures back, which settles it.
 *
 * Requests live in the process (like the long-poll wake-ups of `deployment-changes.ts`) and expire: one lost to a
 * restart or never answered (a host without that pod) costs nothing, the agent's periodic refresh still runs.
 */
import { randomUUID } from 'node:crypto';

/** The resource signal body that asks the host for fresh container figures. */
export const STATS_REFRESH_SIGNAL = { refresh: 'stats' } as const;

/**
 * The resource signal body that copies a deployment's current output values into its resource's attributes
 * (sent by the server itself after a host posted fresh figures).
 */
export const OUTPUTS_REFRESH_SIGNAL = { refresh: 'outputs' } as const;

/** How long a request waits for its host, in milliseconds. */
export const REFRESH_REQUEST_TTL_MS = 120_000;

/** Whether `details` is exactly the signal `{refresh: <what>}`. */
export function isRefreshSignal(details: unknown, what: 'stats' | 'outputs'): boolean {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return false;
  const keys = Object.keys(details);
  return keys.length === 1 && (details as Record<string, unknown>)['refresh'] === what;
}

/** One pending request, as the agent API shows it to the host. */
export interface RefreshRequest {
  readonly deployment_id: string;
  /** Opaque; echoed by the host's answer to settle exactly this request. */
  readonly token: string;
  readonly what: 'stats';
}

interface Pending {
  readonly token: string;
  readonly expires: number;
}

/** Pending refresh requests, per server. */
export class RefreshRequests {
  readonly #byServer = new Map<string, Map<string, Pending>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Records a request for `deploymentId` on `serverId` (replacing an older one); returns its token. */
  request(serverId: string, deploymentId: string): string {
    let pending = this.#byServer.get(serverId);
    if (!pending) this.#byServer.set(serverId, (pending = new Map()));
    const token = randomUUID();
    pending.set(deploymentId, { token, expires: this.#now() + REFRESH_REQUEST_TTL_MS });
    return token;
  }

  /** The unexpired requests of `serverId`, by deployment id. */
  pending(serverId: string): RefreshRequest[] {
    const pending = this.#byServer.get(serverId);
    if (!pending) return [];
    const now = this.#now();
    const out: RefreshRequest[] = [];
    for (const [deploymentId, p] of [...pending].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (p.expires <= now) pending.delete(deploymentId);
      else out.push({ deployment_id: deploymentId, token: p.token, what: 'stats' });
    }
    if (pending.size === 0) this.#byServer.delete(serverId);
    return out;
  }

  /**
   * Settles the request of `deploymentId` when `token` is its token (or absent: any fresh figures answer it).
   * @returns whether a request was settled.
   */
  settle(serverId: string, deploymentId: string, token: string | undefined): boolean {
    const pending = this.#byServer.get(serverId);
    const p = pending?.get(deploymentId);
    if (!pending || !p || (token !== undefined && token !== p.token)) return false;
    pending.delete(deploymentId);
    if (pending.size === 0) this.#byServer.delete(serverId);
    return true;
  }
}

/** The process-wide requests every software service uses unless given others (as the change notifier). */
export const PROCESS_REFRESH_REQUESTS = new RefreshRequests();
