/**
 * Group commit: state transitions from many concurrent resource actions are queued and applied to the store in
 * one transaction per event-loop turn. Callers await durability of their own writes.
 */
import type { Store, WriteOp } from './store.js';

interface Pending {
  ops: WriteOp[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Batches writes into few transactions; each `write` resolves once its ops are committed. */
export class WriteQueue {
  private pending: Pending[] = [];
  private scheduled = false;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /** Queues `ops`; resolves when they are committed (in order with every earlier write). */
  write(ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ ops, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.flushing = this.flushing.then(() => this.flush());
        });
      }
    });
  }

  /** Waits until everything queued so far is committed. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.scheduled) {
      await new Promise((r) => setImmediate(r));
      await this.flushing;
    }
    await this.flushing;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const ops = batch.flatMap((p) => p.ops);
    try {
      await this.store.apply(ops);
      for (const p of batch) p.resolve();
    } catch (e) {
      // One bad op must not fail unrelated writers: retry each writer's ops on its own.
      for (const p of batch) {
        try {
          await this.store.apply(p.ops);
          p.resolve();
        } catch (err) {
          p.reject(err);
        }
      }
      void e;
    }
  }
}
