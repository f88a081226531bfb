/**
 * {@link Store} over any Kysely database holding the Hearth schema ({@link Database}).
 * Dialect-neutral: SQLite today, PostgreSQL and MariaDB through their Kysely dialects later.
 */
import type { Kysely } from 'kysely';
import type {
  EventListQuery,
  EventRecord,
  ResourceRecord,
  SnapshotRecord,
  StackListQuery,
  StackRecord,
  Store,
  WriteOp,
} from '../engine/store.js';
import { rowToEvent, rowToResource, rowToStack } from './codec.js';
import { CompiledStatements } from './compiled-statements.js';
import { purgeOldEvents, selectEventRows, type EventRow } from './event-query.js';
import type { Database } from './schema.js';
import { SnapshotQueries } from './snapshots.js';
import { checkStoreReadiness, countStacksByStatus, type StoreReadiness } from './readiness.js';
import { countStackRows, selectStackRows } from './stack-query.js';
import { executeWriteOps } from './write-ops.js';
import { outboxSettings, writeOutboxRows, type OutboxOptions, type OutboxSettings } from './outbox-writer.js';

/** The SQL implementation of the engine's persistence port. */
export class SqlStore implements Store {
  /** @param db an open Kysely instance whose schema is migrated; the store owns it (closed by {@link close}). */
  constructor(readonly db: Kysely<Database>) {
    this.#snapshots = new SnapshotQueries(db);
  }

  readonly #statements = new CompiledStatements();
  readonly #snapshots: SnapshotQueries;
  readonly #observers = new Set<(ops: readonly WriteOp[]) => void>();
  #outbox: OutboxSettings | undefined;

  /**
   * Applies the writes atomically and in order: one transaction, rolled back entirely if any op fails. With the
   * outbox on, the transaction also writes each event's notification to the outbox.
   */
  async apply(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    const outbox = this.#outbox;
    await this.db.transaction().execute(async (tx) => {
      const events = await executeWriteOps(tx, ops, this.#statements);
      if (outbox !== undefined) await writeOutboxRows(tx, events, outbox);
    });
    for (const observer of this.#observers) observer(ops);
  }

  /**
   * Turns the notification outbox on: from now on every event written by {@link apply} gets its notification row
   * in the same transaction (published by `OutboxPublisher`, `src/notify/`).
   */
  enableOutbox(options: OutboxOptions = {}): void {
    this.#outbox = outboxSettings(options);
  }

  /** Whether {@link enableOutbox} was called. */
  get outboxEnabled(): boolean {
    return this.#outbox !== undefined;
  }

  /**
   * Calls `observer` with every batch once it is committed (metrics); returns the function that stops it.
   * An observer must be quick and must not throw.
   */
  observeWrites(observer: (ops: readonly WriteOp[]) => void): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** Whether the database answers and its schema is current (see {@link checkStoreReadiness}). */
  readiness(): Promise<StoreReadiness> {
    return checkStoreReadiness(this.db);
  }

  /** Live stacks counted by status. */
  countStacksByStatus(): Promise<Record<string, number>> {
    return countStacksByStatus(this.db);
  }

  /** A stack by id, deleted or not. */
  async getStack(id: string): Promise<StackRecord | undefined> {
    const row = await this.db.selectFrom('stacks').selectAll().where('id', '=', id).executeTakeFirst();
    return row && rowToStack(row);
  }

  /** The live stack with this name in the project (the newest one if, abnormally, there are several). */
  async findStackByName(projectId: string, name: string): Promise<StackRecord | undefined> {
    const row = await this.db
      .selectFrom('stacks')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row && rowToStack(row);
  }

  /** Stacks matching the query, sorted and paged (see {@link selectStackRows}). */
  async listStacks(query: StackListQuery): Promise<StackRecord[]> {
    return (await selectStackRows(this.db, query)).map(rowToStack);
  }

  /** How many stacks match the query's filters (limit and marker ignored). */
  async countStacks(query: StackListQuery): Promise<number> {
    return countStackRows(this.db, query);
  }

  /** Live direct children of a stack, oldest first. */
  async listChildStacks(parentId: string): Promise<StackRecord[]> {
    const rows = await this.db
      .selectFrom('stacks')
      .selectAll()
      .where('parent_id', '=', parentId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(rowToStack);
  }

  /** Live stacks whose status is IN_PROGRESS, parents before children, oldest first. */
  async listStacksInProgress(): Promise<StackRecord[]> {
    const rows = await this.db
      .selectFrom('stacks')
      .selectAll()
      .where('status', '=', 'IN_PROGRESS')
      .where('deleted_at', 'is', null)
      .orderBy('depth')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(rowToStack);
  }

  /** Every resource row of a stack (replaced ones included), oldest first. */
  async listResources(stackId: string): Promise<ResourceRecord[]> {
    const rows = await this.db
      .selectFrom('resources')
      .selectAll()
      .where('stack_id', '=', stackId)
      .orderBy('created_at')
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map(rowToResource);
  }

  /** A resource row by id. */
  async getResource(id: string): Promise<ResourceRecord | undefined> {
    const row = await this.db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
    return row && rowToResource(row);
  }

  /** Events matching the query (see {@link selectEventRows}). */
  async listEvents(query: EventListQuery): Promise<EventRecord[]> {
    return (await selectEventRows(this.db, query)).map(rowToEvent);
  }

  /** An event by id. */
  async getEvent(id: string): Promise<EventRecord | undefined> {
    const row = await this.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return row && rowToEvent(row as EventRow);
  }

  /** Deletes the oldest events of a stack beyond the newest `keep` (in whole batches of `batchSize`). */
  async purgeEvents(stackId: string, keep: number, batchSize?: number): Promise<void> {
    await this.db.transaction().execute((tx) => purgeOldEvents(tx, stackId, keep, batchSize));
  }

  /** Stores a new snapshot. */
  insertSnapshot(snapshot: SnapshotRecord): Promise<void> {
    return this.#snapshots.insert(snapshot);
  }

  /** Changes fields of a snapshot; throws when it does not exist. */
  updateSnapshot(
    id: string,
    patch: Partial<Omit<SnapshotRecord, 'id' | 'stackId' | 'projectId'>>,
  ): Promise<void> {
    return this.#snapshots.update(id, patch);
  }

  /** A snapshot by id. */
  getSnapshot(id: string): Promise<SnapshotRecord | undefined> {
    return this.#snapshots.get(id);
  }

  /** Snapshots of a stack, oldest first. */
  listSnapshots(stackId: string): Promise<SnapshotRecord[]> {
    return this.#snapshots.list(stackId);
  }

  /** How many snapshots a stack has. */
  countSnapshots(stackId: string): Promise<number> {
    return this.#snapshots.count(stackId);
  }

  /** Deletes one snapshot (no error when absent). */
  deleteSnapshot(id: string): Promise<void> {
    return this.#snapshots.delete(id);
  }

  /** Deletes every snapshot of a stack. */
  deleteSnapshotsOfStack(stackId: string): Promise<void> {
    return this.#snapshots.deleteOfStack(stackId);
  }

  /** Closes the database; the store is unusable afterwards. */
  async close(): Promise<void> {
    await this.db.destroy();
  }
}
