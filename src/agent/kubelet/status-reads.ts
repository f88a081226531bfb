/**
 * Coalesced status reads: many deployments wait for their pods at once, and each asks for its own pod's status.
 * Asks that arrive while a read is under way are gathered into the next read, so the runner answers them all with
 * one pass over only the pods asked about (their containers inspected, their probes run) instead of one pass each.
 */
import type { PodStatus } from '../../runtime/pods/status.js';

/** Reads the statuses of the named pods (those that are desired; the others are left out). */
export type ReadStatuses = (pods: readonly string[]) => Promise<PodStatus[]>;

interface Ask {
  pod: string;
  resolve: (status: PodStatus | undefined) => void;
  reject: (err: unknown) => void;
}

/** Gathers single-pod status asks into batched reads, one at a time. */
export class StatusReads {
  readonly #read: ReadStatuses;
  #waiting: Ask[] = [];
  #running = false;

  constructor(read: ReadStatuses) {
    this.#read = read;
  }

  /** The status of `pod`, or undefined when it is not a desired pod. */
  of(pod: string): Promise<PodStatus | undefined> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ pod, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiting.length > 0) {
        // Let the asks of the same turn join this read.
        await new Promise((next) => setImmediate(next));
        const asks = this.#waiting;
        this.#waiting = [];
        try {
          const statuses = await this.#read([...new Set(asks.map((a) => a.pod))]);
          for (const a of asks) a.resolve(statuses.find((s) => s.name === a.pod));
        } catch (err) {
          for (const a of asks) a.reject(err);
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
