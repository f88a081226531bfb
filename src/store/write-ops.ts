/**
 * Executes a batch of {@link WriteOp}s inside one transaction.
 *
 * Consecutive inserts of the same kind are sent as multi-row INSERTs (in bounded chunks), which is what keeps a
 * batch of thousands of writes fast; every other op is one statement, in order. Event inserts are the exception
 * to "in order": no other op reads or changes the events table, so all of a batch's events are inserted together
 * at its end (in their own order, so their `seq` order is the batch order) — the result is the same, and a batch
 * that alternates "update resource, record event" costs one statement per update instead of two.
 */
import type { Kysely, Transaction } from 'kysely';
import type { EventRecord, ResourceRecord, StackRecord, WriteOp } from '../engine/store.js';
import { eventToRow, resourcePatchToRow, resourceToRow, stackPatchToRow, stackToRow } from './codec.js';
import type { CompiledStatements } from './compiled-statements.js';
import type { Database, StackTagsTable } from './schema.js';
import { putTask, type TaskTables } from './task-store.js';
import { putResourceTask, type ResourceTaskTables } from './resource-task-store.js';

/** Upper bound of bound parameters in one statement (well under every dialect's limit). */
const MAX_PARAMETERS_PER_STATEMENT = 2000;

type InsertKind = 'insertStack' | 'insertResource' | 'insertEvent';
type Tx = Transaction<Database> | Kysely<Database>;

/**
 * Runs `ops` in order on `tx` (which the caller has opened as a transaction); returns the events it inserted (those
 * of the batch, less the stack events dropped with a fenced-out stack update).
 */
export async function executeWriteOps(
  tx: Tx,
  ops: readonly WriteOp[],
  statements: CompiledStatements,
): Promise<EventRecord[]> {
  let events = ops.filter((op) => op.kind === 'insertEvent');
  const others = events.length === 0 ? ops : ops.filter((op) => op.kind !== 'insertEvent');
  /** Stacks whose fenced update was skipped: their stack-level events of this batch are dropped with it. */
  const fencedOut = new Set<string>();
  let index = 0;
  while (index < others.length) {
    const op = others[index]!;
    if (op.kind === 'insertStack' || op.kind === 'insertResource') {
      let end = index + 1;
      while (end < others.length && others[end]!.kind === op.kind) end++;
      await insertRun(tx, op.kind, others.slice(index, end));
      index = end;
    } else {
      const applied = await executeSingle(tx, op as Exclude<WriteOp, { kind: InsertKind }>, statements);
      if (!applied && op.kind === 'updateStack') fencedOut.add(op.id);
      index++;
    }
  }
  if (fencedOut.size > 0) {
    events = events.filter((op) => {
      const e = (op as { event: EventRecord }).event;
      return !(
        fencedOut.has(e.stackId) &&
        e.physicalId === e.stackId &&
        e.resourceType === 'OS::Heat::Stack'
      );
    });
  }
  if (events.length > 0) await insertRun(tx, 'insertEvent', events);
  return events.map((op) => (op as { event: EventRecord }).event);
}

async function insertRun(tx: Tx, kind: InsertKind, run: readonly WriteOp[]): Promise<void> {
  switch (kind) {
    case 'insertStack': {
      const stacks = run.map((op) => (op as { stack: StackRecord }).stack);
      await insertChunked(tx, 'stacks', stacks.map(stackToRow));
      await insertChunked(tx, 'stack_tags', stacks.flatMap(tagRows));
      return;
    }
    case 'insertResource': {
      const resources = run.map((op) => (op as { resource: ResourceRecord }).resource);
      await insertChunked(tx, 'resources', resources.map(resourceToRow));
      return;
    }
    case 'insertEvent': {
      const events = run.map((op) => (op as { event: EventRecord }).event);
      await insertChunked(tx, 'events', events.map(eventToRow));
      return;
    }
  }
}

/** Runs one op; false when it was a fenced stack update that did not apply. */
async function executeSingle(
  tx: Tx,
  op: Exclude<WriteOp, { kind: InsertKind }>,
  statements: CompiledStatements,
): Promise<boolean> {
  switch (op.kind) {
    case 'updateStack': {
      const row = stackPatchToRow(op.patch);
      if (op.ifTraversal !== undefined) {
        // Fenced: an action that was replaced by a newer request must not overwrite the newer state.
        if (op.patch.tags !== undefined) throw new Error('store: updateStack: tags cannot be fenced');
        if (Object.keys(row).length === 0) return true;
        const result = await tx
          .updateTable('stacks')
          .set(row)
          .where('id', '=', op.id)
          .where('traversal', '=', op.ifTraversal)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) > 0;
      }
      if (Object.keys(row).length > 0) {
        const updated = await updateById(tx, statements, 'stacks', op.id, row);
        if (updated === 0n) throw new Error(`store: updateStack: no stack with id ${op.id}`);
      } else {
        await requireRow(tx, 'stacks', op.id, 'updateStack');
      }
      if (op.patch.tags !== undefined) {
        await tx.deleteFrom('stack_tags').where('stack_id', '=', op.id).execute();
        await insertChunked(tx, 'stack_tags', tagRows({ id: op.id, tags: op.patch.tags }));
      }
      return true;
    }
    case 'updateResource': {
      const row = resourcePatchToRow(op.patch);
      if (Object.keys(row).length === 0) {
        await requireRow(tx, 'resources', op.id, 'updateResource');
        return true;
      }
      const updated = await updateById(tx, statements, 'resources', op.id, row);
      if (updated === 0n) throw new Error(`store: updateResource: no resource with id ${op.id}`);
      return true;
    }
    case 'deleteResource':
      await statements.execute(tx, 'delete:resources', [op.id], () =>
        tx.deleteFrom('resources').where('id', '=', op.id),
      );
      return true;
    case 'deleteResourcesOfStack':
      await tx.deleteFrom('resources').where('stack_id', '=', op.stackId).execute();
      return true;
    case 'putTask':
      await putTask(tx as unknown as Kysely<TaskTables>, op.task);
      return true;
    case 'putResourceTask':
      await putResourceTask(tx as unknown as Kysely<ResourceTaskTables>, op.task);
      return true;
  }
}

/** `UPDATE table SET … WHERE id = ?` through the compiled-statement cache; returns the number of rows changed. */
async function updateById(
  tx: Tx,
  statements: CompiledStatements,
  table: 'stacks' | 'resources',
  id: string,
  row: Record<string, unknown>,
): Promise<bigint | undefined> {
  const columns = Object.keys(row);
  const result = await statements.execute(
    tx,
    `update:${table}:${columns.join(',')}`,
    [...Object.values(row), id],
    () => tx.updateTable(table).set(row).where('id', '=', id),
  );
  return result.numAffectedRows;
}

async function requireRow(tx: Tx, table: 'stacks' | 'resources', id: string, opName: string): Promise<void> {
  const found = await tx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  if (found === undefined) throw new Error(`store: ${opName}: no ${table.slice(0, -1)} with id ${id}`);
}

function tagRows(stack: Pick<StackRecord, 'id' | 'tags'>): StackTagsTable[] {
  return stack.tags.map((tag, position) => ({ stack_id: stack.id, position, tag }));
}

async function insertChunked<T extends 'stacks' | 'stack_tags' | 'resources' | 'events'>(
  tx: Tx,
  table: T,
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).length;
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS_PER_STATEMENT / columns));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    await tx
      .insertInto(table)
      .values(chunk as never)
      .execute();
  }
}
