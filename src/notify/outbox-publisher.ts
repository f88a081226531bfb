/**
 * Publishes the store's notification outbox to an AMQP exchange (RabbitMQ), in the manner of Heat's notifications.
 *
 * The loop claims the oldest outbox rows (`SqlOutbox.drain`), publishes them in order on a confirm channel
 * (persistent messages, `messageId` = event id) and deletes the rows the broker confirmed, from the first up to the
 * first one it did not: a row is deleted only after the broker has it, so a broker outage or a crash loses nothing.
 * A message whose confirm was lost with the connection is published again (at least once; consumers recognise the
 * repeat by its message id). It wakes when this process commits events (`SqlStore.observeWrites`) and polls for
 * rows written by other processes; a lost broker is reconnected with backoff, and nothing here ever throws out of
 * the loop or spins.
 */
import { hostname } from 'node:os';
import type { WriteOp } from '../engine/store.js';
import { SqlOutbox, type OutboxMessage } from '../store/outbox-queue.js';
import {
  checkBrokerUrl,
  checkExchangeName,
  openBrokerLink,
  redactBrokerUrl,
  type BrokerLink,
} from './broker.js';

/** The part of the store a publisher uses. */
export interface OutboxPublisherStore {
  /** The store's database (Kysely). */
  readonly db: ConstructorParameters<typeof SqlOutbox>[0];
  /** Calls the observer with each committed batch of writes; returns the function that stops it. */
  observeWrites?(observer: (ops: readonly WriteOp[]) => void): () => void;
}

/** Options of {@link OutboxPublisher}. */
export interface OutboxPublisherOptions {
  /** Broker URL, `amqp://USER:PASSWORD@HOST:PORT/VHOST` (or `amqps://`). */
  url: string;
  /** Exchange (topic, durable, declared on connect); default `heat` (Heat's control exchange). */
  exchange?: string;
  /**
   * Rows claimed (and published before waiting for their confirms) per round; default 100. Also the most messages a
   * lost connection can leave unconfirmed, hence sent twice.
   */
  batchSize?: number;
  /** How often to look for rows of other processes (ms, at most 500); default 500. */
  pollIntervalMs?: number;
  /** First reconnection delay (ms), doubled up to {@link maxBackoffMs}; default 500. */
  minBackoffMs?: number;
  /** Longest reconnection delay (ms); default 30000. */
  maxBackoffMs?: number;
  /** A round whose confirms have not all arrived after this long (ms) drops the connection; default 30000. */
  confirmTimeoutMs?: number;
  /** Connection name shown by the broker; default `hearth-notify <host> <pid>`. */
  connectionName?: string;
  /** Told about connection losses and recoveries (one line each; the password is never shown). */
  log?: (message: string) => void;
}

/** Counters of a publisher (since it started). */
export interface OutboxPublisherStats {
  /** Messages confirmed by the broker (and deleted from the outbox). */
  published: number;
  /** Connections opened (the first included). */
  connections: number;
  /** Messages sent but not confirmed when their connection was lost (sent again: possible duplicates). */
  unconfirmed: number;
  /** Failed rounds (broker or database errors). */
  failures: number;
}

/** Longest allowed poll interval (ms). */
const MAX_POLL_MS = 500;

/** A self-contained outbox publisher: `start()` it in any process that opens the store; `close()` it before. */
export class OutboxPublisher {
  readonly #outbox: SqlOutbox;
  readonly #url: string;
  readonly #exchange: string;
  readonly #batchSize: number;
  readonly #pollMs: number;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #confirmTimeoutMs: number;
  readonly #connectionName: string;
  readonly #log: (message: string) => void;
  readonly #stopObserving: () => void;
  readonly #stats: OutboxPublisherStats = { published: 0, connections: 0, unconfirmed: 0, failures: 0 };
  #link: BrokerLink | undefined;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #woken = false;
  /** Whether the last round failed (for the "publishing again" line). */
  #failing = false;
  /** Why the link was lost while idle (reported, and waited for, before connecting again). */
  #lostBecause: string | undefined;

  constructor(store: OutboxPublisherStore, options: OutboxPublisherOptions) {
    checkBrokerUrl(options.url);
    this.#url = options.url;
    this.#exchange = checkExchangeName(options.exchange ?? 'heat');
    this.#batchSize = Math.max(1, Math.floor(options.batchSize ?? 100));
    this.#pollMs = Math.min(MAX_POLL_MS, Math.max(10, options.pollIntervalMs ?? MAX_POLL_MS));
    this.#minBackoffMs = Math.max(10, options.minBackoffMs ?? 500);
    this.#maxBackoffMs = Math.max(this.#minBackoffMs, options.maxBackoffMs ?? 30_000);
    this.#confirmTimeoutMs = Math.max(100, options.confirmTimeoutMs ?? 30_000);
    this.#connectionName = options.connectionName ?? `hearth-notify ${hostname()} ${process.pid}`;
    this.#log = options.log ?? (() => undefined);
    this.#outbox = new SqlOutbox(store.db);
    this.#stopObserving =
      store.observeWrites?.((ops) => {
        if (ops.some((op) => op.kind === 'insertEvent')) this.wake();
      }) ?? (() => undefined);
  }

  /** The exchange messages go to. */
  get exchange(): string {
    return this.#exchange;
  }

  /** Whether a broker connection is open now. */
  get connected(): boolean {
    return this.#link !== undefined;
  }

  /** A copy of the counters. */
  stats(): OutboxPublisherStats {
    return { ...this.#stats };
  }

  /** Rows waiting in the outbox (of every process). */
  depth(): Promise<number> {
    return this.#outbox.depth();
  }

  /** Seconds since the oldest waiting row was written (0 when the outbox is empty). */
  lagSeconds(): Promise<number> {
    return this.#outbox.lagSeconds();
  }

  /** Starts the loop (connecting in the background); idempotent. */
  start(): void {
    if (this.#loop !== undefined || this.#stopping) return;
    this.#loop = this.#run();
  }

  /** Asks the loop to look at the outbox now (new rows were committed). */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /**
   * Stops: the round in flight finishes, rows committed until now are published if the broker is connected (for at
   * most `finalMs`, default 2 s; what is left waits for the next start), then the connection closes. Idempotent.
   */
  async close(finalMs = 2000): Promise<void> {
    if (this.#stopping) return this.#loop;
    this.#stopping = true;
    this.#stopObserving();
    this.#wake?.();
    const loop = this.#loop ?? Promise.resolve();
    this.#loop = loop.then(async () => {
      const deadline = Date.now() + finalMs;
      while (this.#link !== undefined && Date.now() < deadline) {
        const link = this.#link;
        try {
          const round = await this.#outbox.drain(this.#batchSize, (m) => this.#publish(link, m));
          if (round.claimed < this.#batchSize || round.published < round.offered) break;
        } catch {
          break;
        }
      }
      await this.#drop();
    });
    return this.#loop;
  }

  async #run(): Promise<void> {
    let backoff = this.#minBackoffMs;
    while (!this.#stopping) {
      try {
        const lostBecause = this.#lostBecause;
        if (lostBecause !== undefined) throw new BrokerFailure(lostBecause);
        const link = await this.#connect();
        this.#woken = false;
        const round = await this.#outbox.drain(this.#batchSize, (messages) => this.#publish(link, messages));
        if (round.published < round.offered) {
          throw new BrokerFailure(
            `the broker confirmed ${round.published} of ${round.offered} messages (the rest will be sent again)`,
          );
        }
        backoff = this.#minBackoffMs;
        if (this.#failing) {
          this.#failing = false;
          this.#log(`notifications: publishing to ${redactBrokerUrl(this.#url)} again`);
        }
        if (round.claimed === this.#batchSize && round.published > 0) continue;
        await this.#idle(this.#pollMs);
      } catch (error) {
        this.#stats.failures++;
        this.#failing = true;
        const why = error instanceof Error ? error.message : String(error);
        const retry = `retrying in ${(backoff / 1000).toFixed(1)} s`;
        if (error instanceof BrokerFailure) {
          this.#lostBecause = undefined;
          await this.#drop();
          this.#log(
            `notifications: ${why} (broker ${redactBrokerUrl(this.#url)}, exchange ${this.#exchange}); ${retry}`,
          );
        } else {
          this.#log(`notifications: cannot read the outbox: ${why}; ${retry}`);
        }
        await this.#idle(backoff, false);
        backoff = Math.min(backoff * 2, this.#maxBackoffMs);
      }
    }
  }

  /** The open link, or a new one. */
  async #connect(): Promise<BrokerLink> {
    if (this.#link !== undefined) return this.#link;
    let link: BrokerLink;
    try {
      link = await openBrokerLink(this.#url, {
        exchange: this.#exchange,
        connectionName: this.#connectionName,
      });
    } catch (error) {
      throw new BrokerFailure(`cannot connect: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.#stopping) {
      await link.connection.close().catch(() => undefined);
      throw new BrokerFailure('publisher closing');
    }
    this.#stats.connections++;
    this.#link = link;
    const lost = (error?: unknown): void => {
      if (this.#link !== link) return;
      this.#link = undefined;
      this.#lostBecause = `connection lost: ${error instanceof Error ? error.message : 'closed'}`;
      void closeLink(link);
      this.wake();
    };
    link.connection.once('close', lost);
    // A connection's loss closes its channel first: let the connection's own 'close' (with the reason) come first.
    link.channel.once('close', () => setImmediate(() => lost()));
    return link;
  }

  /** Closes the current link, if any. */
  async #drop(): Promise<void> {
    const link = this.#link;
    this.#link = undefined;
    if (link !== undefined) await closeLink(link);
  }

  /**
   * Publishes `messages` in order and waits for their confirms (or the loss of the channel, or the timeout);
   * resolves with how many of them, from the first, were confirmed.
   */
  async #publish(link: BrokerLink, messages: readonly OutboxMessage[]): Promise<number> {
    const { channel } = link;
    const confirms: Promise<boolean>[] = [];
    for (const message of messages) {
      if (this.#link !== link) break;
      let writable = true;
      confirms.push(
        new Promise<boolean>((resolve) => {
          try {
            writable = channel.publish(
              this.#exchange,
              message.routingKey,
              Buffer.from(message.payload, 'utf8'),
              {
                persistent: true,
                messageId: message.eventId,
                contentType: 'application/json',
                contentEncoding: 'utf-8',
                timestamp: Math.floor(Date.now() / 1000),
                appId: 'hearth',
              },
              (error: unknown) => resolve(error === null || error === undefined),
            );
          } catch {
            resolve(false);
          }
        }),
      );
      if (!writable) await waitForDrain(link);
    }
    let results = await settleWithin(confirms, this.#confirmTimeoutMs);
    if (results === undefined) {
      // Dropping the connection fails the confirms still awaited.
      await this.#drop();
      results = (await settleWithin(confirms, 2000)) ?? confirms.map(() => false);
    }
    let prefix = 0;
    while (prefix < results.length && results[prefix]) prefix++;
    this.#stats.unconfirmed += results.filter((ok) => !ok).length;
    this.#stats.published += prefix;
    return prefix;
  }

  /** Waits `ms`, or less when woken (unless `wakeable` is false; closing always wakes). */
  async #idle(ms: number, wakeable = true): Promise<void> {
    if (this.#stopping) return;
    if (wakeable && this.#woken) {
      this.#woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        if (wakeable || this.#stopping) done();
      };
    });
    this.#wake = undefined;
    if (wakeable) this.#woken = false;
  }
}

/** A failure of the broker (the connection is dropped and opened again after a backoff). */
class BrokerFailure extends Error {}

/** The confirms' outcomes, or undefined when they have not all arrived within `ms`. */
async function settleWithin(confirms: Promise<boolean>[], ms: number): Promise<boolean[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([Promise.all(confirms), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes a link: the AMQP close handshake, or, when the broker does not answer within a second (a dead socket),
 * the socket itself (amqplib keeps it as `connection.stream`).
 */
async function closeLink(link: BrokerLink): Promise<void> {
  const closed = link.connection.close().then(
    () => true,
    () => true,
  );
  const answered = await Promise.race([closed, new Promise<false>((r) => setTimeout(() => r(false), 1000))]);
  if (!answered) {
    (link.connection.connection as unknown as { stream?: { destroy(): void } }).stream?.destroy();
  }
}

/** Resolves when the channel can take more, or its connection closes. */
function waitForDrain(link: BrokerLink): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      link.channel.off('drain', done);
      link.channel.off('close', done);
      resolve();
    };
    link.channel.once('drain', done);
    link.channel.once('close', done);
  });
}
